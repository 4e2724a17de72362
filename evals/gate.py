"""The regression gate: when does a candidate prompt fail against its baseline?

A metric regresses when the candidate's mean is more than `max_drop` below the baseline's and
(with `require_significance`) the paired 95% interval of the difference lies wholly below zero,
so one unlucky case does not fail a run. `min_mean` sets floors the candidate must reach
whatever the baseline did. Thresholds live in `evals/gate.yaml`; `--max-drop METRIC=X`
overrides one for a run.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from debrief.errors import InputError
from evals.run_options import DEFAULT_GATE_FILE
from evals.scoring import METRIC_KEYS
from evals.stats import Interval, PairedComparison


@dataclass(frozen=True)
class GateConfig:
    max_drop: Mapping[str, float] = field(default_factory=dict)
    min_mean: Mapping[str, float] = field(default_factory=dict)
    require_significance: bool = True


@dataclass(frozen=True)
class GateFinding:
    metric: str
    reason: str


def _thresholds(source: str, raw: Any) -> dict[str, float]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise InputError(f"{source}: expected a mapping of metric: number.")
    unknown = sorted(set(raw) - set(METRIC_KEYS))
    if unknown:
        raise InputError(
            f"{source}: unknown metrics {', '.join(map(str, unknown))}.",
            hint=f"Metrics: {', '.join(METRIC_KEYS)}.",
        )
    try:
        return {str(key): float(value) for key, value in raw.items()}
    except (TypeError, ValueError):
        raise InputError(f"{source}: every threshold must be a number.") from None


def load_gate(path: Path = DEFAULT_GATE_FILE) -> GateConfig:
    """Read a gate file; a missing default file means no thresholds at all."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        if path == DEFAULT_GATE_FILE:
            return GateConfig()
        raise InputError(f"No gate file at {path}.") from None
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"Cannot read the gate file {path}: {exc}") from None
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected keys max_drop, min_mean, require_significance.")
    unknown = sorted(set(data) - {"max_drop", "min_mean", "require_significance"})
    if unknown:
        raise InputError(f"{path}: unknown keys {', '.join(map(str, unknown))}.")
    return GateConfig(
        max_drop=_thresholds(f"{path} max_drop", data.get("max_drop")),
        min_mean=_thresholds(f"{path} min_mean", data.get("min_mean")),
        require_significance=bool(data.get("require_significance", True)),
    )


def with_overrides(config: GateConfig, overrides: Sequence[str]) -> GateConfig:
    """Apply `METRIC=VALUE` overrides of max_drop (from the command line)."""
    parsed: dict[str, Any] = {}
    for item in overrides:
        metric, sep, value = item.partition("=")
        if not sep:
            raise InputError(f"--max-drop {item!r}: expected METRIC=VALUE, e.g. coverage=0.05.")
        parsed[metric.strip()] = value.strip()
    return replace(config, max_drop={**config.max_drop, **_thresholds("--max-drop", parsed)})


def evaluate_gate(
    config: GateConfig,
    comparisons: Sequence[PairedComparison],
    candidate_means: Mapping[str, Interval],
) -> list[GateFinding]:
    """Every threshold the candidate breaks; empty means it passes."""
    findings: list[GateFinding] = []
    for comparison in comparisons:
        limit = config.max_drop.get(comparison.metric)
        if limit is None:
            continue
        delta = comparison.delta
        significant = delta.high < 0 or not config.require_significance
        if delta.mean < -limit and significant:
            findings.append(
                GateFinding(
                    comparison.metric,
                    f"fell by {-delta.mean:.3f} (95% CI {delta.low:+.3f} to {delta.high:+.3f});"
                    f" the gate allows {limit:.3f}",
                )
            )
    for metric, floor in config.min_mean.items():
        interval = candidate_means.get(metric)
        if interval is not None and interval.mean < floor:
            findings.append(
                GateFinding(metric, f"mean {interval.mean:.3f} is under the floor {floor:.3f}")
            )
    return findings
