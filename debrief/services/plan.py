"""The action plan: dated steps up to the next interview, written by code from the records.

No model writes a step. Asked for a plan, the default model gave a "done when" that was a
duration or a date, targeted questions and causes the user never had, and repeated steps; a
plan built from templates filled with the user's own facts is right every time
(`debrief/services/plan_steps.py`, words in `prompts/action_plan_parts`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from debrief.checks.injection import Flag, output_flags
from debrief.checks.plan import PlanStepInput, plan_concreteness
from debrief.checks.types import CheckResult
from debrief.errors import InputError
from debrief.records.models import CAUSE_TAGS, ActionPlan, Interview, PlanStep, Reflection
from debrief.services.history import HistoryService
from debrief.services.plan_steps import (
    PersonFacts,
    PlanFacts,
    StumbleFacts,
    cause_name,
    draft_steps,
)
from prompts import load_reflection_questions

HORIZON_DAYS = 7


@dataclass(frozen=True)
class PlanResult:
    """A saved plan, the check of its steps, and its last due date."""

    plan: ActionPlan
    check: CheckResult
    horizon: date
    # Signs a step carries planted text (a postscript, a link, another language): code writes
    # steps from the user's records, but an edited or imported plan may hold anything.
    flags: tuple[Flag, ...] = ()


def due_dates(
    count: int, *, today: date, interview_day: date, next_interview: date | None
) -> list[date]:
    """Spread `count` due dates from tomorrow up to the day before the next interview.

    With no next interview, or one already past, the horizon is a week. When the next interview
    is tomorrow, every step is due tomorrow; when it is today, today. Earlier steps (the most
    important) come first.
    """
    start = max(today, interview_day)
    if next_interview is not None and next_interview == start > interview_day:
        return [start] * count
    if next_interview is None or next_interview <= start:
        end = start + timedelta(days=HORIZON_DAYS)
    elif next_interview == start + timedelta(days=1):
        end = next_interview
    else:
        end = next_interview - timedelta(days=1)
    span = (end - start).days
    return [start + timedelta(days=1 + (i * span) // count) for i in range(count)]


class PlanService:
    def __init__(self, history: HistoryService) -> None:
        self._history = history

    def make_plan(self, interview_id: int, *, today: date | None = None) -> PlanResult:
        """Build 3-7 steps from the saved reflection and the interview, date them, check them
        and save the plan (it replaces an earlier one)."""
        store = self._history.store
        interview = store.get_interview(interview_id)
        reflection = store.get_reflection(interview_id)
        if reflection is None:
            raise InputError(
                "There is no reflection for this interview yet.",
                hint="Save a reflection first: the plan is built from its causes.",
            )
        drafted = draft_steps(self._facts(interview, reflection))
        today = today or date.today()
        days = due_dates(
            len(drafted),
            today=today,
            interview_day=interview.held_at.date(),
            next_interview=interview.next_interview_at.date()
            if interview.next_interview_at
            else None,
        )
        steps = [
            PlanStep(action=s.action, done_when=s.done_when, cause=s.cause, due_date=day)
            for s, day in zip(drafted, days, strict=True)
        ]
        plan = store.save_plan(ActionPlan(interview_id=interview_id, steps=steps))
        return _result(interview, plan, self._causes(interview_id), self._own(interview))

    @staticmethod
    def cause_names() -> dict[str, str]:
        """Every cause as the page shows it ("A question caught you out"), by its tag."""
        return {tag: cause_name(tag) for tag in CAUSE_TAGS}

    def _facts(self, interview: Interview, reflection: Reflection) -> PlanFacts:
        assert interview.id is not None
        store = self._history.store
        return PlanFacts(
            company=interview.company,
            role=interview.role,
            format=interview.format,
            kept=tuple(reflection.cause_tags),
            stumbles=tuple(
                StumbleFacts(s.question, s.what_i_wish) for s in store.list_stumbles(interview.id)
            ),
            people=tuple(
                PersonFacts(p.name, tuple(p.topics), p.title)
                for p in store.list_interviewers(interview.id)
            ),
            unprepared_question=reflection.unprepared_question,
            work_history=reflection.work_history,
            narrative_stall=reflection.narrative_stall,
            free_text=reflection.free_text,
        )

    def view(self, interview_id: int) -> PlanResult | None:
        """The saved plan with the check of its current steps, or None when there is none."""
        store = self._history.store
        plan = store.get_plan(interview_id)
        if plan is None:
            return None
        interview = store.get_interview(interview_id)
        return _result(interview, plan, self._causes(interview_id), self._own(interview))

    def save_edited(self, interview_id: int, steps: Sequence[PlanStep]) -> PlanResult:
        """Replace the plan with the user's steps, in order, and check them as a drafted plan."""
        if not steps:
            raise InputError(
                "A plan needs at least one step.",
                hint="Add a step, or make a new plan.",
            )
        store = self._history.store
        interview = store.get_interview(interview_id)
        plan = store.save_plan(ActionPlan(interview_id=interview_id, steps=list(steps)))
        return _result(interview, plan, self._causes(interview_id), self._own(interview))

    def set_done(self, interview_id: int, position: int, done: bool) -> PlanResult:
        """Tick a step off (or back on)."""
        store = self._history.store
        plan = store.get_plan(interview_id)
        if plan is None or not 0 <= position < len(plan.steps):
            raise InputError("That step no longer exists; reload the page.")
        store.update_step(plan.steps[position].model_copy(update={"done": done}))
        result = self.view(interview_id)
        assert result is not None
        return result

    def _own(self, interview: Interview) -> list[str]:
        assert interview.id is not None
        store = self._history.store
        own = _own_texts(interview, store.get_reflection(interview.id))
        own += [s.question for s in store.list_stumbles(interview.id)]
        own += [s.what_i_wish for s in store.list_stumbles(interview.id) if s.what_i_wish]
        for person in store.list_interviewers(interview.id):
            own += [person.name, person.title, *person.topics]
        return [text for text in own if text]

    def _causes(self, interview_id: int) -> tuple[str, ...]:
        reflection = self._history.store.get_reflection(interview_id)
        return (tuple(reflection.cause_tags) if reflection else ()) or ("other",)


def _own_texts(interview: Interview, reflection: Reflection | None) -> list[str]:
    """What the user wrote for this interview, which a step may repeat freely."""
    texts = [interview.company, interview.role, interview.stage or ""]
    if reflection is not None:
        texts += [str(getattr(reflection, q.field)) for q in load_reflection_questions()]
    return [text for text in texts if text]


def _result(
    interview: Interview, plan: ActionPlan, causes: Sequence[str], own: Sequence[str] = ()
) -> PlanResult:
    """The plan, its concreteness check, the day it runs up to, and what looks planted."""
    horizon = max((s.due_date for s in plan.steps), default=interview.held_at.date())
    check = plan_concreteness(
        [PlanStepInput(s.action, s.due_date, s.done_when, s.cause) for s in plan.steps],
        interview_date=interview.held_at.date(),
        next_date=interview.next_interview_at.date() if interview.next_interview_at else None,
        kept_causes=causes,
        made_on=plan.created_at.date() if plan.created_at else None,
    )
    steps_text = "\n".join(f"{s.action}\n{s.done_when}" for s in plan.steps)
    return PlanResult(plan, check, horizon, tuple(output_flags(steps_text, own=own)))


__all__ = ["CAUSE_TAGS", "PlanResult", "PlanService", "due_dates"]
