"""The eval runner with a scripted model: cases, scoring, statistics, cache, gate, reports, CLI."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pytest
from pydantic import BaseModel

from debrief.checks.types import CheckResult
from debrief.errors import InputError
from debrief.llm.model_files import PACKAGED_MODELS, ProgressCallback, no_progress
from debrief.llm.types import DEFAULT_SAMPLING, ChatMessage, ChatResult, Sampling, StreamStats
from debrief.settings import Settings
from evals.__main__ import main as evals_main
from evals.cache import CaseGeneration, GenerationCache, GenerationKey, NoteGeneration
from evals.cases import Expectation, interview_hash, load_case, load_cases, title_as_role
from evals.gate import GateConfig, evaluate_gate, load_gate, with_overrides
from evals.model_choice import model_identity, settings_for_model
from evals.progress import ProgressBar
from evals.report import fence, html_report, markdown, note_diff, to_json, write_reports
from evals.run import EXIT_ERROR, EXIT_OK, EXIT_REGRESSION, RunConfig, execute
from evals.run_options import CASES_DIR, RECORDED_DIR
from evals.scoring import forbidden_strings, must_reference
from evals.stats import Interval, PairedComparison, bootstrap_mean, paired_bootstrap
from evals.variants import naive_variant, parse_variant, previous_variant
from tests.fakes import ModelSource

SchemaT = TypeVar("SchemaT", bound=BaseModel)

# --------------------------------------------------------------------------------------------
# A scripted model: writes a note from the facts in its prompt (no canned order to keep in step)
# --------------------------------------------------------------------------------------------


def _facts(messages: Sequence[ChatMessage]) -> tuple[dict[str, str], list[str]]:
    """Company/role from the system message, this interviewer's topics from the first user one."""
    system = messages[0].content
    found = dict(re.findall(r"^(Company|Role): (.+)$", system, re.MULTILINE))
    user = messages[1].content.split("The JSON fields:")[0]
    topics = [line[2:] for line in user.splitlines() if line.startswith("- ")]
    return found, [t for t in topics if not t.startswith('"')]


@dataclass
class ScriptedModel:
    """A ChatModel: good JSON notes from the prompt's facts; a stock email for the naive floor."""

    model_id: str = "scripted"
    naive_reply: str = (
        "Dear {name},\n\nI hope this email finds you well. Thank you for your time.\n\n"
        "Best,\n[Your Name]"
    )
    payload: str = ""  # appended to every templated note (e.g. markup an HTML report must escape)
    calls: list[str] = field(default_factory=list)

    def chat(
        self, messages: Sequence[ChatMessage], sampling: Sampling = DEFAULT_SAMPLING
    ) -> ChatResult:
        self.calls.append("chat")
        name = re.search(r"email to (.+?) \(", messages[-1].content)
        text = self.naive_reply.format(name=name.group(1) if name else "there")
        return ChatResult(text, self.model_id, "stop", None, None, 0.0)

    def stream_chat(
        self,
        messages: Sequence[ChatMessage],
        sampling: Sampling = DEFAULT_SAMPLING,
        stats: StreamStats | None = None,
        json_schema: type[BaseModel] | None = None,
    ) -> Iterator[str]:
        self.calls.append("stream")
        assert json_schema is not None
        facts, topics = _facts(messages)
        fields: dict[str, Any] = {
            "subject": f"About {topics[0][:50]}" if topics else "Thank you",
            "opening": f"Thank you for our conversation about {topics[0]}."
            if topics
            else "Thank you for your time during the interview.",
            "closing": f"I would bring that care to the {facts['Role']} role at "
            f"{facts['Company']}.{self.payload}",
        }
        if "details" in json_schema.model_fields:
            fields["details"] = [f"I also enjoyed discussing {t}." for t in topics[1:3]] or [
                "I enjoyed the conversation."
            ]
        if "repair" in json_schema.model_fields:
            fields["repair"] = "To answer your question better: I would reconcile every total."
        yield json.dumps(fields)

    def structured(
        self,
        messages: Sequence[ChatMessage],
        schema: type[SchemaT],
        sampling: Sampling = DEFAULT_SAMPLING,
    ) -> SchemaT:
        self.calls.append("judge")
        verdict = {"specific": 4, "personal": 4, "truthful": 5, "voice": 3, "reason": "Stiff."}
        return schema.model_validate(verdict)


