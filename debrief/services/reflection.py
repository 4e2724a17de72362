"""Guided reflection: the model proposes cause tags and a diagnosis; the user decides."""

from __future__ import annotations

from dataclasses import dataclass
from types import GenericAlias
from typing import Annotated, Any

from pydantic import Field, StringConstraints, create_model

from debrief.errors import InputError
from debrief.llm.connection import ChatModelSource
from debrief.llm.model_files import ProgressCallback, no_progress
from debrief.llm.types import Sampling
from debrief.records.models import CAUSE_TAGS, CauseTag, Reflection, one_of
from debrief.services.history import HistoryService
from prompts import ReflectionQuestion, load_prompt, load_reflection_questions

_TAG_LIST: Any = GenericAlias(list, (one_of(CAUSE_TAGS),))
_Proposal = create_model(
    "ReflectionProposal",
    cause_tags=(_TAG_LIST, Field(min_length=1, max_length=4)),
    diagnosis=(Annotated[str, StringConstraints(min_length=20, max_length=400)], ...),
)


@dataclass(frozen=True)
class Proposal:
    cause_tags: tuple[CauseTag, ...]
    diagnosis: str


def reflection_questions() -> tuple[ReflectionQuestion, ...]:
    """The questions the Reflect page asks, with the words each prompt and the index use for
    them (prompts/reflection_questions.v1.md; read once, on first use)."""
    return load_reflection_questions()


def _answers(reflection: Reflection) -> str:
    answered = [(q.first_person, getattr(reflection, q.field)) for q in reflection_questions()]
    return "\n".join(f"{q}\n{a}" for q, a in answered if a)


class ReflectionService:
    def __init__(self, llm: ChatModelSource, history: HistoryService) -> None:
        self._llm = llm
        self._history = history
        self._prompt = load_prompt("reflection_diagnosis")

    def propose(self, reflection: Reflection, progress: ProgressCallback = no_progress) -> Proposal:
        """Cause tags (from the fixed list) and a two-sentence diagnosis, for the user to edit."""
        answers = _answers(reflection)
        if not answers:
            raise InputError("Answer at least one of the questions first.")
        messages = self._prompt.render(answers=answers, tags=", ".join(CAUSE_TAGS))
        result: Any = self._llm.get(progress).structured(
            messages, _Proposal, Sampling(max_tokens=300)
        )
        tags = tuple(dict.fromkeys(result.cause_tags))
        return Proposal(tags, result.diagnosis.strip())

    def get(self, interview_id: int) -> Reflection | None:
        """The saved reflection of an interview, if there is one."""
        return self._history.store.get_reflection(interview_id)

    def save(self, reflection: Reflection) -> Reflection:
        """Store (and index) the reflection as the user accepted or edited it."""
        return self._history.save_reflection(reflection)
