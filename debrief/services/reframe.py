"""A reframe that keeps confidence up, built only from the user's own records."""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass

from debrief.errors import InputError
from debrief.llm.connection import ChatModelSource
from debrief.llm.model_files import ProgressCallback, no_progress
from debrief.llm.types import Sampling
from debrief.records.models import CAUSE_TAGS, Draft, DraftKind
from debrief.services.history import HistoryService
from debrief.text_safety import without_instructions
from prompts import load_parts, load_prompt


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
        self._parts = load_parts("reframe_parts")

    def evidence(self, interview_id: int) -> list[str]:
        """Facts from the records that an honest encouragement can stand on."""
        store = self._history.store
        interview = store.get_interview(interview_id)
        reflection = store.get_reflection(interview_id)
        if reflection is None:
            raise InputError("Save your reflection first; the reframe is built from it.")
        part = self._parts.render
        facts: list[str] = []
        if reflection.free_text:
            facts.append(part("own_words", text=reflection.free_text))
        for stumble in store.list_stumbles(interview_id):
            if stumble.what_i_wish:
                facts.append(
                    part("clear_answer", question=stumble.question, answer=stumble.what_i_wish)
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
        # In the fixed order of the causes: iterating a set of tags would reorder the evidence
        # (and change the prompt) from one run of the app to the next.
        for tag in CAUSE_TAGS:
            times = earlier_tags[tag]
            if times and tag not in reflection.cause_tags:
                cause = part(f"cause_{tag}").capitalize()
                facts.append(part("cause_not_this_time", cause=cause, times=str(times)))
        if confidences:
            mean = sum(confidences) / len(confidences)
            facts.append(part("confidence", now=str(reflection.confidence), mean=f"{mean:.1f}"))
        plan = store.get_plan(interview_id)
        if plan and plan.steps:
            done = sum(step.done for step in plan.steps)
            facts.append(part("plan_progress", steps=str(len(plan.steps)), done=str(done)))
        stage = interview.stage or part("default_stage")
        facts.append(part("stage", stage=stage, role=interview.role))
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