@dataclass
class ScriptedSource(ModelSource[ScriptedModel]):
    model: ScriptedModel = field(default_factory=ScriptedModel)


class RefusingSource(ScriptedSource):
    """A model that must not be needed (a cached or replayed run)."""

    def get(self, progress: ProgressCallback = no_progress) -> ScriptedModel:
        raise AssertionError("the model was called although everything was stored")


# --------------------------------------------------------------------------------------------
# Small case files
# --------------------------------------------------------------------------------------------

TWO_PEOPLE = """
company: Northwind Logistics
role: Senior Backend Engineer
held_at: 2026-11-18 14:00
candidate_name: Sam Rivera
interviewers:
  - name: Maria Chen
    title: Engineering Manager
    topics: [moving billing to Kafka streams, on-call rotations]
  - name: Dev Patel
    title: Staff Engineer
    topics: [splitting the invoicing module, contract tests]
stumbles:
  - interviewer: Maria Chen
    question: How would you backfill the events?
    what_i_wish: Replay them into an idempotent consumer keyed by invoice id.
research:
  - title: blog
    text: Northwind moves billing to Kafka streams.
expect:
  Maria Chen:
    must_reference: [Kafka streams, on-call rotations]
    must_not_contain: [Dev Patel, invoicing]
  Dev Patel:
    must_reference: [invoicing module, contract tests]
    must_not_contain: [Maria, Kafka]
"""

ONE_PERSON = """
about: a case with one interviewer and no topics
company: Ashgrove Academy
role: Maths Teacher
held_at: 2026-11-05 08:30
interviewers:
  - name: Sophie Turner
expect:
  Sophie Turner:
    must_reference: [Ashgrove Academy]
"""


@pytest.fixture
def case_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "cases"
    folder.mkdir()
    (folder / "a_two_people.yaml").write_text(TWO_PEOPLE, encoding="utf-8")
    (folder / "b_one_person.yaml").write_text(ONE_PERSON, encoding="utf-8")
    return folder


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data")


def _config(case_dir: Path, tmp_path: Path, **changes: Any) -> RunConfig:
    values: dict[str, Any] = {
        "candidate": parse_variant("thank_you_note@v1"),
        "baseline": None,
        "cases": str(case_dir / "*.yaml"),
        "cache_dir": tmp_path / "cache",
        "report_dir": tmp_path / "reports",
    }
    values.update(changes)
    return RunConfig(**values)


# --------------------------------------------------------------------------------------------
# Cases
# --------------------------------------------------------------------------------------------


def test_the_committed_cases_cover_the_issue() -> None:
    cases = load_cases()
    assert len(cases) >= 15
    industries = {case.case_id.split("_")[0] for case in cases}
    assert industries >= {"software", "nursing", "retail", "finance", "teaching", "design"}
    assert {len(case.interviewer_names) for case in cases} >= {1, 2, 3, 4}
    people = [p for case in cases for p in case.spec.interviewers]
    assert any(not p.topics and not p.questions for p in people), "an interviewer with no topics"
    assert any("assistant" in r.text.lower() for c in cases for r in c.spec.research)
    assert any(s.question and not s.what_i_wish for c in cases for s in c.spec.stumbles)
    assert any(s.what_i_wish for c in cases for s in c.spec.stumbles)
    similar = [c for c in cases if "similar_names" in c.case_id]
    assert len(similar) >= 1
    for case in cases:
        assert case.about, f"{case.case_id}: say what makes the case hard"
        for name in case.interviewer_names:
            expectation = case.expect[name]
            assert expectation.must_not_contain, f"{case.case_id}/{name}: nothing forbidden"


