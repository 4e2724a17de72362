"""Patterns: the numbers the Patterns page shows, computed over a real record store."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from debrief.records.models import (
    ActionPlan,
    CauseTag,
    Draft,
    DraftKind,
    DraftStatus,
    Interview,
    Interviewer,
    PlanStep,
    Reflection,
)
from debrief.records.store import RecordStore
from debrief.services.patterns import (
    CauseCount,
    CausesByMonth,
    NoteTiming,
    PatternsService,
    PatternsSummary,
    PlanProgress,
)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[RecordStore]:
    with RecordStore(tmp_path / "data") as opened:
        yield opened


def add_interview(
    store: RecordStore,
    held_at: datetime,
    company: str = "Northwind",
    tags: list[CauseTag] | None = None,
) -> int:
    saved = store.add_interview(Interview(company=company, role="Engineer", held_at=held_at))
    assert saved.id is not None
    if tags is not None:
        store.save_reflection(Reflection(interview_id=saved.id, cause_tags=tags))
    return saved.id


def add_note(
    store: RecordStore, interview_id: int, *, kind: DraftKind = DraftKind.THANK_YOU
) -> int:
    person = store.add_interviewer(Interviewer(interview_id=interview_id, name="Maria Chen"))
    draft = store.add_draft(
        Draft(
            interview_id=interview_id,
            kind=kind,
            interviewer_id=person.id,
            prompt_name="thank_you",
            prompt_version=1,
            prompt_hash="0" * 12,
            model_id="test",
            subject="Thanks",
            body="Dear Maria,",
        )
    )
    assert draft.id is not None
    return draft.id


def mark_sent(store: RecordStore, draft_id: int, at: datetime) -> None:
    """As the page does; then move the send time (the store stamps the real clock)."""
    store.set_draft_status(draft_id, DraftStatus.SENT)
    with store.transaction() as db:
        db.execute("UPDATE drafts SET updated_at = ? WHERE id = ?", (at.isoformat(), draft_id))


def add_plan(store: RecordStore, interview_id: int, done: list[bool]) -> None:
    steps = [
        PlanStep(action=f"Step {n}", due_date=date(2026, 12, 1), done_when="done", done=d)
        for n, d in enumerate(done)
    ]
    store.save_plan(ActionPlan(interview_id=interview_id, steps=steps))


def test_no_history(store: RecordStore) -> None:
    summary = PatternsService(store).summary()
    assert summary == PatternsSummary(
        interviews=0,
        reflections=0,
        causes=CausesByMonth(months=(), causes=(), counts=()),
        notes=NoteTiming(sent=0, on_time=0),
        plans=(),
    )
    assert not summary.has_history
    assert summary.causes.chart_table() == {"month": []}


def test_one_interview_with_nothing_else(store: RecordStore) -> None:
    add_interview(store, datetime(2026, 11, 18, 14, 0))
    summary = PatternsService(store).summary()
    assert summary.has_history
    assert (summary.interviews, summary.reflections) == (1, 0)
    assert summary.causes.months == ()
    assert summary.notes == NoteTiming(0, 0)
    assert summary.plans == ()


def test_a_reflection_without_tags_counts_but_charts_nothing(store: RecordStore) -> None:
    add_interview(store, datetime(2026, 11, 18, 14, 0), tags=[])
    summary = PatternsService(store).summary()
    assert summary.reflections == 1
    assert summary.causes.months == ("2026-11",)
    assert summary.causes.causes == ()
    assert summary.causes.chart_table() == {"month": ["2026-11"]}


def test_causes_by_month_over_several_months(store: RecordStore) -> None:
    add_interview(store, datetime(2026, 9, 2, 10, 0), tags=["narrative", "rapport"])
    add_interview(store, datetime(2026, 11, 18, 14, 0), tags=["narrative"])
    add_interview(store, datetime(2026, 9, 30, 23, 59), tags=["unprepared_question", "narrative"])
    add_interview(store, datetime(2027, 1, 5, 9, 0), tags=["logistics"])
    add_interview(store, datetime(2026, 10, 1, 9, 0))  # no reflection: no month of its own

    causes = PatternsService(store).summary().causes

    assert causes.months == ("2026-09", "2026-11", "2027-01")
    assert causes.causes == ("unprepared_question", "rapport", "narrative", "logistics")
    assert CauseCount("2026-09", "narrative", 2) in causes.counts
    assert len(causes.counts) == len(causes.months) * len(causes.causes)
    assert causes.counts[0].label == "unprepared question"
    assert causes.chart_table() == {
        "unprepared question": [1, 0, 0],
        "rapport": [1, 0, 0],
        "narrative": [2, 1, 0],
        "logistics": [0, 0, 1],
        "month": ["2026-09", "2026-11", "2027-01"],
    }


HELD = datetime(2026, 11, 18, 14, 0)


@pytest.mark.parametrize(
    ("sent_after", "on_time"),
    [
        (timedelta(minutes=30), 1),
        (timedelta(hours=23, minutes=59), 1),
        (timedelta(hours=24), 1),
        (timedelta(hours=24, seconds=1), 0),
        (timedelta(days=3), 0),
    ],
)
def test_a_note_sent_within_24_hours(
    store: RecordStore, sent_after: timedelta, on_time: int
) -> None:
    interview_id = add_interview(store, HELD)
    mark_sent(store, add_note(store, interview_id), (HELD + sent_after).replace(tzinfo=UTC))
    assert PatternsService(store).summary().notes == NoteTiming(sent=1, on_time=on_time)


def test_only_sent_thank_you_notes_count(store: RecordStore) -> None:
    first = add_interview(store, HELD)
    second = add_interview(store, HELD + timedelta(days=10), company="Contoso")
    mark_sent(store, add_note(store, first), (HELD + timedelta(hours=2)).replace(tzinfo=UTC))
    mark_sent(store, add_note(store, first), (HELD + timedelta(days=2)).replace(tzinfo=UTC))
    add_note(store, first)  # drafted, never sent
    mark_sent(store, add_note(store, second, kind=DraftKind.REFRAME), HELD.replace(tzinfo=UTC))
    late_second = HELD + timedelta(days=10, hours=5)
    mark_sent(store, add_note(store, second), late_second.replace(tzinfo=UTC))

    assert PatternsService(store).summary().notes == NoteTiming(sent=3, on_time=2)


def test_an_aware_interview_time_is_compared_in_utc(store: RecordStore) -> None:
    held = datetime(2026, 11, 18, 14, 0, tzinfo=UTC)
    interview_id = add_interview(store, held)
    mark_sent(store, add_note(store, interview_id), held + timedelta(hours=25))
    assert PatternsService(store).summary().notes == NoteTiming(sent=1, on_time=0)


def test_plans_partly_done(store: RecordStore) -> None:
    older = add_interview(store, datetime(2026, 10, 2, 9, 0), company="Contoso")
    newer = add_interview(store, datetime(2026, 11, 18, 14, 0), company="Northwind")
    add_interview(store, datetime(2026, 11, 20, 9, 0), company="Fabrikam")  # no plan
    empty = add_interview(store, datetime(2026, 11, 21, 9, 0), company="Tailspin")
    add_plan(store, older, [True, False, False])
    add_plan(store, newer, [True, True, False, False, True, False, False, False])
    add_plan(store, empty, [])

    plans = PatternsService(store).summary().plans

    assert plans == (  # newest first, as the store lists interviews
        PlanProgress(interview_id=newer, label="Northwind 18 Nov", done=3, total=8),
        PlanProgress(interview_id=older, label="Contoso 02 Oct", done=1, total=3),
    )
    assert [p.percent for p in plans] == [38, 33]


@pytest.mark.parametrize(
    ("done", "percent"),
    [([False], 0), ([True], 100), ([True, False], 50), ([True] * 5 + [False] * 3, 62)],
)
def test_plan_percent_rounds_as_the_page_did(done: list[bool], percent: int) -> None:
    assert PlanProgress(1, "x", sum(done), len(done)).percent == percent


def test_two_interviews_at_one_company_on_one_day_get_separate_bars(store: RecordStore) -> None:
    morning = add_interview(store, datetime(2026, 11, 18, 9, 0))
    afternoon = add_interview(store, datetime(2026, 11, 18, 15, 0))
    add_plan(store, morning, [True])
    add_plan(store, afternoon, [False])

    labels = [p.label for p in PatternsService(store).summary().plans]

    assert labels == [f"Northwind 18 Nov #{afternoon}", f"Northwind 18 Nov #{morning}"]


def test_the_summary_is_read_only(store: RecordStore) -> None:
    interview_id = add_interview(store, HELD, tags=["rapport"])
    add_plan(store, interview_id, [True])
    before = store.export_data()["tables"]
    PatternsService(store).summary()
    assert store.export_data()["tables"] == before
