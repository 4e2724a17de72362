"""A reframe that keeps confidence up, built only from the user's own records."""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass

from debrief.errors import InputError
from debrief.llm.connection import ChatModelSource
from debrief.llm.model_files import ProgressCallback, no_progress
from debrief.llm.types import Sampling
from debrief.records.models import Draft, DraftKind
from debrief.services.history import HistoryService
from debrief.text_safety import without_instructions
from prompts import load_prompt

_LABELS = {
    "unprepared_question": "being caught by an unexpected question",
    "work_history": "stumbling over the work history",
    "rapport": "rapport with the interviewers",
    "company_research": "knowing the company",
    "narrative": "the career story",
    "logistics": "logistics",
    "other": "other things",
}


@dataclass(frozen=True)
class Reframe:
    text: str
    evidence: tuple[str, ...]
    draft_id: int | None = None


class ReframeService:
    def __init__(self, llm: ChatModelSource, history: HistoryService) -> None:
        self._llm = llm
        self._history = history
        self._prompt = load_prompt("reframe")

    def evidence(self, interview_id: int) -> list[str]:
        """Facts from the records that an honest encouragement can stand on."""
        store = self._history.store
        interview = store.get_interview(interview_id)
        reflection = store.get_reflection(interview_id)
        if reflection is None:
            raise InputError("Save your reflection first; the reframe is built from it.")
        facts: list[str] = []
        if reflection.free_text:
            facts.append(f"In your own words: {reflection.free_text}")
        for stumble in store.list_stumbles(interview_id):
            if stumble.what_i_wish:
                facts.append(
                    f"You now have a clear answer to '{stumble.question}': {stumble.what_i_wish}"
                )
        earlier = [
            i for i in store.list_interviews() if i.held_at < interview.held_at and i.id is not None
        ]
        earlier_tags: Counter[str] = Counter()
        confidences = []
        for other in earlier:
            assert other.id is not None
            past = store.get_reflection(other.id)
            if past:
                earlier_tags.update(set(past.cause_tags))
                confidences.append(past.confidence)
        for tag, times in earlier_tags.items():
            if tag not in reflection.cause_tags:
                facts.append(
                    f"{_LABELS[tag].capitalize()} went wrong in {times} earlier interview(s), "
                    "but not in this one."
                )
        if confidences:
            mean = sum(confidences) / len(confidences)
            facts.append(
                f"Your confidence after this interview: {reflection.confidence}/5; "
                f"after earlier ones: {mean:.1f}/5 on average."
            )
        plan = store.get_plan(interview_id)
        if plan and plan.steps:
            done = sum(step.done for step in plan.steps)
            facts.append(f"You have a plan of {len(plan.steps)} steps; {done} done so far.")
        facts.append(f"You got to the {interview.stage or 'interview'} stage for {interview.role}.")
        # Stored records are untrusted text: no line that instructs a model reaches the prompt.
        return [kept for fact in facts if (kept := without_instructions(fact)[0])]

    def reframe(self, interview_id: int, progress: ProgressCallback = no_progress) -> Reframe:
        facts = self.evidence(interview_id)
        interview = self._history.store.get_interview(interview_id)
        messages = self._prompt.render(
            evidence="\n".join(f"- {fact}" for fact in facts), company=interview.company
        )
        model = self._llm.get(progress)
        text = model.chat(messages, Sampling(max_tokens=220, temperature=0.3)).text.strip()
        saved = self._history.store.add_draft(
            Draft(
                interview_id=interview_id,
                kind=DraftKind.REFRAME,
                prompt_name=self._prompt.name,
                prompt_version=self._prompt.version,
                prompt_hash=self._prompt.content_hash,
                model_id=model.model_id,
                body=text or "(empty)",
            )
        )
        return dataclasses.replace(Reframe(text, tuple(facts)), draft_id=saved.id)