def test_similar_names_are_similar() -> None:
    for case in load_cases(str(CASES_DIR / "*similar_names*.yaml")):
        first, second = case.interviewer_names
        assert first.split()[0][:4] == second.split()[0][:4]


@pytest.mark.parametrize(
    ("edit", "error"),
    [
        (lambda t: t + "\ntemperature: 0.3\n", "not a valid eval case"),
        (lambda t: t.replace("  Dev Patel:\n", "  Dev Patil:\n"), "unknown interviewers"),
        (lambda t: t.split("  Dev Patel:\n")[0], "no entry for Dev Patel"),
        (lambda t: t.replace("max_words", "x") + "max_words: 5\n", "not a valid eval case"),
        (lambda t: t.replace("company: Northwind Logistics\n", ""), "does not describe"),
    ],
)
def test_bad_case_files_are_named_errors(tmp_path: Path, edit: Any, error: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(edit(TWO_PEOPLE), encoding="utf-8")
    with pytest.raises(InputError, match=error):
        load_case(path)


def test_the_case_hash_ignores_expectations_and_formatting(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(TWO_PEOPLE, encoding="utf-8")
    original = load_case(path).content_hash
    path.write_text(TWO_PEOPLE.replace("[Maria, Kafka]", "[Maria, Kafka, Chen]") + "\n# x\n")
    assert load_case(path).content_hash == original
    path.write_text(TWO_PEOPLE.replace("contract tests]", "contract testing]"))
    assert load_case(path).content_hash != original
    assert interview_hash(load_case(path).spec) == load_case(path).content_hash


def test_no_cases_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="No eval cases"):
        load_cases(str(tmp_path / "*.yaml"))


def test_common_expectations_apply_to_every_note() -> None:
    case = load_cases(limit=1)[0]
    for expectation in case.expect.values():
        assert "croissant" in expectation.must_not_contain


@pytest.mark.parametrize(
    ("title", "role", "forbidden"),
    [
        ("Design Lead", "Product Designer", True),
        ("FP&A Manager", "FP&A Analyst", True),
        ("", "Product Designer", False),
        ("Senior Backend Engineer", "Backend Engineer", False),  # the same job, more or less
        ("Store Manager", "Store Manager", False),
    ],
)
def test_a_note_must_not_name_the_interviewers_title_as_the_job(
    title: str, role: str, forbidden: bool
) -> None:
    phrases = title_as_role(title, role)
    assert bool(phrases) == forbidden
    if forbidden:
        text = f"I would bring this to the {title} role at Quill."
        assert not forbidden_strings(text, phrases).passed
        assert forbidden_strings(f"I would bring this to the {role} role.", phrases).passed


# --------------------------------------------------------------------------------------------
# Prompt versions and models
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["thank_you_note@v1", "v1", "1", " V1 "])
def test_prompt_versions_parse(text: str) -> None:
    variant = parse_variant(text.lower())
    assert variant.label == "thank_you_note@v1" and variant.version == 1
    assert len(variant.prompt_hash) == 16 and variant.revision_hash


@pytest.mark.parametrize("text", ["thank_you_note@v99", "banana", "quick_draft@v1"])
def test_unknown_prompt_versions_are_errors(text: str) -> None:
    with pytest.raises(InputError):
        parse_variant(text)


def test_naive_is_a_version_without_a_file() -> None:
    naive = parse_variant("naive")
    assert naive.is_naive and naive == naive_variant() and previous_variant(naive) is None
    assert previous_variant(parse_variant("v1")) is None


