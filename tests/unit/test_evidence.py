"""Typed evidence: every kind survives SQLite and exports, and rows written as dicts still load."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from debrief.checks.types import (
    EVIDENCE_BY_KEY,
    CheckResult,
    CoverageEvidence,
    CrossTalkEvidence,
    Defect,
    DistinctnessEvidence,
    Evidence,
    FactMatch,
    Flag,
    ForbiddenEvidence,
    GenericnessEvidence,
    GroundingEvidence,
    InjectionEvidence,
    InventedMention,
    JudgeEvidence,
    Leak,
    LengthEvidence,
    MustReferenceEvidence,
    NoEvidence,
    NotePair,
    PlanEvidence,
    SendableEvidence,
    SentenceScore,
    SharedSentence,
    StepProblems,
    check_from_json,
    check_to_json,
    evidence_from_json,
    evidence_to_json,
)
from debrief.records.models import Draft
from debrief.records.store import RecordStore
from tests.unit.test_store import _draft, interview

EXAMPLES: dict[str, Evidence] = {
    "coverage": CoverageEvidence(
        found=("Maria Chen",),
        missing=("Kafka billing",),
        per_fact=(FactMatch("name", "Maria Chen", ("maria",)), FactMatch("topic", "Kafka billing")),
    ),
    "cross_talk": CrossTalkEvidence((Leak("on-call rota", "Dev Patel", "topic", ("rota",)),)),
    "grounding": GroundingEvidence((InventedMention("Sam Ortiz", "name", 40, 49),), checked=3),
    "length": LengthEvidence(words=231, max_words=200),
    "distinctness": DistinctnessEvidence(
        (NotePair("Maria", "Dev", 0.25, 0.5, (SharedSentence("Thanks.", "Thanks!", 0.9),)),),
        max_jaccard=0.2,
        max_cosine=0.6,
    ),
    "genericness": GenericnessEvidence(
        (SentenceScore("I hope you are well.", 0.1, True, ("hope you are well",)),),
        stock_phrases_found=("hope you are well",),
        generic_share=1.0,
    ),
    "plan_concreteness": PlanEvidence(
        (StepProblems(0, ("the action is vague (“work on”)",), {"vague_action": "work on"}),),
        problems=("the plan has 2 steps; it needs 3 to 7",),
    ),
    "injection": InjectionEvidence((Flag("postscript", "P.S. I accept less.", "A P.S."),)),
    "sendable": SendableEvidence((Defect("third_person", "Maria said", "It narrates Maria."),)),
    "must_reference": MustReferenceEvidence(found=("a",), missing=("b",)),
    "no_forbidden": ForbiddenEvidence(("salary",)),
    "judge": JudgeEvidence(specific=4, personal=3, truthful=5, voice=4, reason="Generic close."),
}


def test_every_check_key_has_an_example() -> None:
    assert set(EXAMPLES) == set(EVIDENCE_BY_KEY)
    assert all(type(EXAMPLES[key]) is kind for key, kind in EVIDENCE_BY_KEY.items())


@pytest.mark.parametrize("key", sorted(EXAMPLES))
def test_every_evidence_type_round_trips_through_json(key: str) -> None:
    check = CheckResult(key, 0.5, False, "comment", EXAMPLES[key])
    text = json.dumps(check_to_json(check))
    assert check_from_json(json.loads(text)) == check


def test_evidence_serialises_as_the_dict_it_was_before() -> None:
    def as_json(key: str) -> object:
        return json.loads(json.dumps(evidence_to_json(EXAMPLES[key])))

    assert as_json("length") == {"words": 231, "max_words": 200}
    assert as_json("sendable") == {
        "defects": [{"key": "third_person", "span": "Maria said", "reason": "It narrates Maria."}]
    }


def test_loading_ignores_unknown_fields_and_fills_missing_ones() -> None:
    loaded = evidence_from_json("grounding", {"checked": 2, "added_by_a_newer_version": True})
    assert loaded == GroundingEvidence(invented=(), checked=2)
    assert evidence_from_json("a_check_from_elsewhere", {"anything": 1}) == NoEvidence()
    assert evidence_from_json("coverage", None) == NoEvidence()
    assert evidence_from_json("coverage", {}) == NoEvidence()


# A thank-you note's checks as schema 3 stored them before evidence was typed: plain dicts.
OLD_CHECKS = [
    {
        "key": "coverage",
        "score": 0.5,
        "passed": False,
        "comment": "The note cites 1 of 2 facts.",
        "evidence": {
            "found": ["Maria Chen"],
            "missing": ["Kafka billing"],
            "per_fact": [{"kind": "name", "text": "Maria Chen", "matched_words": ["maria"]}],
        },
    },
    {
        "key": "grounding",
        "score": 1,
        "passed": True,
        "comment": "ok",
        "evidence": {"invented": [], "checked": 0},
    },
    {
        "key": "injection",
        "score": 1.0,
        "passed": True,
        "comment": "Nothing planted.",
        "evidence": {},
    },
    {
        "key": "sendable",
        "score": 0.0,
        "passed": False,
        "comment": "1 thing(s) to fix before sending: third person.",
        "evidence": {
            "defects": [{"key": "third_person", "span": "Maria said", "reason": "Narrates."}]
        },
    },
]


def _old_draft_row(db: sqlite3.Connection, checks: object) -> None:
    db.execute(
        "INSERT INTO drafts (interview_id, kind, prompt_name, prompt_version, prompt_hash,"
        " model_id, subject, body, checks, status, version, created_at, updated_at)"
        " VALUES (1, 'thank-you', 'thank_you_note', 4, 'h', 'm', 'Kafka', 'Dear Maria,', ?,"
        " 'drafted', 1, '2026-03-01T12:00:00Z', '2026-03-01T12:00:00Z')",
        (json.dumps(checks),),
    )


def _assert_old_checks_loaded(draft: Draft) -> None:
    coverage, grounding, injection, sendable = draft.checks
    assert coverage.evidence == CoverageEvidence(
        ("Maria Chen",), ("Kafka billing",), (FactMatch("name", "Maria Chen", ("maria",)),)
    )
    assert grounding.evidence == GroundingEvidence((), 0) and grounding.score == 1.0
    assert injection.evidence == NoEvidence() and injection.evidence.findings == ()
    assert sendable.evidence == SendableEvidence(
        (Defect("third_person", "Maria said", "Narrates."),)
    )
    assert sendable.evidence.findings == ("Maria said",)


def _loaded_and_imported(data_dir: Path) -> tuple[Draft, Draft]:
    """The one draft of interview 1 as the store reads it, and as a new store reads its export."""
    with RecordStore(data_dir) as store:
        (loaded,) = store.list_drafts(1)
        exported = store.export_data()
    with RecordStore(data_dir / "imported") as target:
        target.import_data(exported)
        (imported,) = target.list_drafts(1)
    return loaded, imported


def test_a_draft_stored_with_dict_evidence_still_loads(tmp_path: Path) -> None:
    with RecordStore(tmp_path) as store:
        assert store.add_interview(interview()).id == 1
    db = sqlite3.connect(tmp_path / "debrief.sqlite3", isolation_level=None)
    _old_draft_row(db, OLD_CHECKS)
    db.close()
    # An export made before the change holds the same JSON: it imports as well.
    for draft in _loaded_and_imported(tmp_path):
        _assert_old_checks_loaded(draft)


def test_every_evidence_type_round_trips_through_a_stored_draft(tmp_path: Path) -> None:
    checks = [CheckResult(key, 0.5, False, key, evidence) for key, evidence in EXAMPLES.items()]
    checks.append(CheckResult("coverage", 0.0, False, "No usable draft."))  # NoEvidence
    with RecordStore(tmp_path) as store:
        assert store.add_interview(interview()).id == 1
        store.add_draft(_draft(1).model_copy(update={"checks": checks}))
    for draft in _loaded_and_imported(tmp_path):
        assert draft.checks == checks
