"""evals.gate: when a candidate fails against its baseline, and the exit code that follows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from debrief.errors import InputError
from debrief.settings import Settings
from evals.__main__ import main as evals_main
from evals.gate import GateConfig, evaluate_gate, load_gate, with_overrides
from evals.run import EXIT_OK, EXIT_REGRESSION, execute
from evals.stats import Interval, PairedComparison
from evals.variants import parse_variant
from tests.evals.scripted import ScriptedSource, run_config


def _comparison(metric: str, delta: tuple[float, float, float]) -> PairedComparison:
    mean = Interval(0.5, 0.4, 0.6, 10)
    return PairedComparison(metric, mean, mean, Interval(*delta, 10))


@pytest.mark.parametrize(
    ("delta", "significance", "regresses"),
    [
        ((-0.10, -0.15, -0.05), True, True),  # a clear drop
        ((-0.10, -0.30, +0.10), True, False),  # a drop within the noise
        ((-0.10, -0.30, +0.10), False, True),  # ... unless significance is not required
        ((-0.03, -0.05, -0.01), True, False),  # significant, but within the allowed drop
        ((+0.10, +0.05, +0.15), True, False),  # an improvement
    ],
)
def test_the_gate(delta: tuple[float, float, float], significance: bool, regresses: bool) -> None:
    config = GateConfig(max_drop={"coverage": 0.05}, require_significance=significance)
    findings = evaluate_gate(config, [_comparison("coverage", delta)], {})
    assert bool(findings) == regresses


def test_gate_floors_overrides_and_files(tmp_path: Path) -> None:
    config = GateConfig(min_mean={"grounding": 0.9})
    findings = evaluate_gate(config, [], {"grounding": Interval(0.8, 0.7, 0.9, 5)})
    assert [f.metric for f in findings] == ["grounding"]
    assert with_overrides(GateConfig(), ["coverage=0.2"]).max_drop == {"coverage": 0.2}
    with pytest.raises(InputError, match="unknown metrics"):
        with_overrides(GateConfig(), ["covfefe=0.2"])
    with pytest.raises(InputError, match="METRIC=VALUE"):
        with_overrides(GateConfig(), ["coverage"])
    shipped = load_gate()
    assert shipped.max_drop["no_forbidden"] == 0.0 and shipped.require_significance
    bad = tmp_path / "gate.yaml"
    bad.write_text("max_drops: {}\n")
    with pytest.raises(InputError, match="unknown keys"):
        load_gate(bad)


COVERAGE_GATE = "require_significance: true\nmax_drop:\n  coverage: 0.05\n"


@pytest.fixture
def degraded_v2(case_dir: Path, tmp_path: Path, settings: Settings) -> list[str]:
    """v1 and v2 recorded by the scripted model, then every v2 note cut to a bare thank-you.

    Returns the arguments of an offline run over them, gated on coverage alone.
    """
    both = run_config(
        case_dir, tmp_path, candidate=parse_variant("v2"), baseline=parse_variant("v1"), naive=False
    )
    execute(both, settings, ScriptedSource())
    for path in (tmp_path / "cache").rglob("thank_you_note@v2-*.json"):
        data = json.loads(path.read_text())
        for note in data["notes"]:
            greeting = note["body"].splitlines()[0]
            note["body"] = f"{greeting}\n\nThank you for your time.\n\nBest,\nSam"
        path.write_text(json.dumps(data))
    gate = tmp_path / "gate.yaml"
    gate.write_text(COVERAGE_GATE)
    return [
        *("run", "--offline", "--no-naive", "--no-report"),
        *("--cache-dir", str(tmp_path / "cache"), "--cases", str(case_dir / "*.yaml")),
        *("--gate", str(gate)),
    ]


@pytest.mark.parametrize(
    ("candidate", "baseline", "overrides", "expected"),
    [
        ("v2", "v1", [], EXIT_REGRESSION),  # coverage fell by more than the 0.05 allowed
        ("v2", "v1", ["--max-drop", "coverage=1"], EXIT_OK),  # the same fall, now allowed
        ("v1", "v2", [], EXIT_OK),  # an improvement
    ],
)
def test_the_exit_code_follows_the_gate_on_a_synthetic_change(
    degraded_v2: list[str],
    capsys: pytest.CaptureFixture[str],
    candidate: str,
    baseline: str,
    overrides: list[str],
    expected: int,
) -> None:
    argv = [*degraded_v2, "--prompt", candidate, "--baseline", baseline, *overrides]
    code = evals_main(argv)
    out, err = capsys.readouterr()
    assert code == expected, out + err
    (gate_line,) = [line.strip() for line in out.splitlines() if line.strip().startswith("Gate:")]
    if expected == EXIT_REGRESSION:
        assert gate_line.startswith("Gate: REGRESSION: coverage fell by")
    else:
        assert gate_line == "Gate: passed"