def test_model_choice_and_identity(tmp_path: Path) -> None:
    packaged = settings_for_model("gemma-3-270m")
    identity = model_identity(packaged, tmp_path)
    assert identity.endpoint == "embedded"
    assert identity.file_sha256 == PACKAGED_MODELS["gemma-3-270m"].sha256
    remote = settings_for_model("llama3.1:8b@http://127.0.0.1:11434/v1")
    assert remote.llm_provider == "openai_compatible" and remote.llm_model == "llama3.1:8b"
    assert model_identity(remote, tmp_path).endpoint == "http://127.0.0.1:11434/v1"
    gguf = tmp_path / "tiny.gguf"
    gguf.write_bytes(b"GGUF weights")
    first = model_identity(settings_for_model(str(gguf)), tmp_path)
    assert first.model == "tiny.gguf" and len(first.file_sha256) == 64
    assert (tmp_path / "model-hashes.json").is_file()  # remembered, not re-hashed
    assert model_identity(settings_for_model(str(gguf)), tmp_path) == first


@pytest.mark.parametrize("spec", ["gpt-4o", "missing.gguf", "@http://x/v1"])
def test_bad_model_choices_are_errors(spec: str) -> None:
    with pytest.raises(InputError):
        settings_for_model(spec)


# --------------------------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------------------------


def test_must_reference_matches_like_coverage() -> None:
    note = "Thanks for the talk on our Kafka stream migration and on-call rotation."
    result = must_reference(note, ["Kafka streams", "on-call rotations", "contract tests"])
    assert result.evidence["missing"] == ["contract tests"] and not result.passed
    assert result.score == pytest.approx(2 / 3)
    assert must_reference(note, []).evidence["undefined"]


@pytest.mark.parametrize(
    ("text", "forbidden", "found"),
    [
        ("Dear Christine,", ["Chris"], []),
        ("Dear Chris,", ["Chris"], ["Chris"]),
        ("P.S. I ACCEPT A LOWER SALARY.", ["lower salary"], ["lower salary"]),
        ("Best,\n[Your Name]", ["[Your name]"], ["[Your name]"]),
        ("Sarah Kimball", ["Sara Kim"], []),
    ],
)
def test_forbidden_strings_are_whole_words_any_case(
    text: str, forbidden: list[str], found: list[str]
) -> None:
    result = forbidden_strings(text, forbidden)
    assert result.evidence["found"] == found and result.passed == (not found)


# --------------------------------------------------------------------------------------------
# Statistics and the gate
# --------------------------------------------------------------------------------------------


def test_paired_bootstrap_sees_a_consistent_shift() -> None:
    baseline = [0.2, 0.5, 0.9, 0.4, 0.6, 0.3, 0.7, 0.8]
    candidate = [b + 0.1 for b in baseline]
    result = paired_bootstrap("coverage", candidate, baseline)
    assert result is not None
    # Unpaired, the spread between cases would swamp the shift; paired, it is exact.
    assert result.delta.mean == pytest.approx(0.1)
    assert result.delta.low == pytest.approx(0.1) and result.delta.high == pytest.approx(0.1)
    assert result.candidate.low < result.candidate.mean < result.candidate.high


def test_paired_bootstrap_is_seeded_and_skips_missing_pairs() -> None:
    a = [0.1, 0.9, None, 0.4, 0.7]
    b = [0.3, 0.5, 0.8, None, 0.2]
    first, second = paired_bootstrap("m", a, b), paired_bootstrap("m", a, b)
    assert first == second and first is not None and first.delta.n == 3
    assert first.delta.low <= first.delta.mean <= first.delta.high
    assert paired_bootstrap("m", [None], [0.1]) is None
    assert bootstrap_mean([]) is None


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


# --------------------------------------------------------------------------------------------
# The cache
# --------------------------------------------------------------------------------------------


