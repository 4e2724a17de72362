"""Guided reflection: causes and a short diagnosis read from the user's own answers; the user
decides.

No model is asked. The cause tags come from rules over the answers and the interview's stumbles
(debrief/services/causes.py, measured with `python -m evals diagnosis`), and the diagnosis is
code that names the most important cause in the user's own words
(prompts/reflection_diagnosis_parts.v1.md). A model asked for the same gave tags the answers
denied ("rapport" beside "rapport was good") and generic advice ("It's important to be
well-prepared… Good luck!"); nothing it could add here can be checked against the answers.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from debrief.errors import InputError
from debrief.records.models import CauseTag, Reflection, Stumble
from debrief.services.causes import (
    CauseEvidence,
    evidence_for,
    find_causes,
    in_second_person,
    most_important,
    short_quote,
)
from debrief.services.history import HistoryService
from prompts import PromptParts, ReflectionQuestion, load_parts, load_reflection_questions


@dataclass(frozen=True)
class Proposal:
    cause_tags: tuple[CauseTag, ...]
    diagnosis: str
    evidence: tuple[CauseEvidence, ...] = ()


@dataclass(frozen=True)
class StumblePrefill:
    """What the interview page already holds for the first reflection question."""

    text: str  # the stumble questions, one a line
    questions: int


def reflection_questions() -> tuple[ReflectionQuestion, ...]:
    """The questions the Reflect page asks, with the words each prompt and the index use for
    them (prompts/reflection_questions.v1.md; read once, on first use)."""
    return load_reflection_questions()


def _answered(reflection: Reflection) -> bool:
    return any(getattr(reflection, q.field).strip() for q in reflection_questions())


def diagnosis_text(
    causes: list[CauseEvidence], parts: PromptParts, earlier: Counter[str] | None = None
) -> str:
    """One or two sentences: the most important cause in the user's words, then the answer
    they wish they had given, or the other causes they named."""
    main = most_important(causes, earlier)
    if main is None:
        return parts.render("nothing_named")
    part = parts.render
    if main.tag == "unprepared_question" and main.question:
        said = in_second_person(main.said) if main.said else None
        if said:
            first = part("caught_out_answered", question=main.question.rstrip("."), answer=said)
        else:
            words = short_quote(main.said or main.words)
            first = part("caught_out_quoted", question=main.question.rstrip("."), words=words)
    else:
        first = part(f"lead_{main.tag}", words=short_quote(main.words))
    others = [e for e in causes if e is not main]
    if main.wish:
        second = part("wish", wish=short_quote(main.wish))
    elif others:
        names = [part(f"name_{e.tag}") for e in others]
        joined = (
            names[0] if len(names) == 1 else f"{', '.join(names[:-1])} {part('and')} {names[-1]}"
        )
        second = part("also", causes=joined)
    else:
        return first
    return f"{first} {second}"


class ReflectionService:
    def __init__(self, history: HistoryService) -> None:
        self._history = history
        self._parts = load_parts("reflection_diagnosis_parts")

    def _stumbles(self, interview_id: int) -> list[Stumble]:
        return self._history.store.list_stumbles(interview_id)  # none for an unsaved interview

    def _earlier_causes(self, interview_id: int) -> Counter[str]:
        """How many earlier interviews each cause was saved for (a recurring cause comes first)."""
        store = self._history.store
        interviews = {i.id: i for i in store.list_interviews()}
        this = interviews.get(interview_id)
        counts: Counter[str] = Counter()
        for past in store.list_reflections():
            before = interviews.get(past.interview_id)
            if this is None or before is None or before.held_at >= this.held_at:
                continue
            counts.update(set(past.cause_tags))
        return counts

    def propose(self, reflection: Reflection) -> Proposal:
        """Cause tags (from the fixed list) and a short diagnosis, for the user to edit."""
        stumbles = self._stumbles(reflection.interview_id)
        if not _answered(reflection) and not stumbles:
            raise InputError("Answer at least one of the questions first.")
        causes = find_causes(reflection, stumbles)
        if not causes:  # the rules found no cause's words; the user's own ticks still count
            causes = [
                found
                for tag in reflection.cause_tags
                if (found := evidence_for(tag, reflection, stumbles)) is not None
            ]
        text = diagnosis_text(causes, self._parts, self._earlier_causes(reflection.interview_id))
        return Proposal(tuple(e.tag for e in causes), text, tuple(causes))

    def stumble_prefill(self, interview_id: int) -> StumblePrefill | None:
        """The questions stumbled on, as entered on the interview page, to start the answer to
        "Were you caught unprepared by a question?" from; None when there are none."""
        questions = [s.question for s in self._stumbles(interview_id)]
        if not questions:
            return None
        return StumblePrefill("\n".join(questions), len(questions))

    def get(self, interview_id: int) -> Reflection | None:
        """The saved reflection of an interview, if there is one."""
        return self._history.store.get_reflection(interview_id)

    def save(self, reflection: Reflection) -> Reflection:
        """Store (and index) the reflection as the user accepted or edited it."""
        return self._history.save_reflection(reflection)
