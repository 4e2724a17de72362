from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from pydantic import BaseModel, ValidationError

from debrief.checks.types import CheckResult, CoverageEvidence
from debrief.errors import DebriefError, InputError
from debrief.records.migrations import SCHEMA_VERSION
from debrief.records.models import (
    ActionPlan,
    CompanyResearch,
    Draft,
    DraftKind,
    DraftStatus,
    Interview,
    Interviewer,
    Outcome,
    PlanStep,
    Reflection,
    Stumble,
)
from debrief.records.store import DataDirInUseError, RecordNotFoundError, RecordStore


@pytest.fixture
def store(tmp_path: Path) -> Iterator[RecordStore]:
    with RecordStore(tmp_path / "data") as opened:
        yield opened


def interview(**changes: object) -> Interview:
    base: dict[str, object] = {
        "company": "Northwind Logistics",
        "role": "Senior Backend Engineer",
        "held_at": datetime(2026, 11, 18, 14, 0),
    }
    return Interview.model_validate(base | changes)


def test_an_interview_and_its_people_round_trip(store: RecordStore) -> None:
    saved = store.add_interview(interview(stage="second round", notes="Panel of two."))
    assert saved.id is not None and saved.created_at is not None
    person = store.add_interviewer(
        Interviewer(
            interview_id=saved.id,
            name="Maria Chen",
            title="Engineering Manager",
            topics=["Kafka billing", "", "on-call"],
            questions=["How would you backfill?"],
        )
    )
    stumble = store.add_stumble(
        Stumble(
            interview_id=saved.id,
            interviewer_id=person.id,
            question="Backfill?",
            what_i_wish="Replay",
        )
    )
    assert store.get_interview(saved.id).notes == "Panel of two."
    (loaded,) = store.list_interviewers(saved.id)
    assert loaded.topics == ["Kafka billing", "on-call"]  # blanks dropped
    assert store.list_stumbles(saved.id) == [stumble]
    changed = store.update_interview(saved.model_copy(update={"outcome": Outcome.NEXT_ROUND}))
    assert store.get_interview(saved.id).outcome is Outcome.NEXT_ROUND
    assert changed.updated_at is not None


def test_deleting_an_interview_deletes_what_belongs_to_it(store: RecordStore) -> None:
    saved = store.add_interview(interview())
    assert saved.id is not None
    store.add_interviewer(Interviewer(interview_id=saved.id, name="Ana"))
    store.add_stumble(Stumble(interview_id=saved.id, question="Why us?"))
    store.save_reflection(Reflection(interview_id=saved.id, cause_tags=["rapport"]))
    store.add_research(CompanyResearch(interview_id=saved.id, title="t", source="pasted", text="x"))
    store.delete_interview(saved.id)
    assert sum(store.counts().values()) == 0
    with pytest.raises(RecordNotFoundError):
        store.get_interview(saved.id)


def test_one_reflection_per_interview_is_replaced_in_place(store: RecordStore) -> None:
    saved = store.add_interview(interview())
    assert saved.id is not None
    first = store.save_reflection(Reflection(interview_id=saved.id, free_text="a", confidence=2))
    second = store.save_reflection(
        Reflection(interview_id=saved.id, free_text="b", cause_tags=["rapport", "rapport"])
    )
    assert second.id == first.id and second.created_at == first.created_at
    loaded = store.get_reflection(saved.id)
    assert loaded is not None and loaded.free_text == "b" and loaded.cause_tags == ["rapport"]