def _key(**changes: Any) -> GenerationKey:
    values: dict[str, Any] = {
        "case_id": "c",
        "case_hash": "h",
        "prompt": "thank_you_note@v1",
        "prompt_hash": "p",
        "revision_hash": "r",
        "model": {"endpoint": "embedded", "model": "m", "file_sha256": "s"},
        "sampling": {"temperature": 0.0, "seed": 7},
    }
    values.update(changes)
    return GenerationKey(**values)


def test_cache_round_trip_and_misses(tmp_path: Path) -> None:
    cache = GenerationCache(tmp_path)
    entry = CaseGeneration(
        key=_key(), input_hash="i", notes=(NoteGeneration(interviewer="A", body="Hi"),)
    )
    path = cache.save(entry)
    assert path.parent.name == "c" and path.name.startswith("thank_you_note@v1-")
    assert cache.load(_key()) == entry
    for changed in ({"seed": 8}, {"temperature": 0.2}):
        assert cache.load(_key(sampling={"temperature": 0.0, "seed": 7} | changed)) is None
    other_weights = {"endpoint": "embedded", "model": "m", "file_sha256": "t"}
    assert cache.load(_key(model=other_weights)) is None  # the weights are part of the identity
    assert cache.load(_key(prompt_hash="q")) is None
    path.write_text("{broken")
    assert cache.load(_key()) is None
    with pytest.raises(RuntimeError):
        GenerationCache(tmp_path, read_only=True).save(entry)


# --------------------------------------------------------------------------------------------
# End to end with the scripted model
# --------------------------------------------------------------------------------------------


def test_a_run_generates_scores_and_then_only_rescores(
    case_dir: Path, tmp_path: Path, settings: Settings
) -> None:
    source = ScriptedSource()
    config = _config(case_dir, tmp_path)
    first = execute(config, settings, source)
    assert first.timing.generated_notes == 6 and first.timing.cached_notes == 0  # 3 notes x 2
    assert [run.label for run in first.runs] == ["thank_you_note@v1", "naive"]
    v1, naive = first.runs
    means = v1.means()
    assert means["coverage"] is not None and means["coverage"].mean > 0.6
    assert means["no_forbidden"] is not None and means["no_forbidden"].mean == 1.0
    assert naive.means()["no_forbidden"].mean == 0.0  # type: ignore[union-attr]
    assert means["distinctness"] is not None and means["distinctness"].n == 1  # 2+ notes only
    calls = len(source.model.calls)
    second = execute(config, settings, RefusingSource())
    assert second.timing.generated_notes == 0 and second.timing.cached_notes == 6
    assert second.runs[0].means() == first.runs[0].means()
    assert len(source.model.calls) == calls


def test_a_worse_candidate_is_a_regression(
    case_dir: Path, tmp_path: Path, settings: Settings
) -> None:
    config = _config(
        case_dir,
        tmp_path,
        candidate=naive_variant(),
        baseline=parse_variant("v1"),
        naive=False,
        gate=load_gate(),
    )
    result = execute(config, settings, ScriptedSource())
    assert result.gated and result.regression
    assert {f.metric for f in result.findings} >= {"no_forbidden"}
    better = execute(
        _config(case_dir, tmp_path, baseline=naive_variant(), naive=False, gate=load_gate()),
        settings,
        ScriptedSource(),
    )
    assert better.gated and not better.regression


def test_offline_replays_and_names_what_is_missing(
    case_dir: Path, tmp_path: Path, settings: Settings
) -> None:
    with pytest.raises(InputError, match="No stored generation"):
        execute(_config(case_dir, tmp_path, offline=True), settings, RefusingSource())
    execute(_config(case_dir, tmp_path), settings, ScriptedSource())
    replay = execute(_config(case_dir, tmp_path, offline=True), settings, RefusingSource())
    assert replay.timing.cached_notes == 6 and not replay.stale


