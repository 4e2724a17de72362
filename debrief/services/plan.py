"""The action plan: concrete steps up to the next interview; the dates come from code."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from types import GenericAlias
from typing import Annotated, Any

from pydantic import BaseModel, Field, StringConstraints, create_model

from debrief.checks.injection import Flag, output_flags, without_flagged
from debrief.checks.plan import PlanStepInput, plan_concreteness
from debrief.checks.types import CheckResult
from debrief.errors import InputError
from debrief.llm.connection import ChatModelSource
from debrief.llm.model_files import ProgressCallback, no_progress
from debrief.llm.types import Sampling
from debrief.records.models import CAUSE_TAGS, ActionPlan, Interview, PlanStep, Reflection, one_of
from debrief.services.history import HistoryService
from debrief.text_safety import without_instructions
from prompts import load_parts, load_prompt, load_reflection_questions

HORIZON_DAYS = 7


@dataclass(frozen=True)
class PlanResult:
    """A saved plan, the check of its steps, and its last due date."""

    plan: ActionPlan
    check: CheckResult
    horizon: date
    # Signs a step follows text the model was shown rather than the user: a postscript, a
    # link, another language (what the repair could not take out without emptying the step).
    flags: tuple[Flag, ...] = ()


def due_dates(
    count: int, *, today: date, interview_day: date, next_interview: date | None
) -> list[date]:
    """Spread `count` due dates from tomorrow up to the day before the next interview.

    With no next interview, or one already past, the horizon is a week. When the next interview
    is tomorrow, every step is due tomorrow. Earlier steps (the most important) come first.
    """
    start = max(today, interview_day)
    if next_interview is None or next_interview <= start:
        end = start + timedelta(days=HORIZON_DAYS)
    elif next_interview == start + timedelta(days=1):
        end = next_interview
    else:
        end = next_interview - timedelta(days=1)
    span = (end - start).days
    return [start + timedelta(days=1 + (i * span) // count) for i in range(count)]


def _diagnosis(reflection: Reflection) -> str:
    labelled = [(q.label, getattr(reflection, q.field)) for q in load_reflection_questions()]
    # Stored reflections are untrusted text (they may come from an import or a paste).
    cleaned = [(label, without_instructions(text)[0]) for label, text in labelled]
    return "\n".join(f"{label}: {text}" for label, text in cleaned if text) or "(no details)"


def _schema(causes: tuple[str, ...], count: int) -> type[BaseModel]:
    step = create_model(
        "PlanStepDraft",
        action=(Annotated[str, StringConstraints(min_length=10, max_length=160)], ...),
        done_when=(Annotated[str, StringConstraints(min_length=8, max_length=140)], ...),
        cause=(one_of(causes), ...),
    )
    steps: Any = GenericAlias(list, (step,))
    return create_model("ActionPlanDraft", steps=(steps, Field(min_length=count, max_length=count)))


class PlanService:
    def __init__(self, llm: ChatModelSource, history: HistoryService) -> None:
        self._llm = llm
        self._history = history
        self._prompt = load_prompt("action_plan")

    def make_plan(
        self,
        interview_id: int,
        *,
        today: date | None = None,
        progress: ProgressCallback = no_progress,
    ) -> PlanResult:
        """Draft 3-7 steps from the saved reflection, date them, check them, save the plan."""
        store = self._history.store
        interview = store.get_interview(interview_id)
        reflection = store.get_reflection(interview_id)
        if reflection is None:
            raise InputError(
                "There is no reflection for this interview yet.",
                hint="Save a reflection first: the plan is built from its diagnosis.",
            )
        causes = tuple(reflection.cause_tags) or ("other",)
        count = min(7, max(3, len(causes) + 2))
        schema = _schema(causes, count)
        messages = self._prompt.render(
            diagnosis=_diagnosis(reflection),
            interview_facts=_facts(interview),
            causes=", ".join(causes),
            step_count=str(count),
        )
        drafted: Any = self._llm.get(progress).structured(
            messages, schema, Sampling(max_tokens=700)
        )
        today = today or date.today()
        days = due_dates(
            count,
            today=today,
            interview_day=interview.held_at.date(),
            next_interview=interview.next_interview_at.date()
            if interview.next_interview_at
            else None,
        )
        own = _own_texts(interview, reflection)
        steps = [
            PlanStep(
                action=_repaired(s.action, own),
                done_when=_repaired(s.done_when, own),
                cause=s.cause,
                due_date=day,
            )
            for s, day in zip(drafted.steps, days, strict=True)
        ]
        plan = store.save_plan(ActionPlan(interview_id=interview_id, steps=steps))
        return _result(interview, plan, causes, own)

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
        return _own_texts(interview, self._history.store.get_reflection(interview.id))

    def _causes(self, interview_id: int) -> tuple[str, ...]:
        reflection = self._history.store.get_reflection(interview_id)
        return (tuple(reflection.cause_tags) if reflection else ()) or ("other",)


def _own_texts(interview: Interview, reflection: Reflection | None) -> list[str]:
    """What the user wrote for this interview, which a step may repeat freely."""
    texts = [interview.company, interview.role, interview.stage or ""]
    if reflection is not None:
        texts += [str(getattr(reflection, q.field)) for q in load_reflection_questions()]
    return [text for text in texts if text]


_MIN_FIELD_CHARS = 8


def _repaired(text: str, own: Sequence[str]) -> str:
    """A step's text without what the model may have been told to add by planted text (a link,
    a postscript, a sentence in another language); unchanged when that would empty it."""
    flags = output_flags(text, own=own)
    if not flags:
        return text
    # The flagged sentences go; when that empties the step, only its links and markup.
    for repaired in (
        without_flagged(text, flags),
        without_flagged(text, flags, keep_linked_sentences=True),
    ):
        if len(repaired) >= _MIN_FIELD_CHARS:
            return repaired
    return text


def _result(
    interview: Interview, plan: ActionPlan, causes: Sequence[str], own: Sequence[str] = ()
) -> PlanResult:
    """The plan, its concreteness check, the day it runs up to, and what looks planted."""
    horizon = max((s.due_date for s in plan.steps), default=interview.held_at.date())
    check = plan_concreteness(
        [PlanStepInput(s.action, s.due_date, s.done_when, s.cause) for s in plan.steps],
        interview_date=interview.held_at.date(),
        next_date=interview.next_interview_at.date() if interview.next_interview_at else horizon,
        diagnosed_causes=set(causes),
    )
    steps_text = "\n".join(f"{s.action}\n{s.done_when}" for s in plan.steps)
    return PlanResult(plan, check, horizon, tuple(output_flags(steps_text, own=own)))


def _facts(interview: Interview) -> str:
    parts = load_parts("action_plan_parts")
    return parts.render(
        "interview_facts",
        role=interview.role,
        company=interview.company,
        stage=interview.stage or parts.render("default_stage"),
        when=interview.held_at.strftime("%d %B %Y").lstrip("0"),
    )


__all__ = ["CAUSE_TAGS", "PlanResult", "PlanService", "due_dates"]
