"""Scores for generated notes: the app's own specificity checks plus the case's expectations.

Nothing here re-implements a check: coverage, cross-talk, grounding, length, genericness and
distinctness come from `debrief.checks`; "must reference" is the coverage check pointed at the
case's list of facts, so it matches as tolerantly as the app does.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from statistics import fmean
from typing import Literal

from debrief.checks.defects import sendable
from debrief.checks.notes import check_note
from debrief.checks.notes.coverage import coverage
from debrief.checks.notes.distinctness import distinctness
from debrief.checks.notes.inputs import NoteInputs, PersonFacts
from debrief.checks.types import (
    CheckResult,
    ForbiddenEvidence,
    LengthEvidence,
    MustReferenceEvidence,
    NoEvidence,
    evidence_as,
)
from evals.cache import CaseGeneration, NoteGeneration
from evals.cases import EvalCase, Expectation
from evals.generate import PreparedNote

RULE_CHECKS = ("coverage", "cross_talk", "grounding", "length", "genericness")


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    description: str
    per: Literal["note", "case"]


METRICS: tuple[Metric, ...] = (
    Metric(
        "sendable",
        "sendable",
        "share of notes in which the reader's-standard detectors find no defect",
        "note",
    ),
    Metric("coverage", "coverage", "share of the interviewer's facts the note cites", "note"),
    Metric(
        "must_reference", "must reference", "share of the case's must-reference facts cited", "note"
    ),
    Metric("cross_talk", "no cross-talk", "1 / (1 + facts borrowed from another person)", "note"),
    Metric("grounding", "grounding", "share of names, numbers and dates the input gave", "note"),
    Metric("genericness", "specific sentences", "1 - share of generic sentences", "note"),
    Metric("length", "length", "1 within the word limit, else limit / words", "note"),
    Metric("no_forbidden", "no forbidden text", "share of notes free of must-not-contain", "note"),
    Metric("all_pass", "all checks pass", "share of notes passing the five rule checks", "note"),
    Metric("distinctness", "distinctness", "1 - worst pair's similarity ratio (2+ notes)", "case"),
    Metric("judge", "judge rubric", "LLM judge: four 1-5 ratings scaled to 0..1", "note"),
)
METRIC_KEYS = tuple(metric.key for metric in METRICS)


@dataclass(frozen=True)
class NoteScore:
    """One note's checks; `text` is what was scored."""

    interviewer: str
    text: str
    words: int
    checks: tuple[CheckResult, ...]  # RULE_CHECKS, must_reference, no_forbidden, sendable
    judge: CheckResult | None = None
    error: str = ""

    def check(self, key: str) -> CheckResult | None:
        if key == "judge":
            return self.judge
        return next((c for c in self.checks if c.key == key), None)

    def value(self, key: str) -> float | None:
        """The note's value for a note-level metric (None: not defined for this note)."""
        if key == "all_pass":
            rules = [c for c in self.checks if c.key in RULE_CHECKS]
            return float(bool(rules) and all(c.passed for c in rules))
        check = self.check(key)
        if check is None or evidence_as(check, MustReferenceEvidence).undefined:
            return None
        return check.score


@dataclass(frozen=True)
class CaseScore:
    """Every note of one case under one prompt version, and the case-level checks."""

    case_id: str
    variant: str
    notes: tuple[NoteScore, ...]
    distinctness: CheckResult
    stale: bool = False

    def value(self, key: str) -> float | None:
        """The case's value: the mean over its notes, or the case-level check."""
        if key == "distinctness":
            return self.distinctness.score if len(self.notes) >= 2 else None
        values = [v for note in self.notes if (v := note.value(key)) is not None]
        return fmean(values) if values else None

    def values(self) -> dict[str, float | None]:
        return {key: self.value(key) for key in METRIC_KEYS}


def must_reference(text: str, expected: Sequence[str]) -> CheckResult[MustReferenceEvidence]:
    """Share of the case's must-reference facts the note cites (coverage's tolerant matching)."""
    if not expected:
        comment = "The case lists nothing to reference."
        return CheckResult(
            "must_reference", 1.0, True, comment, MustReferenceEvidence(undefined=True)
        )
    facts = NoteInputs(company="", role="", interviewer=PersonFacts("", topics=tuple(expected)))
    result = coverage(text, facts, threshold=1.0)
    found, missing = result.evidence.found, result.evidence.missing
    comment = (
        f"Cites all {len(found)} expected facts."
        if not missing
        else f"Cites {len(found)} of {len(expected)} expected facts; missing: {'; '.join(missing)}."
    )
    evidence = MustReferenceEvidence(found, missing)
    return CheckResult("must_reference", result.score, not missing, comment, evidence)


def forbidden_strings(text: str, forbidden: Sequence[str]) -> CheckResult[ForbiddenEvidence]:
    """Strings the note must never contain (case-insensitive, not inside a longer word)."""
    found = [
        item
        for item in forbidden
        if re.search(rf"(?<!\w){re.escape(item.strip())}(?!\w)", text, re.IGNORECASE)
    ]
    comment = f"Contains {'; '.join(found)}." if found else "Contains none of the forbidden text."
    evidence = ForbiddenEvidence(tuple(found))
    return CheckResult("no_forbidden", 0.0 if found else 1.0, not found, comment, evidence)


def _failed(key: str, error: str) -> CheckResult:
    return CheckResult(key, 0.0, False, f"No usable draft: {error}", NoEvidence())


def score_note(
    generation: NoteGeneration,
    prepared: PreparedNote,
    expectation: Expectation,
    scored_text: str,
    judge: CheckResult | None = None,
) -> NoteScore:
    """Every check on one note; a failed generation scores 0 everywhere (it helps nobody)."""
    if generation.error:
        keys = (*RULE_CHECKS, "must_reference", "no_forbidden", "sendable")
        checks = tuple(_failed(key, generation.error) for key in keys)
        return NoteScore(generation.interviewer, "", 0, checks, judge, generation.error)
    inputs: NoteInputs = prepared.inputs
    rules = check_note(scored_text, inputs)
    full_text = f"{generation.subject}\n{scored_text}"
    # The case's must-reference facts are what its user marked as important.
    marked = dataclasses.replace(inputs, must_mention=tuple(expectation.must_reference))
    checks = (
        *rules,
        must_reference(scored_text, expectation.must_reference),
        forbidden_strings(full_text, expectation.must_not_contain),
        sendable(generation.subject, scored_text, marked),
    )
    words = evidence_as(next(c for c in rules if c.key == "length"), LengthEvidence).words
    return NoteScore(generation.interviewer, scored_text, words, checks, judge)


def score_case(
    case: EvalCase,
    prepared: Sequence[PreparedNote],
    generation: CaseGeneration,
    judges: Mapping[str, CheckResult] | None = None,
    stale: bool = False,
) -> CaseScore:
    """Score every note of a case; distinctness compares the notes with each other."""
    by_name = {note.name: note for note in prepared}
    scores = tuple(
        score_note(
            note,
            by_name[note.interviewer],
            case.expect[note.interviewer],
            note.body,
            (judges or {}).get(note.interviewer),
        )
        for note in generation.notes
    )
    across = distinctness({s.interviewer: s.text for s in scores if not s.error})
    return CaseScore(case.case_id, generation.key.prompt, scores, across, stale)