@pytest.mark.parametrize(
    ("model", "fields"),
    [
        (Reflection, {"interview_id": 1, "confidence": 6}),
        (Reflection, {"interview_id": 1, "cause_tags": ["bad_luck"]}),
        (Interview, {"company": "  ", "role": "x", "held_at": "2026-01-01T00:00"}),
        (Interview, {"company": "x", "role": "x", "held_at": "yesterday"}),
        (Interviewer, {"interview_id": 1, "name": "\u200b"}),
        (PlanStep, {"action": "x", "due_date": "2026-02-30", "done_when": "y"}),
    ],
)
def test_invalid_records_are_refused(model: type[BaseModel], fields: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        model.model_validate(fields)


def test_a_failed_transaction_leaves_nothing_behind(store: RecordStore) -> None:
    with pytest.raises(RuntimeError), store.transaction() as db:
        db.execute(
            "INSERT INTO interviews"
            " (company, role, held_at, format, outcome, created_at, updated_at)"
            " VALUES ('A', 'B', '2026-01-01', 'video', 'pending', 'now', 'now')"
        )
        raise RuntimeError("crash half-way")
    assert store.list_interviews() == []


def test_indexed_writes_bump_the_revision(store: RecordStore) -> None:
    start = store.revision
    saved = store.add_interview(interview())
    assert saved.id is not None
    store.add_stumble(Stumble(interview_id=saved.id, question="q"))
    assert store.revision == start + 2
    draft = store.add_draft(_draft(saved.id))
    assert store.revision == start + 2  # drafts are not indexed
    assert draft.id is not None


COVERAGE = CheckResult(
    "coverage", 0.5, False, "Half the facts.", CoverageEvidence(missing=("Kafka",))
)


def _draft(interview_id: int) -> Draft:
    return Draft(
        interview_id=interview_id,
        kind=DraftKind.THANK_YOU,
        prompt_name="thank_you_note",
        prompt_version=1,
        prompt_hash="abc",
        model_id="qwen",
        subject="Kafka billing",
        body="Dear Maria,",
        checks=[COVERAGE],
    )


def test_editing_a_draft_keeps_the_earlier_versions(store: RecordStore) -> None:
    saved = store.add_interview(interview())
    assert saved.id is not None
    draft = store.add_draft(_draft(saved.id))
    assert draft.id is not None
    passed = CheckResult("coverage", 1.0, True, "All facts.")
    store.revise_draft(draft.id, "Kafka", "Dear Maria, thank you.", [passed])
    final = store.revise_draft(
        draft.id, "Kafka billing", "Dear Maria, thanks again.", [passed], DraftStatus.SENT
    )
    assert (final.version, final.status, final.subject, final.body) == (
        3,
        DraftStatus.SENT,
        "Kafka billing",
        "Dear Maria, thanks again.",
    )
    versions = store.draft_versions(draft.id)
    assert [(v.version, v.subject, v.body) for v in versions] == [
        (1, "Kafka billing", "Dear Maria,"),
        (2, "Kafka", "Dear Maria, thank you."),
    ]
    assert store.get_draft(draft.id).checks == [passed]  # typed, and those of the new text


def test_a_plan_is_saved_in_order_and_steps_can_be_checked_off(store: RecordStore) -> None:
    saved = store.add_interview(interview())
    assert saved.id is not None
    steps = [
        PlanStep(
            action=f"step {n}", due_date=date(2026, 11, 20 + n), done_when="done", cause="narrative"
        )
        for n in range(3)
    ]
    plan = store.save_plan(ActionPlan(interview_id=saved.id, steps=steps))
    loaded = store.get_plan(saved.id)
    assert loaded is not None and [s.action for s in loaded.steps] == ["step 0", "step 1", "step 2"]
    store.update_step(loaded.steps[1].model_copy(update={"done": True}))
    reloaded = store.get_plan(saved.id)
    assert reloaded is not None and [s.done for s in reloaded.steps] == [False, True, False]
    store.save_plan(ActionPlan(interview_id=saved.id, steps=steps[:1]))  # replaces, not appends
    replaced = store.get_plan(saved.id)
    assert replaced is not None and len(replaced.steps) == 1 and plan.id is not None


def test_the_database_runs_in_wal_mode_with_foreign_keys(store: RecordStore) -> None:
    with sqlite3.connect(store.path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.schema_version == SCHEMA_VERSION


def test_a_second_store_on_the_same_directory_is_refused(store: RecordStore) -> None:
    with pytest.raises(DataDirInUseError) as caught:
        RecordStore(store.data_dir)
    assert str(store.data_dir) in caught.value.message


def test_the_lock_is_released_on_close(tmp_path: Path) -> None:
    RecordStore(tmp_path).close()
    RecordStore(tmp_path).close()


def test_a_first_schema_database_is_migrated_with_its_data(tmp_path: Path) -> None:
    # A database exactly as the first release wrote it: schema 1 and a row in it.
    db = sqlite3.connect(tmp_path / "debrief.sqlite3", isolation_level=None)
    from debrief.records.migrations import MIGRATIONS

    db.executescript(f"BEGIN;{MIGRATIONS[0]}PRAGMA user_version = 1;COMMIT;")
    db.execute(
        "INSERT INTO interviews (company, role, held_at, format, outcome, created_at, updated_at)"
        " VALUES ('Acme', 'Analyst', '2026-03-01T10:00:00', 'phone', 'pending',"
        " '2026-03-01T12:00:00Z', '2026-03-01T12:00:00Z')"
    )
    db.close()
    with RecordStore(tmp_path) as store:
        assert store.schema_version == SCHEMA_VERSION
        (kept,) = store.list_interviews()
        assert kept.company == "Acme"
        assert kept.id is not None
        assert store.add_draft(_draft(kept.id)).id is not None  # the new tables work


def test_a_second_schema_database_gets_subjects_apart_from_bodies(tmp_path: Path) -> None:
    # Schema 2 kept a note as "Subject: …\n\nbody" and its checks as {key: check}.
    db = sqlite3.connect(tmp_path / "debrief.sqlite3", isolation_level=None)
    from debrief.records.migrations import MIGRATIONS

    db.executescript(f"BEGIN;{MIGRATIONS[0]}{MIGRATIONS[1]}PRAGMA user_version = 2;COMMIT;")
    db.execute(
        "INSERT INTO interviews (company, role, held_at, format, outcome, created_at, updated_at)"
        " VALUES ('Acme', 'Analyst', '2026-03-01T10:00:00', 'phone', 'pending',"
        " '2026-03-01T12:00:00Z', '2026-03-01T12:00:00Z')"
    )
    checks = '{"coverage": {"key": "coverage", "score": 1.0, "passed": true, "comment": "ok"}}'
    for text in ("Subject: Kafka billing\n\nDear Maria,\n\nThanks.", "A reframe, no subject."):
        db.execute(
            "INSERT INTO drafts (interview_id, kind, prompt_name, prompt_version, prompt_hash,"
            " model_id, text, checks, status, created_at, updated_at) VALUES (1, 'thank-you',"
            " 'thank_you_note', 1, 'h', 'm', ?, ?, 'drafted', '2026-03-01T12:00:00Z',"
            " '2026-03-01T12:00:00Z')",
            (text, checks),
        )
    db.execute(
        "INSERT INTO draft_versions VALUES (1, 1, 'Subject: Old\n\nDear Maria,', 'drafted',"
        " '2026-03-01T12:00:00Z')"
    )
    db.close()
    with RecordStore(tmp_path) as store:
        note, reframe = store.list_drafts(1)
        assert (note.subject, note.body) == ("Kafka billing", "Dear Maria,\n\nThanks.")
        assert (reframe.subject, reframe.body) == ("", "A reframe, no subject.")
        assert note.checks == [CheckResult("coverage", 1.0, True, "ok")]
        (old,) = store.draft_versions(note.id or 0)
        assert (old.subject, old.body) == ("Old", "Dear Maria,")


def test_an_export_from_schema_two_is_imported_with_subjects(tmp_path: Path) -> None:
    with RecordStore(tmp_path / "a") as source:
        _fill(source)
        exported = source.export_data()
    # The same export as schema 2 wrote it: one text per draft and per version.
    exported["schema_version"] = 2
    for name in ("drafts", "draft_versions"):
        for row in exported["tables"][name]:
            row["text"] = f"Subject: {row.pop('subject')}\n\n{row.pop('body')}"
    with RecordStore(tmp_path / "b") as target:
        target.import_data(exported)
        (draft,) = target.list_drafts(1)
        assert (draft.subject, draft.body) == ("Kafka", "v2")
        assert [(v.subject, v.body) for v in target.draft_versions(draft.id or 0)] == [
            ("Kafka billing", "Dear Maria,")
        ]


def test_a_database_from_a_newer_release_is_not_touched(tmp_path: Path) -> None:
    with sqlite3.connect(tmp_path / "debrief.sqlite3") as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(DebriefError, match="newer Debrief"):
        RecordStore(tmp_path)
    RecordStore(tmp_path / "other").close()  # and the lock was released on the way out


def _fill(store: RecordStore) -> None:
    saved = store.add_interview(interview(notes="Notes with ünïcode and emoji 🙂"))
    assert saved.id is not None
    store.add_interviewer(Interviewer(interview_id=saved.id, name="Maria Chen", topics=["Kafka"]))
    store.save_reflection(
        Reflection(interview_id=saved.id, cause_tags=["narrative"], free_text="ok")
    )
    draft = store.add_draft(_draft(saved.id))
    assert draft.id is not None
    store.revise_draft(draft.id, "Kafka", "v2", [COVERAGE])
    store.save_plan(
        ActionPlan(
            interview_id=saved.id,
            steps=[PlanStep(action="Rehearse", due_date=date(2026, 11, 30), done_when="twice")],
        )
    )


def test_export_and_import_round_trip_ids_texts_and_counts(tmp_path: Path) -> None:
    with RecordStore(tmp_path / "a") as source:
        _fill(source)
        exported = source.export_data()
        counts = source.counts()
    with RecordStore(tmp_path / "b") as target:
        assert target.import_data(exported) == counts
        again = target.export_data()
    assert again["tables"] == exported["tables"]
    assert counts["draft_versions"] == 1 and counts["plan_steps"] == 1


def test_import_refuses_to_mix_histories_unless_replacing(tmp_path: Path) -> None:
    with RecordStore(tmp_path / "a") as source:
        _fill(source)
        exported = source.export_data()
    with RecordStore(tmp_path / "b") as target:
        target.add_interview(interview(company="Other"))
        with pytest.raises(InputError, match="records already"):
            target.import_data(exported)
        assert [i.company for i in target.list_interviews()] == ["Other"]
        target.import_data(exported, replace=True)
        assert [i.company for i in target.list_interviews()] == ["Northwind Logistics"]


@pytest.mark.parametrize(
    "payload",
    [
        {"format": "something-else"},
        {"format": "debrief-export", "schema_version": 99, "tables": {}},
        {"format": "debrief-export", "schema_version": 2, "tables": {"passwords": []}},
        {"format": "debrief-export", "schema_version": 2, "tables": {"interviews": [{"evil": 1}]}},
        {"format": "debrief-export", "schema_version": 2, "tables": {"interviews": [{"id": 1}]}},
    ],
)
def test_a_bad_import_changes_nothing(store: RecordStore, payload: dict[str, object]) -> None:
    saved = store.add_interview(interview())
    with pytest.raises(InputError):
        store.import_data(payload, replace=True)
    assert store.list_interviews() == [store.get_interview(saved.id or 0)]
