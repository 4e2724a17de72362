"""The action plan: concrete steps up to the next interview; the dates come from code."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from types import GenericAlias
from typing import Annotated, Any

from pydantic import BaseModel, Field, StringConstraints, create_model

from debrief.checks.plan import PlanStepInput, plan_concreteness
from debrief.checks.types import CheckResult
from debrief.errors import InputError
from debrief.llm.connection import ChatModelSource
from debrief.llm.model_files import ProgressCallback, no_progress
from debrief.llm.types import Sampling
from debrief.records.models import CAUSE_TAGS, ActionPlan, Interview, PlanStep, Reflection, one_of
from debrief.services.history import HistoryService
from debrief.text_safety import without_instructions
from prompts import load_prompt

HORIZON_DAYS = 7


@dataclass(frozen=True)
class PlanResult:
    plan: ActionPlan
    check: CheckResult
    horizon: date


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
    labelled = [
        ("Caught unprepared by", reflection.unprepared_question),
        ("Stumbled over my work history", reflection.work_history),
        ("Rapport", reflection.rapport),
        ("Knowledge of the company", reflection.company_knowledge),
        ("Where my story stalled", reflection.narrative_stall),
        ("In my own words", reflection.free_text),
    ]
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
        steps = [
            PlanStep(action=s.action, done_when=s.done_when, cause=s.cause, due_date=day)
            for s, day in zip(drafted.steps, days, strict=True)
        ]
        horizon = days[-1]
        check = plan_concreteness(
            [PlanStepInput(s.action, s.due_date, s.done_when, s.cause) for s in steps],
            interview_date=interview.held_at.date(),
            next_date=interview.next_interview_at.date()
            if interview.next_interview_at
            else horizon,
            diagnosed_causes=set(causes),
        )
        plan = store.save_plan(ActionPlan(interview_id=interview_id, steps=steps))
        return PlanResult(plan, check, horizon)


def _facts(interview: Interview) -> str:
    when = interview.held_at.strftime("%d %B %Y").lstrip("0")
    stage = interview.stage or "interview"
    return f"Interview for {interview.role} at {interview.company} ({stage}), {when}."


__all__ = ["CAUSE_TAGS", "PlanResult", "PlanService", "due_dates"]