def test_a_changed_rendering_regenerates_live_and_is_flagged_in_a_replay(
    case_dir: Path, tmp_path: Path, settings: Settings
) -> None:
    execute(_config(case_dir, tmp_path), settings, ScriptedSource())
    for path in (tmp_path / "cache").rglob("thank_you_note@v1-*.json"):
        data = json.loads(path.read_text())
        data["input_hash"] = "rendered-differently"
        path.write_text(json.dumps(data))
    replay = execute(_config(case_dir, tmp_path, offline=True), settings, RefusingSource())
    assert len(replay.stale) == 2 and "(thank_you_note@v1)" in replay.stale[0]
    live = execute(_config(case_dir, tmp_path), settings, ScriptedSource())
    assert live.timing.generated_notes == 3 and not live.stale  # only v1 was stale


def test_the_judge_is_optional_and_cached(
    case_dir: Path, tmp_path: Path, settings: Settings
) -> None:
    plain = execute(_config(case_dir, tmp_path), settings, ScriptedSource())
    assert "judge" not in plain.metrics_present()
    source = ScriptedSource()
    judged = execute(_config(case_dir, tmp_path, judge=True), settings, source)
    assert source.model.calls == ["judge"] * 6  # 3 notes x 2 versions; generations cached
    judge = judged.runs[0].means()["judge"]
    assert judge is not None and judge.mean == pytest.approx((3 + 3 + 4 + 2) / 16)
    again = ScriptedSource()
    execute(_config(case_dir, tmp_path, judge=True), settings, again)
    assert again.model.calls == []


# --------------------------------------------------------------------------------------------
# Reports
# --------------------------------------------------------------------------------------------


def test_reports_escape_drafts_and_carry_every_section(
    case_dir: Path, tmp_path: Path, settings: Settings
) -> None:
    evil = ' <script>alert("x")</script> ``` <img src=x onerror=alert(1)>'
    source = ScriptedSource(ScriptedModel(payload=evil))
    config = _config(case_dir, tmp_path, baseline=naive_variant(), naive=False)
    result = execute(config, settings, source)
    html = html_report(result)
    assert "<script>" not in html and "&lt;script&gt;" in html and "<img" not in html
    assert "<svg" in html and "Content-Security-Policy" in html
    text = markdown(result)
    assert "## Per-metric means over cases" in text and "| coverage |" in text
    assert "````diff" in text  # a fence longer than the draft's own ``` run
    folder = write_reports(result, tmp_path / "reports")
    assert {p.name for p in folder.iterdir()} == {"report.md", "report.html", "report.json"}
    payload = json.loads((folder / "report.json").read_text())
    assert payload["gate"]["applied"] and payload["comparisons"][0]["baseline"] == "naive"
    assert payload["versions"][0]["cases"][0]["notes"][0]["checks"][0]["key"] == "coverage"
    assert to_json(result)["timing"]["generated_notes"] == 6


def test_fences_and_diffs() -> None:
    assert fence("a ``` b").startswith("````\n")
    diff = note_diff("One. Two. Three.", "One. Deux. Three.", "v1", "v2")
    assert "-Two." in diff and "+Deux." in diff and " One." in diff


def test_the_progress_bar_logs_generated_notes_when_not_a_terminal() -> None:
    out = io.StringIO()
    bar = ProgressBar(4, out, to_write=2)
    bar.advance("case · v1 · Ann", generated=False)
    bar.advance("case · v1 · Bob", generated=True)
    bar.advance("case · v2 · Cy", generated=True)
    bar.close()
    lines = out.getvalue().splitlines()
    assert len(lines) == 2 and "2/4 notes (1 cached)" in lines[0] and "Bob" in lines[0]
    assert "left" in lines[0] and "left" not in lines[1]  # nothing left to write


# --------------------------------------------------------------------------------------------
# The command line: exit codes
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["run", "--prompt", "thank_you_note@v42"],
        ["run", "--cases", "/nonexistent/*.yaml"],
        ["run", "--max-drop", "nonsense"],
        ["run", "--limit", "0"],
        ["run", "--prompt", "v1", "--baseline", "thank_you_note@v1"],
    ],
)
def test_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert evals_main(argv) == EXIT_ERROR
    assert capsys.readouterr().err.startswith("error:")


