"""A reframe that keeps confidence up, built from facts code picks from the user's own records.

Three or four sentences, to the user as "you": one thing that went well (a cause of earlier
interviews that did not come back, a question they said went fine, their own note on an
interviewer, confidence above their average, plan steps done, the stage reached), the one thing
to work on in their own words, and the answer they now have ready (or the next plan step).
Every sentence is a part of prompts/reframe_parts.v2.md filled by code. With `rephrase=True`
the model may rephrase each sentence (prompts/reframe.v2.md); a rephrased sentence is kept only
when it passes `piece_problems` (second person, the fact's words kept, no new names or numbers,
no letter, no promise), otherwise the code's sentence stays, as it does when the model fails.
The app leaves it off: on the default model it added nothing a reader would notice.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from debrief.checks.reframe import piece_problems
from debrief.errors import DebriefError, InputError
from debrief.llm.connection import ChatModelSource
from debrief.llm.model_files import ProgressCallback, no_progress
from debrief.llm.types import Sampling
from debrief.records.models import CAUSE_TAGS, CauseTag, Draft, DraftKind, Interview, Reflection
from debrief.services.causes import (
    FIELD_OF,
    IMPORTANCE,
    TAG_OF_FIELD,
    answered_fine,
    evidence_for,
    find_causes,
    in_second_person,
    most_important,
    short_quote,
)
from debrief.services.history import HistoryService
from debrief.text_safety import without_instructions
from prompts import load_parts, load_prompt

log = logging.getLogger(__name__)
_NEGATION_START = re.compile(r"^\W*(?:no|not|nope|nothing|none|n/a)\b", re.IGNORECASE)
TEMPLATE_MODEL_ID = "template"  # the model id of a reframe no model sentence made it into

FactKind = Literal["well", "fix", "next"]


@dataclass(frozen=True)
class ReframeFact:
    kind: FactKind
    part: str  # the reframe_parts part the sentence was filled from
    sentence: str


@dataclass(frozen=True)
class Reframe:
    text: str
    evidence: tuple[str, ...]  # the code's sentences, one per fact
    draft_id: int | None = None
    rephrased: int = 0  # how many sentences the model's wording replaced


class _Rephrased(BaseModel):
    sentences: list[str] = Field(max_length=6)


def _safe(text: str) -> str:
    """Stored records are untrusted: a line that instructs a model is dropped."""
    return without_instructions(text)[0]


def _quote(text: str, max_words: int) -> str:
    """The user's words to quote, cleaned line by line first (a quote joins the lines)."""
    return short_quote(_safe(text.strip()), max_words=max_words)


