"""Plan concreteness: every step of the plan up to the next interview can be done and ticked off."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from debrief.checks.types import CheckResult

MIN_STEPS = 3
MAX_STEPS = 7


@dataclass(frozen=True)
class PlanStepInput:
    """One step of the plan as drafted."""

    action: str
    due_date: date
    done_when: str
    cause: str


def _verb_forms(verbs: str) -> frozenset[str]:
    """Base form plus -s, -ed, -ing, so "Rehearsed" and "recording" count as well."""
    forms: set[str] = set()
    for verb in verbs.split():
        stem = verb[:-1] if verb.endswith("e") else verb
        forms |= {verb, f"{verb}s", f"{verb}es", f"{stem}ed", f"{stem}ing", f"{verb}ed"}
    return frozenset(forms)


_CONCRETE_VERBS = _verb_forms(
    """
    write draft record rehearse practise practice research read list prepare send email call
    schedule book build review summarise summarize outline memorise memorize time complete
    finish create update rewrite study watch answer solve compile collect gather ask message
    map sketch implement run print find identify pick choose join attend apply post submit
    test measure count note jot film mock pair contact reach set
    """
) | frozenset({"wrote", "written", "read", "ran", "sent", "chose", "chosen", "set", "built"})

# Hedged or inner-state "actions": nobody can tell when they are done.
_VAGUE_ACTION = re.compile(
    r"^\s*(?:think(?:ing)?\s+about|try(?:ing)?\s+(?:to|and)|be(?:\s+more|\s+better)?\b"
    r"|get\s+better|work\s+on|focus\s+on|improve|consider|reflect\s+on|remember\s+to"
    r"|keep\s+in\s+mind|feel|stay|aim\s+to|hope\s+to|want\s+to|plan\s+to|believe)\b",
    re.IGNORECASE,
)
_NUMBER = re.compile(
    r"\d|\b(?:once|twice|thrice|one|two|three|four|five|six|seven|eight|nine|ten|dozen)\b",
    re.IGNORECASE,
)
# Something a person could hold up: a file, a message, a recording, a count.
_DELIVERABLE = re.compile(
    r"\b(?:written|recorded|list(?:ed)?|sent|rehearsed|saved|submitted|booked|scheduled"
    r"|completed|drafted|published|printed|timed|posted|uploaded|shared|filled|emailed"
    r"|document|doc|notes?|pages?|checklist|spreadsheet|recording|email|file|outline|summary"
    r"|script|cards?|flashcards|answers?|stor(?:y|ies)|slides?|deck|pull\s+request|pr|repo"
    r"|commit|calendar|invite|confirmation)\b",
    re.IGNORECASE,
)
_VAGUE_DONE = re.compile(
    r"\b(?:feels?|feeling|confident|comfortable|understand|understood|better|familiar"
    r"|ready|prepared|know\s+it|get\s+it|good\s+enough)\b",
    re.IGNORECASE,
)


def _action_problems(action: str) -> list[str]:
    words = {word.lower() for word in re.findall(r"[A-Za-z]+", action)}
    if not action.strip():
        return ["the action is empty"]
    vague = _VAGUE_ACTION.match(action)
    if vague:
        return [f"the action starts with the vague {vague.group().strip()!r}"]
    if not words & _CONCRETE_VERBS:
        return [f"the action {action.strip()!r} names no concrete thing to do"]
    return []


def _date_problems(due: date, interview_date: date, next_date: date) -> list[str]:
    if due <= interview_date:
        return [f"the due date {due.isoformat()} is not after the interview"]
    if due > next_date:
        return [f"the due date {due.isoformat()} is after the next interview"]
    return []


def _done_when_problems(done_when: str) -> list[str]:
    text = done_when.strip()
    if not text:
        return ["'done when' is empty"]
    has_number = bool(_NUMBER.search(text))
    if _VAGUE_DONE.search(text) and not has_number:
        return [f"'done when' ({text!r}) is a feeling, not something you can check"]
    if not has_number and not _DELIVERABLE.search(text):
        return [f"'done when' ({text!r}) is not measurable"]
    return []


def _cause_problems(cause: str, diagnosed: frozenset[str]) -> list[str]:
    if not cause.strip():
        return ["the step is not tied to a cause"]
    if cause.strip().lower() not in diagnosed:
        return [f"the cause {cause.strip()!r} was not diagnosed in the reflection"]
    return []


def _step_problems(
    step: PlanStepInput, interview_date: date, next_date: date, diagnosed: frozenset[str]
) -> list[str]:
    return [
        *_action_problems(step.action),
        *_date_problems(step.due_date, interview_date, next_date),
        *_done_when_problems(step.done_when),
        *_cause_problems(step.cause, diagnosed),
    ]


def plan_concreteness(
    steps: Sequence[PlanStepInput],
    *,
    interview_date: date,
    next_date: date | None,
    kept_causes: Collection[str],
) -> CheckResult:
    """Every step: a concrete action, due after the interview and by the next one, a measurable
    finish line and a diagnosed cause; and 3 to 7 steps.

    score = share of steps with no problems (0 when the step count is out of range).
    """
    diagnosed = frozenset(cause.strip().lower() for cause in kept_causes)
    next_date = next_date or max((s.due_date for s in steps), default=interview_date)
    per_step: list[dict[str, Any]] = [
        {"index": index, "problems": _step_problems(step, interview_date, next_date, diagnosed)}
        for index, step in enumerate(steps)
    ]
    plan_problems: list[str] = []
    if not MIN_STEPS <= len(steps) <= MAX_STEPS:
        plan_problems.append(
            f"the plan has {len(steps)} steps; it needs {MIN_STEPS} to {MAX_STEPS}"
        )
    clean = sum(1 for step in per_step if not step["problems"])
    score = 0.0 if plan_problems or not steps else clean / len(steps)
    passed = not plan_problems and clean == len(steps)
    return CheckResult(
        key="plan_concreteness",
        score=score,
        passed=passed,
        comment=_comment(plan_problems, per_step),
        evidence={"steps": per_step, "problems": plan_problems},
    )


def _comment(plan_problems: list[str], per_step: list[dict[str, Any]]) -> str:
    if plan_problems:
        return f"The plan needs fixing: {plan_problems[0]}."
    flawed = [step for step in per_step if step["problems"]]
    if not flawed:
        return (
            "Every step has a concrete action, a date before the next interview, a measurable "
            "finish line and a diagnosed cause."
        )
    first = flawed[0]
    more = f" ({len(flawed) - 1} more steps need work)" if len(flawed) > 1 else ""
    return f"Step {first['index'] + 1}: {'; '.join(first['problems'])}{more}."
