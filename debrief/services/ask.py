""" "Why do my interviews go badly?": an answer from the user's own records, with citations."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from debrief.checks.injection import Flag, output_flags, without_flagged
from debrief.errors import InputError
from debrief.llm.connection import ChatModelSource
from debrief.llm.model_files import ProgressCallback, no_progress
from debrief.llm.types import ChatMessage, Sampling
from debrief.records.models import CAUSE_TAGS
from debrief.services.history import HistoryService
from debrief.text_safety import clean_user_text, without_instructions
from prompts import load_prompt
from rag.index import Hit, SearchFilters

CONTEXT_TOKENS = 900
MIN_RELEVANCE = 0.2  # cosine below which a passage is not about the question at all
_ALWAYS_RELEVANT = frozenset({"reflection", "stumble"})
_CITATION = re.compile(r"\[(\d{1,2})\]")
NOTHING_FOUND = (
    "I found nothing in your saved interviews about that yet, so I can't say. "
    "Once you save reflections and stumbles, I can look for patterns across them."
)


@dataclass(frozen=True)
class Source:
    number: int
    hit: Hit


@dataclass(frozen=True)
class Answer:
    question: str
    text: str
    sources: tuple[Source, ...]  # every passage shown to the model, numbered as in the text
    cited: tuple[int, ...]  # the numbers the answer actually cites (valid ones only)
    cause_counts: dict[str, int] = field(default_factory=dict)
    interviews_counted: int = 0
    used_model: bool = True
    # Signs the model followed the research (a postscript, a link, another language, a copied
    # sentence) that were still there after the flagged sentences were taken out.
    flags: tuple[Flag, ...] = ()
    repaired: bool = False  # flagged sentences were taken out of the model's answer

    def source(self, number: int) -> Hit:
        return next(s.hit for s in self.sources if s.number == number)


__all__ = ["NOTHING_FOUND", "Answer", "AskService", "SearchFilters", "Source", "cited_numbers"]


class AskService:
    def __init__(self, llm: ChatModelSource, history: HistoryService) -> None:
        self._llm = llm
        self._history = history
        self._prompt = load_prompt("ask_history")

    def cause_counts(self, filters: SearchFilters | None = None) -> tuple[dict[str, int], int]:
        """How many interviews each cause was tagged in, from the records (never from the model).

        With `filters`, only the reflections of interviews they select (interview, company,
        dates held) count, so a chart beside a filtered question shows what was asked about.
        """
        reflections = self._history.store.list_reflections()
        if filters is not None:
            wanted = {
                i.id
                for i in self._history.store.list_interviews()
                if (filters.interview_id is None or i.id == filters.interview_id)
                and (not filters.company or i.company == filters.company)
                and (filters.date_from is None or i.held_at.date() >= filters.date_from)
                and (filters.date_to is None or i.held_at.date() <= filters.date_to)
            }
            reflections = [r for r in reflections if r.interview_id in wanted]
        counts = Counter(tag for r in reflections for tag in set(r.cause_tags))
        return {tag: counts[tag] for tag in CAUSE_TAGS if counts[tag]}, len(reflections)

    def ask(
        self,
        question: str,
        filters: SearchFilters | None = None,
        progress: ProgressCallback = no_progress,
    ) -> Answer:
        text = ""
        answer: Answer | None = None
        for event in self.stream(question, filters, progress):
            if isinstance(event, Answer):
                answer = event
            else:
                text += event
        assert answer is not None
        return answer

    def stream(
        self,
        question: str,
        filters: SearchFilters | None = None,
        progress: ProgressCallback = no_progress,
    ) -> Iterator[str | Answer]:
        """Yield the answer text as it is written, then the finished `Answer`."""
        question = clean_user_text(question)
        if not question:
            raise InputError("Type a question first, e.g. “Why do my interviews go badly?”")
        counts, total = self.cause_counts(filters)
        base = filters or SearchFilters()
        hits = self._history.search(
            question,
            k=6,
            filters=SearchFilters(
                interview_id=base.interview_id,
                company=base.company,
                kinds=base.kinds
                or ("reflection", "stumble", "research", "interviewer", "interview"),
                date_from=base.date_from,
                date_to=base.date_to,
                cause=base.cause,
            ),
            token_budget=CONTEXT_TOKENS,
        )
        # Reflections and stumbles are the diagnosis itself: a broad question ("why do my
        # interviews go badly?") is about all of them even when its wording matches none. Other
        # records must actually be about the question.
        hits = [h for h in hits if h.citation.kind in _ALWAYS_RELEVANT or h.score >= MIN_RELEVANCE]
        if not hits:
            yield NOTHING_FOUND
            yield Answer(question, NOTHING_FOUND, (), (), counts, total, used_model=False)
            return
        sources = tuple(Source(n, hit) for n, hit in enumerate(hits, start=1))
        passages = "\n\n".join(
            f"[{s.number}] {_title(s)}\n{without_instructions(s.hit.text)[0]}" for s in sources
        )
        messages = self._prompt.render(
            passages=passages,
            cause_counts=_counts_text(counts, total),
            question=question,
        )
        text = ""
        for piece in self._llm.get(progress).stream_chat(messages, Sampling(max_tokens=350)):
            text += piece
            yield piece
        text, flags, repaired = _checked(text.strip(), sources, question)
        yield Answer(
            question,
            text,
            sources,
            cited_numbers(text, len(sources)),
            counts,
            total,
            flags=flags,
            repaired=repaired,
        )


def _checked(
    text: str, sources: Sequence[Source], question: str
) -> tuple[str, tuple[Flag, ...], bool]:
    """The answer with every sentence the research may have planted taken out (the repair), and
    the flags that remain; the user's own records may be quoted freely."""
    research = "\n".join(s.hit.text for s in sources if s.hit.citation.kind == "research")
    own = [question, *(s.hit.text for s in sources if s.hit.citation.kind != "research")]
    flags = output_flags(text, research=research, own=own)
    if not flags:
        return text, (), False
    repaired = without_flagged(text, flags)
    remaining = output_flags(repaired, research=research, own=own)
    if not repaired:  # nothing of the answer was left: show it, flagged, rather than nothing
        return text, tuple(flags), False
    return repaired, tuple(remaining), True


def _title(source: Source) -> str:
    """The passage's title for the prompt: a research title is untrusted text too."""
    citation = source.hit.citation
    return without_instructions(citation.title)[0] or f"{citation.kind} #{citation.record_id}"


def cited_numbers(text: str, available: int) -> tuple[int, ...]:
    """The [n] citations in `text` that point at a passage that exists, in order of first use."""
    seen: list[int] = []
    for match in _CITATION.finditer(text):
        number = int(match.group(1))
        if 1 <= number <= available and number not in seen:
            seen.append(number)
    return tuple(seen)


def _counts_text(counts: dict[str, int], total: int) -> str:
    if not counts:
        return "(no causes tagged yet)"
    return "\n".join(f"- {tag}: {n} of {total} interviews" for tag, n in counts.items())


__all__ = ["Answer", "AskService", "ChatMessage", "Source", "cited_numbers"]