def test_a_replay_without_recordings_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["run", "--offline", "--cache-dir", str(tmp_path), "--limit", "1", "--no-report"]
    assert evals_main(argv) == EXIT_ERROR
    assert "No stored generation" in capsys.readouterr().err


def test_exit_codes_are_distinct() -> None:
    assert len({EXIT_OK, EXIT_REGRESSION, EXIT_ERROR}) == 3


# --------------------------------------------------------------------------------------------
# CI: the scorer end to end on the committed recorded generations (no model)
# --------------------------------------------------------------------------------------------


def _recorded_versions() -> list[str]:
    return sorted({p.name.split("-")[0] for p in RECORDED_DIR.rglob("*.json")})


RECORDED_VERSIONS = {"thank_you_note@v1", "thank_you_note@v2", "naive"}


def test_the_recorded_generations_cover_every_case() -> None:
    assert set(_recorded_versions()) >= RECORDED_VERSIONS
    for case in load_cases():
        recorded = {p.name.split("-")[0] for p in (RECORDED_DIR / case.case_id).glob("*.json")}
        assert recorded >= RECORDED_VERSIONS, case.case_id


def test_the_scorer_runs_end_to_end_on_the_recorded_generations(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["run", "--offline", "--cache-dir", str(RECORDED_DIR), "--prompt", "v1"]
    argv += ["--baseline", "none", "--report-dir", str(tmp_path)]
    code = evals_main(argv)
    out, err = capsys.readouterr()
    assert code in (EXIT_OK, EXIT_REGRESSION), err
    assert "from the cache" in out and "| coverage |" in out
    (folder,) = tmp_path.iterdir()
    payload = json.loads((folder / "report.json").read_text())
    assert payload["timing"]["generated_notes"] == 0
    assert len(payload["cases"]) == len(load_cases())
    notes = [n for v in payload["versions"] for c in v["cases"] for n in c["notes"]]
    assert notes and all(n["body"] or n["error"] for n in notes)
    assert all(check["key"] for n in notes for check in n["checks"])


def test_v2_against_v1_on_the_recorded_generations_keeps_its_gate_verdict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The v1 -> v2 comparison replayed from the committed generations. The recorded v2 writes
    # more generic sentences than v1 (specific sentences -0.07, interval wholly below zero), so
    # the gate fails it and the app ships v1. Editing v2 without re-recording exits 2 (a replay
    # miss); a re-recorded v2 that passes the gate turns this into EXIT_OK.
    argv = ["run", "--offline", "--cache-dir", str(RECORDED_DIR), "--prompt", "v2"]
    argv += ["--baseline", "v1", "--no-naive", "--report-dir", str(tmp_path)]
    code = evals_main(argv)
    out, err = capsys.readouterr()
    assert code == EXIT_REGRESSION, out + err
    (folder,) = tmp_path.iterdir()
    report = (folder / "report.md").read_text()
    assert report.startswith("# Eval report: thank_you_note@v2 vs thank_you_note@v1")
    assert "| metric | v2 | v1 | v2 - v1 |" in report
    payload = json.loads((folder / "report.json").read_text())
    assert [v["label"] for v in payload["versions"]] == ["thank_you_note@v2", "thank_you_note@v1"]
    assert payload["gate"]["applied"] and payload["gate"]["regression"]
    assert [f["metric"] for f in payload["gate"]["findings"]] == ["genericness"]
    assert payload["timing"]["generated_notes"] == 0 and payload["stale"] == []


def test_checks_in_reports_are_the_apps_checks() -> None:
    # The report lists CheckResults from debrief.checks: nothing re-implemented here.
    assert CheckResult.__module__ == "debrief.checks.types"
    assert Expectation().must_reference == ()
