"""Patterns across every interview: which causes recur, whether notes go out in time, how plans go.

The Patterns page renders a `PatternsSummary` and computes nothing itself.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from debrief.records.models import CAUSE_TAGS, CauseTag, DraftKind, DraftStatus, Interview
from debrief.records.store import RecordStore

NOTE_WINDOW = timedelta(hours=24)


@dataclass(frozen=True)
class CauseCount:
    """How many reflections of interviews held in `month` ("YYYY-MM") were tagged `cause`."""

    month: str
    cause: CauseTag
    count: int

    @property
    def label(self) -> str:
        return cause_label(self.cause)


@dataclass(frozen=True)
class CausesByMonth:
    """Cause tags per month of the interview, for a stacked bar chart.

    `months` lists every month with a reflection, oldest first; `causes` the tags used at least
    once, in `CAUSE_TAGS` order; `counts` holds one row per month and cause, zeros included.
    """

    months: tuple[str, ...]
    causes: tuple[CauseTag, ...]
    counts: tuple[CauseCount, ...]

    def chart_table(self) -> dict[str, list[str] | list[int]]:
        """Wide columns for `st.bar_chart(..., x="month")`: one column per cause, then "month"."""
        table: dict[str, list[str] | list[int]] = {
            cause_label(cause): [row.count for row in self.counts if row.cause == cause]
            for cause in self.causes
        }
        table["month"] = list(self.months)
        return table


@dataclass(frozen=True)
class NoteTiming:
    """Thank-you notes marked as sent, and how many of them within 24 hours of the interview."""

    sent: int
    on_time: int


@dataclass(frozen=True)
class PlanProgress:
    """Share of one interview's plan steps that are done."""

    interview_id: int
    label: str
    done: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total)


@dataclass(frozen=True)
class PatternsSummary:
    interviews: int
    reflections: int
    causes: CausesByMonth
    notes: NoteTiming
    plans: tuple[PlanProgress, ...]

    @property
    def has_history(self) -> bool:
        return self.interviews > 0


def cause_label(cause: CauseTag) -> str:
    return cause.replace("_", " ")


def _sent_within_window(held_at: datetime, sent_at: datetime) -> bool:
    # The same arithmetic as the page before issue #12, so the numbers do not move: the send
    # time (UTC) against held_at, which the Interview page stores naive, in local wall-clock
    # time; away from UTC the window is off by the user's offset. An aware held_at (an import)
    # is put in UTC rather than raising TypeError.
    held = held_at.astimezone(UTC).replace(tzinfo=None) if held_at.tzinfo else held_at
    sent = sent_at.astimezone(UTC).replace(tzinfo=None) if sent_at.tzinfo else sent_at
    return sent - held <= NOTE_WINDOW


class PatternsService:
    """Aggregates over the whole record store for the Patterns page."""

    def __init__(self, store: RecordStore) -> None:
        self._store = store

    def summary(self) -> PatternsSummary:
        interviews = [i for i in self._store.list_interviews() if i.id is not None]
        held = {i.id: i.held_at for i in interviews}
        # A reflection goes with its interview when that is deleted; skip one caught in between.
        reflections = [r for r in self._store.list_reflections() if r.interview_id in held]
        return PatternsSummary(
            interviews=len(interviews),
            reflections=len(reflections),
            causes=_causes_by_month([(held[r.interview_id], r.cause_tags) for r in reflections]),
            notes=self._note_timing(interviews),
            plans=self._plan_progress(interviews),
        )

    def _note_timing(self, interviews: list[Interview]) -> NoteTiming:
        sent = on_time = 0
        for interview in interviews:
            for draft in self._store.list_drafts(interview.id or 0):
                if (
                    draft.kind == DraftKind.THANK_YOU
                    and draft.status == DraftStatus.SENT
                    and draft.updated_at
                ):
                    sent += 1
                    on_time += _sent_within_window(interview.held_at, draft.updated_at)
        return NoteTiming(sent=sent, on_time=on_time)

    def _plan_progress(self, interviews: list[Interview]) -> tuple[PlanProgress, ...]:
        rows: list[PlanProgress] = []
        for interview in interviews:  # newest first, as the store lists them
            plan = self._store.get_plan(interview.id or 0)
            if plan and plan.steps:
                rows.append(
                    PlanProgress(
                        interview_id=interview.id or 0,
                        label=f"{interview.company} {interview.held_at:%d %b}",
                        done=sum(step.done for step in plan.steps),
                        total=len(plan.steps),
                    )
                )
        return _distinct_labels(rows)


def _causes_by_month(tagged: list[tuple[datetime, list[CauseTag]]]) -> CausesByMonth:
    """Count tags by the month each interview was held."""
    months: dict[str, Counter[CauseTag]] = {}
    for held_at, tags in tagged:
        months.setdefault(held_at.strftime("%Y-%m"), Counter()).update(tags)
    ordered = tuple(sorted(months))
    causes = tuple(tag for tag in CAUSE_TAGS if any(months[m][tag] for m in ordered))
    counts = tuple(
        CauseCount(month=m, cause=tag, count=months[m][tag]) for tag in causes for m in ordered
    )
    return CausesByMonth(months=ordered, causes=causes, counts=counts)


def _distinct_labels(rows: list[PlanProgress]) -> tuple[PlanProgress, ...]:
    """Two interviews at one company on one day would share a chart bar; add the id to those."""
    seen = Counter(row.label for row in rows)
    return tuple(
        PlanProgress(row.interview_id, f"{row.label} #{row.interview_id}", row.done, row.total)
        if seen[row.label] > 1
        else row
        for row in rows
    )
