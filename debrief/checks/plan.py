"""The plan check: fails what a reader fails in a plan (classes in evals/LABELLING.md, "Plans").

Built against plans labelled by reading (`evals/grounded/plans/`, tuned on dev only): a "done
when" that is only a duration, a date or "completed"; one dated before its step is due; a raw tag
name; a cause the user did not keep; a repeated step; a vague action; every step on one day.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from debrief.checks.types import CheckResult, PlanEvidence, StepProblems

MIN_STEPS = 3
MAX_STEPS = 7
HORIZON_DAYS = 7  # the window when no next interview is booked (as the plan service uses)

STEP_CLASSES = (
    "done_unobservable",
    "done_before_due",
    "raw_tag",
    "cause_not_kept",
    "duplicate",
    "vague_action",
)
PLAN_CLASSES = ("same_day",)


@dataclass(frozen=True)
class PlanStepInput:
    """One step of the plan as drafted or edited."""

    action: str
    due_date: date
    done_when: str
    cause: str


@dataclass(frozen=True)
class PlanDefects:
    """What a reader would fix: per step {class: offending text}, and for the whole plan."""

    steps: tuple[dict[str, str], ...]
    plan: dict[str, str] = field(default_factory=dict)
    problems: tuple[str, ...] = ()  # out of the window, too few or too many steps


_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"
_DATE_DM = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH})\.?(?:\s+(\d{{4}}))?", re.I)
_DATE_MD = re.compile(rf"\b({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?", re.I)
_DATE_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")

# What is left of a "done when" after durations, dates, times and filler words: if nothing, it
# names no result a person could check.
_NOT_A_RESULT = re.compile(
    rf"""\b(?:\d+(?:[.,:]\d+)?\s*(?:-\s*\d+\s*)?(?:minutes?|mins?|hours?|hrs?|h|days?|weeks?|
    seconds?|secs?|am|pm|a\.m\.|p\.m\.)?|{_MONTH}|mon|tue|wed|thu|fri|sat|sun|[a-z]+day|today|
    tomorrow|tonight|week|morning|evening|afternoon|noon|by|on|at|in|before|after|until|the|of|
    a|an|one|two|three|next|interview|completed?|complete|done|finished|finish|ended|end|
    when|it|is|task|step|and|or|within|from|date|time|deadline)\b|[^\w]+""",
    re.I | re.X,
)
_FEELING = re.compile(
    r"\b(?:feel|feels|feeling|felt|confident|comfortable|calm|relaxed|ready|understand|"
    r"understood|familiar|better|good enough|know it)\b",
    re.I,
)
# A thing a person could hold up or count.
_RESULT = re.compile(
    r"\b(?:written|wrote|recorded|saved|listed|sent|made|rehearsed|said|told|timed|booked|"
    r"committed|printed|posted|submitted|run|ran|tried|tested|noted|drafted|done once|"
    r"list|page|pages|answers?|questions?|notes?|script|card|cards|summary|facts?|email|"
    r"recording|video|calendar|entry|route|mock|stories|story|results?|\d+)\b",
    re.I,
)
_IMPERATIVE = re.compile(
    r"^\s*(?:read|review|research|look|go|check|visit|browse|study|think|learn|practise|"
    r"practice|prepare|explore|watch)\b",
    re.I,
)
_VAGUE_ACTION = re.compile(
    r"^\s*(?:think(?:ing)?\s+about|try(?:ing)?\s+(?:to|and)|be\b|become\b|get\s+better|"
    r"work\s+on|focus\s+on|improve|consider|reflect\s+on|remember\s+to|keep\s+in\s+mind|feel|"
    r"stay|relax|aim\s+to|hope\s+to|want\s+to|plan\s+to|believe|revisit|go\s+over|"
    r"brush\s+up)\b"
    r"|^\s*(?:review|read|look\s+(?:at|over))\b.*\b(?:again|to\s+understand|to\s+feel)\b",
    re.IGNORECASE,
)
_RAW_TAG = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")
_STOP = frozenset(
    re.findall(
        r"\w+",
        "a an the to of for and or with on in at by my your you i me about from that this it its "
        "each any all be is are as",
    )
)


def _dates_in(text: str, year: int) -> list[tuple[str, date]]:
    found: list[tuple[str, date]] = []
    for match in _DATE_DM.finditer(text):
        found += _date(match.group(), match.group(2), match.group(1), match.group(3), year)
    for match in _DATE_MD.finditer(text):
        found += _date(match.group(), match.group(1), match.group(2), match.group(3), year)
    for match in _DATE_ISO.finditer(text):
        with contextlib.suppress(ValueError):
            found.append((match.group(), date(*(int(g) for g in match.groups()))))
    return found


def _date(span: str, month: str, day: str, year: str | None, default_year: int) -> list[Any]:
    index = next((i for i, m in enumerate(_MONTHS) if m.startswith(month.lower()[:3])), None)
    if index is None:
        return []
    try:
        return [(span, date(int(year) if year else default_year, index + 1, int(day)))]
    except ValueError:
        return []


def done_unobservable(done_when: str) -> str | None:
    """The "done when" itself when it names no result someone could check, else None."""
    text = done_when.strip()
    if not text:
        return "(empty)"
    if not _NOT_A_RESULT.sub(" ", text).strip():
        return text  # only a duration, a date, a time or "completed"
    if _FEELING.search(text) and not _RESULT.search(text):
        return text
    if _IMPERATIVE.match(text) and not _RESULT.search(text):
        return text  # an instruction, not a result ("Read the company's website")
    return None


def _words(text: str) -> frozenset[str]:
    return frozenset(w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _STOP)


_QUOTE = re.compile(r"“([^”]*)”|\"([^\"]*)\"")


def _opening(text: str) -> tuple[str, ...]:
    return tuple(w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _STOP)[:5]


def _quotes(text: str) -> frozenset[str]:
    return frozenset(
        " ".join(m.group(1) or m.group(2) or "").lower() for m in _QUOTE.finditer(text)
    )


def _near_duplicate(a: str, b: str) -> bool:
    quotes_a, quotes_b = _quotes(a), _quotes(b)
    if quotes_a and quotes_b and not quotes_a & quotes_b:
        return False  # the same kind of step for two different questions the user quoted
    if len(_opening(a)) == 5 and _opening(a) == _opening(b):
        return True  # the same action, then different padding ("… again to ensure …")
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return a.strip().lower() == b.strip().lower()
    small, large = sorted((wa, wb), key=len)
    if len(small) >= 3 and small <= large:
        return True
    return len(wa & wb) / len(wa | wb) >= 0.7


def _step_defects(
    step: PlanStepInput, earlier: Sequence[PlanStepInput], kept: frozenset[str]
) -> dict[str, str]:
    found: dict[str, str] = {}
    unobservable = done_unobservable(step.done_when)
    if unobservable:
        found["done_unobservable"] = unobservable
    early = [
        span for span, day in _dates_in(step.done_when, step.due_date.year) if day < step.due_date
    ]
    if early:
        found["done_before_due"] = early[0]
    tag = _RAW_TAG.search(f"{step.action}\n{step.done_when}")
    if tag:
        found["raw_tag"] = tag.group()
    if step.cause.strip().lower() not in kept:
        found["cause_not_kept"] = step.cause
    twin = next((n for n, e in enumerate(earlier) if _near_duplicate(e.action, step.action)), None)
    if twin is not None:
        found["duplicate"] = f"repeats step {twin + 1}"
    vague = _VAGUE_ACTION.search(step.action)
    if vague:
        found["vague_action"] = vague.group().strip()
    return found


def plan_defects(
    steps: Sequence[PlanStepInput],
    *,
    interview_date: date,
    next_date: date | None,
    kept_causes: Collection[str],
    made_on: date | None = None,
) -> PlanDefects:
    """Every defect a reader would fix in the plan, by step and for the whole plan."""
    kept = frozenset(c.strip().lower() for c in kept_causes) or frozenset({"other"})
    per_step = tuple(_step_defects(step, steps[:i], kept) for i, step in enumerate(steps))
    start = max(interview_date, made_on or interview_date) + timedelta(days=1)
    last = next_date - timedelta(days=1) if next_date else start + timedelta(days=HORIZON_DAYS)
    plan: dict[str, str] = {}
    due = {s.due_date for s in steps}
    if len(steps) > 1 and len(due) == 1 and (last - start).days >= 1:
        (day,) = due
        plan["same_day"] = f"every step is due {day:%a %d %b}; the window runs to {last:%a %d %b}"
    problems: list[str] = []
    if not MIN_STEPS <= len(steps) <= MAX_STEPS:
        problems.append(f"the plan has {len(steps)} steps; it needs {MIN_STEPS} to {MAX_STEPS}")
    for number, step in enumerate(steps, start=1):
        if step.due_date <= interview_date:
            problems.append(f"step {number} is due before the interview it follows")
        elif next_date is not None and step.due_date > next_date:
            problems.append(f"step {number} is due after the next interview")
    return PlanDefects(per_step, plan, tuple(problems))


_SAY = {
    "done_unobservable": "“done when” names nothing you could check ({})",
    "done_before_due": "“done when” is dated {} — before the step is due",
    "raw_tag": "the text shows an internal name ({})",
    "cause_not_kept": "it is for a cause you did not keep ({})",
    "duplicate": "it {}",
    "vague_action": "the action is vague (“{}”)",
}


def plan_concreteness(
    steps: Sequence[PlanStepInput],
    *,
    interview_date: date,
    next_date: date | None,
    kept_causes: Collection[str],
    made_on: date | None = None,
) -> CheckResult[PlanEvidence]:
    """A plan a reader would follow: every step free of the defects above, 3-7 steps, all in
    the window, not all on one day. score = share of steps with no defect (0 when the plan
    itself fails)."""
    found = plan_defects(
        steps,
        interview_date=interview_date,
        next_date=next_date,
        kept_causes=kept_causes,
        made_on=made_on,
    )
    per_step = [
        StepProblems(i, tuple(_SAY[k].format(v) for k, v in defects.items()), defects)
        for i, defects in enumerate(found.steps)
    ]
    plan_problems = list(found.problems)
    if "same_day" in found.plan:
        plan_problems.append(found.plan["same_day"])
    clean = sum(1 for step in per_step if not step.problems)
    score = 0.0 if plan_problems or not steps else clean / len(steps)
    return CheckResult(
        key="plan_concreteness",
        score=score,
        passed=not plan_problems and clean == len(steps),
        comment=_comment(plan_problems, per_step),
        evidence=PlanEvidence(tuple(per_step), tuple(plan_problems)),
    )


def _comment(plan_problems: list[str], per_step: list[StepProblems]) -> str:
    if plan_problems:
        return f"The plan needs fixing: {plan_problems[0]}."
    flawed = [step for step in per_step if step.problems]
    if not flawed:
        return (
            "Every step has a plain action, a “done when” you can check, a date in the window "
            "and a cause you kept; no step repeats another."
        )
    first = flawed[0]
    more = f" ({len(flawed) - 1} more steps need work)" if len(flawed) > 1 else ""
    return f"Step {first.index + 1}: {'; '.join(first.problems)}{more}."