class ReframeService:
    def __init__(
        self, llm: ChatModelSource, history: HistoryService, *, rephrase: bool = False
    ) -> None:
        self._llm = llm
        self._history = history
        # Off in the app: tried on the default model, the rephrasing changed 3 sentences of 12,
        # each only in its quotation marks, for about 15 s a reframe (evals/LABELLING.md).
        self._rephrase_with_model = rephrase
        self._prompt = load_prompt("reframe")
        self._parts = load_parts("reframe_parts")

    # -- facts ----------------------------------------------------------------------------------

    def facts(self, interview_id: int) -> list[ReframeFact]:
        """The reframe's sentences as code writes them: well, fix, next (3 or 4)."""
        store = self._history.store
        interview = store.get_interview(interview_id)
        reflection = store.get_reflection(interview_id)
        if reflection is None:
            raise InputError("Save your reflection first; the reframe is built from it.")
        stumbles = store.list_stumbles(interview_id)
        earlier_tags, confidences = self._earlier(interview)
        found = find_causes(reflection, stumbles)
        kept: list[CauseTag] = list(reflection.cause_tags) or [e.tag for e in found]
        well = self._went_well(interview, reflection, kept, found, earlier_tags, confidences)
        facts = [ReframeFact("well", part, sentence) for part, sentence in well[:2]]
        fix, wish = self._to_fix(reflection, stumbles, kept, earlier_tags)
        facts.append(fix)
        if wish is not None:
            facts.append(wish)
        elif (step := self._next_step(interview_id)) is not None:
            facts.append(step)
        facts = facts[:4]
        return [f for f in facts if f.sentence]

    def evidence(self, interview_id: int) -> list[str]:
        """The code's sentences of the reframe, each standing on one record."""
        return [fact.sentence for fact in self.facts(interview_id)]

    def _earlier(self, interview: Interview) -> tuple[Counter[str], list[int]]:
        store = self._history.store
        tags: Counter[str] = Counter()
        confidences: list[int] = []
        for other in store.list_interviews():
            if other.id is None or other.held_at >= interview.held_at:
                continue
            past = store.get_reflection(other.id)
            if past:
                tags.update(set(past.cause_tags))
                confidences.append(past.confidence)
        return tags, confidences

    def _went_well(
        self,
        interview: Interview,
        reflection: Reflection,
        kept: list[CauseTag],
        found: list[Any],
        earlier_tags: Counter[str],
        confidences: list[int],
    ) -> list[tuple[str, str]]:
        """(part, sentence) of what went well, best first; the stage reached comes last."""
        part = self._parts.render
        named = set(kept) | {e.tag for e in found}
        well: list[tuple[str, str]] = []
        gone = [t for t in CAUSE_TAGS if earlier_tags[t] and t not in named]
        if gone:
            # The most frequent earlier cause; CAUSE_TAGS order breaks ties (a set's order would
            # change from one run of the app to the next).
            tag = _chosen(gone, earlier_tags) or gone[0]
            times = earlier_tags[tag]
            key = "cause_not_this_time_one" if times == 1 else "cause_not_this_time_many"
            values = {"cause": part(f"past_{tag}")} | ({"times": str(times)} if times > 1 else {})
            well.append((key, part(key, **values)))
        # The cause named as gone is not said again as "went fine" in its own words.
        chosen = _chosen(gone, earlier_tags)
        gone_fields = {FIELD_OF.get(chosen)} if chosen else set()
        # A cause the user kept did not go fine, whatever its answer's first words ("I'd
        # prepped teamwork, not this" is kept as a question that caught them out).
        fine = [
            (f, a)
            for f, a in answered_fine(reflection)
            if f not in gone_fields and TAG_OF_FIELD.get(f) not in kept
        ]
        for field, answer in fine[:1]:
            words = _quote(answer, max_words=20)
            if len(words.split()) >= 4 and not _NEGATION_START.match(words):
                well.append((f"fine_{field}", part(f"fine_{field}", words=words)))
            else:  # "fine", "no", "not really an issue": not worth quoting
                well.append(("fine_short", part("fine_short", topic=part(f"topic_{field}"))))
        for person in self._history.store.list_interviewers(interview.id):
            note = _safe(person.rapport_notes.strip())
            if note and _sounds_good(note):
                words = _quote(note, max_words=20)
                well.append(("rapport_note", part("rapport_note", name=person.name, words=words)))
                break
        if confidences:
            mean = sum(confidences) / len(confidences)
            if reflection.confidence > mean:
                well.append(
                    (
                        "confidence_up",
                        part("confidence_up", now=str(reflection.confidence), mean=f"{mean:.1f}"),
                    )
                )
        plan = self._history.store.get_plan(interview.id or 0)
        if plan and any(step.done for step in plan.steps):
            done = sum(step.done for step in plan.steps)
            well.append(
                (
                    "plan_progress",
                    part("plan_progress", done=str(done), steps=str(len(plan.steps))),
                )
            )
        company, role = _safe(interview.company), _safe(interview.role)
        if interview.stage.strip():
            stage = _safe(interview.stage.strip())
            well.append(("stage", part("stage", stage=stage, role=role, company=company)))
        else:
            well.append(("no_stage", part("no_stage", role=role, company=company)))
        return well

    def _to_fix(
        self,
        reflection: Reflection,
        stumbles: list[Any],
        kept: list[CauseTag],
        earlier_tags: Counter[str],
    ) -> tuple[ReframeFact, ReframeFact | None]:
        """The most important kept cause in the user's words, and the answer they now have."""
        part = self._parts.render
        evidence = [e for tag in kept if (e := evidence_for(tag, reflection, stumbles))]
        main = most_important(evidence, earlier_tags)
        wish_text = ""
        if main is None:
            tag = min(kept, key=IMPORTANCE.index) if kept else None
            if tag is None:
                fix = ReframeFact("fix", "nothing_to_fix", part("nothing_to_fix"))
            else:
                fix = ReframeFact("fix", "fix_cause", part("fix_cause", cause=part(f"cause_{tag}")))
        elif main.tag == "unprepared_question" and main.question:
            question = _safe(main.question).rstrip(".")
            said = in_second_person(_safe(main.said)) if main.said else None
            if said:
                sentence = part("fix_question_answered", question=question, answer=said)
                fix = ReframeFact("fix", "fix_question_answered", sentence)
            elif words := _quote(main.said or main.words, max_words=20):
                sentence = part("fix_question_quoted", question=question, words=words)
                fix = ReframeFact("fix", "fix_question_quoted", sentence)
            else:
                fix = ReframeFact("fix", "fix_question", part("fix_question", question=question))
            wish_text = main.wish
        else:
            cause = part(f"cause_{main.tag}")
            if words := _quote(main.words, max_words=20):
                sentence = part("fix_cause_quoted", cause=cause, words=words)
                fix = ReframeFact("fix", "fix_cause_quoted", sentence)
            else:
                fix = ReframeFact("fix", "fix_cause", part("fix_cause", cause=cause))
        wish: ReframeFact | None = None
        if text := _quote(wish_text, max_words=30):
            wish = ReframeFact("next", "wish", part("wish", wish=text))
        elif other := next((s for s in stumbles if _quote(s.what_i_wish, max_words=30)), None):
            # A better answer to another question: name the question, or it reads as the fix's.
            text = _quote(other.what_i_wish, max_words=30)
            question = _safe(other.question).rstrip(".")
            sentence = part("wish_for", question=question, wish=text)
            wish = ReframeFact("next", "wish_for", sentence)
        return fix, wish

    def _next_step(self, interview_id: int) -> ReframeFact | None:
        plan = self._history.store.get_plan(interview_id)
        undone = [s for s in plan.steps if not s.done] if plan else []
        if not undone:
            return None
        action = _safe(undone[0].action.strip().rstrip("."))
        if not action:
            return None
        return ReframeFact("next", "next_step", self._parts.render("next_step", action=action))

    # -- the text ---------------------------------------------------------------------------------

    def _rephrase(
        self, sentences: list[str], progress: ProgressCallback
    ) -> tuple[list[str], int, str]:
        """Each sentence in the model's wording when that passes its check, else the code's."""
        numbered = "\n".join(f"{n}. {s}" for n, s in enumerate(sentences, start=1))
        try:
            model = self._llm.get(progress)
            messages = self._prompt.render(sentences=numbered)
            result: Any = model.structured(
                messages, _Rephrased, Sampling(max_tokens=260, temperature=0.2)
            )
        except (DebriefError, ValidationError) as exc:  # busy, down, or a reply out of shape
            log.info("reframe: the model's wording is not used (%s)", exc)
            return sentences, 0, TEMPLATE_MODEL_ID
        offered = [str(s).strip() for s in result.sentences]
        kept: list[str] = []
        replaced = 0
        for n, sentence in enumerate(sentences):
            candidate = offered[n] if n < len(offered) and len(offered) == len(sentences) else ""
            problems = piece_problems(candidate, sentence) if candidate else ["missing"]
            if problems:
                log.info("reframe: sentence %d kept as written by code (%s)", n + 1, problems)
                kept.append(sentence)
            else:
                kept.append(candidate)
                replaced += 1
        return kept, replaced, model.model_id

    def reframe(self, interview_id: int, progress: ProgressCallback = no_progress) -> Reframe:
        facts = self.facts(interview_id)
        sentences = [fact.sentence for fact in facts]
        final, replaced, model_id = sentences, 0, TEMPLATE_MODEL_ID
        if self._rephrase_with_model:
            final, replaced, model_id = self._rephrase(sentences, progress)
        text = " ".join(final)
        saved = self._history.store.add_draft(
            Draft(
                interview_id=interview_id,
                kind=DraftKind.REFRAME,
                prompt_name=self._prompt.name,
                prompt_version=self._prompt.version,
                prompt_hash=self._prompt.content_hash,
                model_id=model_id if replaced else TEMPLATE_MODEL_ID,
                body=text,
            )
        )
        return Reframe(text, tuple(sentences), saved.id, replaced)


def _chosen(gone: list[CauseTag], earlier: Counter[str]) -> CauseTag | None:
    """The earlier cause to name as gone: the most frequent; CAUSE_TAGS order breaks ties."""
    if not gone:
        return None
    return max(gone, key=lambda t: (earlier[t], -CAUSE_TAGS.index(t)))


def _sounds_good(note: str) -> bool:
    """An interviewer note that reads as good rapport ("warm", "we laughed"), with no trouble."""
    lowered = note.lower()
    good = ("warm", "friendly", "laughed", "easy", "easygoing", "clicked", "kind", "nice", "liked")
    bad = (
        "cold",
        "tense",
        "bored",
        "rude",
        "dismissive",
        "not ",
        "n't",
        "challenged",
        "typed",
        "at first",  # "warm at first, shorter with me later"
        "shorter",
        "quiet",
    )
    return any(g in lowered for g in good) and not any(b in lowered for b in bad)
