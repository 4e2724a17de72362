"""The drafting pipeline on the default 1.5B model: one note and one plan (pipeline, not prose)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from debrief.records.models import Reflection
from debrief.services.container import Services, build_services
from debrief.services.interview_file import read_interview_file
from debrief.services.notes import NoteOptions
from debrief.settings import Settings

pytestmark = [pytest.mark.integration, pytest.mark.slow]
EXAMPLES = Path(__file__).parents[2] / "examples"


@pytest.fixture(scope="module")
def services(shared_data_dir: Path) -> Iterator[Services]:
    built = build_services(Settings(data_dir=shared_data_dir, context_size=4096))
    yield built
    built.close()


def test_one_note_is_drafted_checked_and_saved(services: Services) -> None:
    spec = read_interview_file(EXAMPLES / "nursing_one_interviewer.yaml")
    interview_id = services.interviews.add_from_spec(spec)
    result = services.notes.draft_all(interview_id, NoteOptions(candidate_name=spec.candidate_name))
    (note,) = result.notes
    assert note.subject and note.body.startswith("Dear Grace,")
    assert note.body.rstrip().endswith("Amira Haddad")
    keys = [c.key for c in note.checks]
    assert keys == [
        "coverage",
        "cross_talk",
        "grounding",
        "length",
        "genericness",
        "injection",
        "sendable",
    ]
    assert all(0.0 <= c.score <= 1.0 for c in note.checks)
    drafts = json.loads(services.data.export_json())["tables"]["drafts"]
    assert [d["id"] for d in drafts if d["interview_id"] == interview_id] == [note.draft_id]
    saved = services.notes.overview(interview_id).latest[note.interviewer.id or 0]
    assert saved is not None and {c.key for c in saved.checks} == set(keys)
    assert result.distinctness.passed  # one note: nothing to compare


def test_one_plan_is_made_with_dates_from_code(services: Services) -> None:
    spec = read_interview_file(EXAMPLES / "software_two_interviewers.yaml")
    interview_id = services.interviews.add_from_spec(spec)
    services.reflection.save(
        Reflection(
            interview_id=interview_id,
            unprepared_question="The backfill question: I had never done a migration that size.",
            narrative_stall="I could not explain why I left the payments team after a year.",
            cause_tags=["unprepared_question", "narrative"],
            confidence=2,
        )
    )
    result = services.plan.make_plan(interview_id, today=date(2026, 11, 19))
    steps = result.plan.steps
    assert 3 <= len(steps) <= 7
    assert all(date(2026, 11, 19) < s.due_date <= date(2026, 11, 25) for s in steps)
    assert {s.cause for s in steps} <= {"unprepared_question", "narrative"}
    assert result.check.key == "plan_concreteness"
