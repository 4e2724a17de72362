""" "Why do my interviews go badly?": an answer from the user's own records, with citations."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace

from debrief.checks.answers import (
    FIRST_PERSON,
    THIRD_PERSON,
    names_in,
    support,
    supports,
    to_second_person,
    unquoted,
    without_citations,
)
from debrief.checks.answers import (
    sentences as split_sentences,
)
from debrief.checks.injection import Flag, output_flags, without_flagged
from debrief.checks.text import is_near_copy
from debrief.errors import InputError
from debrief.llm.connection import ChatModelSource
from debrief.llm.model_files import ProgressCallback, no_progress
from debrief.llm.types import Sampling
from debrief.records.models import CAUSE_TAGS, Interview, Interviewer
from debrief.services.evidence import (
    CauseEvidence,
    Diagnosis,
    Reading,
    Record,
    closest_words,
    gather_diagnosis,
    gather_knowledge,
    gather_person,
    gather_reported,
    in_scope,
    named_person,
    names_cause,
    own_records,
    quote,
    quote_sentences,
    rank_passages,
    read_question,
    short_day,
    topic_quotes,
)
from debrief.services.history import HistoryService
from debrief.services.history_documents import KINDS
from debrief.text_safety import clean_user_text, without_instructions
from prompts import load_parts, load_prompt
from rag.index import Hit, SearchFilters

CONTEXT_TOKENS = 1100
_CITATION = re.compile(r"\[(\d{1,2})\]")
_TOLD = re.compile(r"^I (?:said|told|answered|replied|talked|went)\b")
NOTHING_FOUND = (
    "There is nothing in your saved interviews about that yet. Once you save reflections and "
    "stumbles, Debrief can look for patterns across them."
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


@dataclass(frozen=True)
class Prepared:
    """A question read, and what its answer stands on (see `AskService.prepare`)."""

    question: str
    reading: Reading
    names: dict[int, list[str]]  # the words that name each interview in scope
    cause_counts: dict[str, int]
    interviews_counted: int
    answer: Answer | None = None  # set when code gave the whole answer
    sources: tuple[Source, ...] = ()
    records: tuple[Record, ...] = ()


__all__ = ["NOTHING_FOUND", "Answer", "AskService", "SearchFilters", "Source", "cited_numbers"]


class AskService:
    def __init__(self, llm: ChatModelSource, history: HistoryService) -> None:
        self._llm = llm
        self._history = history
        self._prompt = load_prompt("ask_history")
        self._parts = load_parts("ask_parts")

    def cause_counts(self, filters: SearchFilters | None = None) -> tuple[dict[str, int], int]:
        """How many interviews each cause was tagged in, from the records (never from the model).

        With `filters`, only the reflections of interviews they select (interview, company,
        dates held) count, so a chart beside a filtered question shows what was asked about.
        """
        reflections = self._history.store.list_reflections()
        if filters is not None:
            wanted = {i.id for i in self._history.store.list_interviews() if in_scope(i, filters)}
            reflections = [r for r in reflections if r.interview_id in wanted]
        counts = Counter(tag for r in reflections for tag in set(r.cause_tags))
        return {tag: counts[tag] for tag in CAUSE_TAGS if counts[tag]}, len(reflections)

    def ask(
        self,
        question: str,
        filters: SearchFilters | None = None,
        progress: ProgressCallback = no_progress,
    ) -> Answer:
        answer: Answer | None = None
        for event in self.stream(question, filters, progress):
            if isinstance(event, Answer):
                answer = event
        assert answer is not None
        return answer

    def stream(
        self,
        question: str,
        filters: SearchFilters | None = None,
        progress: ProgressCallback = no_progress,
    ) -> Iterator[str | Answer]:
        """Yield the answer text as it is written, then the finished, checked `Answer`.

        A question about a pattern or a cause is answered by code from the causes ticked and the
        user's own words, counted and quoted per interview; any other question by the model from
        passages grouped by interview, keeping only the sentences a record supports.
        """
        prepared = self.prepare(question, filters)
        if prepared.answer is not None:
            yield prepared.answer.text
            yield prepared.answer
            return
        question, sources = prepared.question, prepared.sources
        counts, total = prepared.cause_counts, prepared.interviews_counted
        messages = self._prompt.render(
            records=_grouped(sources, prepared.records), question=question
        )
        text = ""
        for piece in self._llm.get(progress).stream_chat(messages, Sampling(max_tokens=220)):
            text += piece
            yield piece
        text, flags, repaired = _checked(text.strip(), sources, question)
        text = (
            _grounded(text, sources, prepared.names)
            or self._closest(prepared)
            or self._parts.render("not_in_records")
        )
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

    def prepare(self, question: str, filters: SearchFilters | None = None) -> Prepared:
        """What the answer stands on: the finished answer when code can give it (a pattern or a
        cause counted and quoted from the records, or "nothing found"), else the passages the
        model will be shown, grouped by interview."""
        question = clean_user_text(question)
        if not question:
            raise InputError("Type a question first, e.g. “Why do my interviews go badly?”")
        counts, total = self.cause_counts(filters)
        base = filters or SearchFilters()
        store = self._history.store
        interviews = [i for i in store.list_interviews() if in_scope(i, base)]
        names = _names_by_interview(self._history, interviews)
        reading = read_question(question, interviews, names)
        prepared = Prepared(question, reading, names, counts, total)
        if reading.kind == "knowledge":
            interview = next(i for i in interviews if i.id == reading.interview_ids[0])
            known = self._knowledge(question, interview, counts, total)
            return replace(prepared, answer=known, sources=known.sources)
        person = named_person(self._history, question, interviews)
        if person is not None:
            manner = self._person(question, *person, counts, total)
            return replace(prepared, answer=manner, sources=manner.sources)
        if reading.kind == "format":
            compared = self._by_format(question, reading, base, interviews, counts, total)
            return replace(prepared, answer=compared, sources=compared.sources)
        if reading.kind == "reported":
            said = self._reported(question, reading, interviews, names, counts, total)
            if said is not None:
                return replace(prepared, answer=said, sources=said.sources)
        if reading.kind == "topic":
            about = self._topic(question, reading, interviews, names, counts, total)
            if about is not None:
                return replace(prepared, answer=about, sources=about.sources)
            if len(reading.interview_ids) == 1:  # "how did the Tamarside one go?": all of it
                reading = replace(reading, kind="pattern")
        if reading.kind not in ("open", "topic", "reported"):
            built = self._from_records(question, reading, base, counts, total)
            if built is not None:
                return replace(prepared, answer=built, sources=built.sources)
        records = rank_passages(
            self._history,
            question,
            SearchFilters(
                interview_id=base.interview_id
                if base.interview_id is not None or len(reading.interview_ids) != 1
                else reading.interview_ids[0],
                company=base.company,
                kinds=base.kinds or KINDS,
                date_from=base.date_from,
                date_to=base.date_to,
                cause=base.cause,
            ),
            k=8,
            token_budget=CONTEXT_TOKENS,
        )
        if not records:
            answer = _from_code(question, NOTHING_FOUND, (), counts, total)
            return replace(prepared, answer=answer)
        sources = tuple(Source(n, record.hit) for n, record in enumerate(records, start=1))
        return replace(prepared, sources=sources, records=tuple(records))

    def _from_records(
        self,
        question: str,
        reading: Reading,
        filters: SearchFilters,
        counts: dict[str, int],
        total: int,
    ) -> Answer | None:
        """The answer code can give by itself: counts and the user's own words, cited."""
        detailed = reading.kind == "cause" or len(reading.interview_ids) == 1
        diagnosis = gather_diagnosis(
            self._history, filters, reading.interview_ids, detailed=detailed
        )
        by_cause = diagnosis.by_cause
        if reading.kind == "cause":
            by_cause = {tag: found for tag, found in by_cause.items() if tag in reading.causes}
        unticked = {
            tag: found for tag, found in diagnosis.unticked.items() if tag in reading.causes
        }
        if not by_cause and not unticked:
            if diagnosis.interviews and reading.kind == "pattern":
                text = self._parts.render("nothing_tagged")
                return _from_code(question, text, (), counts, total)
            return None  # the index may still find stumbles or notes about it
        part = self._parts.render
        cited = _Cited()
        cite = cited.cite

        def example(evidence: CauseEvidence, every_quote: bool) -> str:
            return _example(evidence, every_quote, cite)

        def at(evidence: CauseEvidence, every_quote: bool) -> str:
            return self._at(evidence, every_quote, cite)

        sentences: list[str] = []
        reflected = len(diagnosis.interviews)
        shown = by_cause
        if reflected == 1:
            sentences += self._one_interview(diagnosis, shown, example, cite)
        # "of your 5 interviews" only when every interview in scope was reflected on.
        every = reflected == diagnosis.in_scope
        among = part("of_yours" if every else "of_reflected", total=str(reflected))
        among_all = part("all_yours" if every else "all_reflected", total=str(reflected))
        for tag, found in shown.items() if reflected > 1 else ():
            examples = "; ".join(at(e, detailed) for e in found)
            cause = part(f"cause_{tag}")
            sentences.append(
                part("pattern_all", cause=cause, examples=examples, among=among_all)
                if len(found) == reflected
                else part(
                    "pattern_many",
                    cause=cause,
                    examples=examples,
                    count=str(len(found)),
                    among=among,
                )
            )
        if reading.kind == "pattern" and reflected > 1 and diagnosis.went_well:
            better = "; ".join(at(e, every_quote=True) for e in diagnosis.went_well)
            sentences.append(part("went_better", examples=better))
        # Interviews with no reflection are not counted: their stumbles are still shown, those
        # about the cause asked of ("forgot the agency year" for work history).
        unreflected = [
            e
            if reading.kind == "pattern" or "unprepared_question" in reading.causes
            else replace(
                e,
                quotes=tuple(
                    (words, record)
                    for words, record in e.quotes
                    if record is not None
                    and any(names_cause(record.hit.text, tag) for tag in reading.causes)
                ),
            )
            for e in diagnosis.unreflected
        ]
        if any(e.quotes for e in unreflected):
            listed = [
                part("example", company=e.interview.company, quote=example(e, every_quote=True))
                for e in unreflected
                if e.quotes
            ]
            sentences.append(part("unreflected", examples="; ".join(listed)))
        for tag, found in unticked.items():
            listed = [
                part("example", company=e.interview.company, quote=example(e, every_quote=True))
                for e in found
            ]
            template = "unticked_also" if tag in shown else "unticked"
            sentences.append(part(template, cause=part(f"short_{tag}"), examples="; ".join(listed)))
        if reading.kind == "pattern" and reflected > 1 and len(by_cause) > 1:
            first = next(iter(by_cause))
            top = [tag for tag, found in by_cause.items() if len(found) == len(by_cause[first])]
            if len(top) == 1:
                sentences.append(part("start_with", first=part(f"short_{first}")))
            elif len(top) < len(by_cause):  # a tie: name them, and start with the first listed
                tied = _listed([part(f"short_{tag}") for tag in top[1:]])
                sentences.append(part("start_with_tied", tied=tied, first=part(f"short_{first}")))
            # every cause came up as often: none is "the most frequent", so no advice is given
        text = " ".join(sentences)
        return _from_code(question, text, cited.sources, counts, total)

    def _at(self, evidence: CauseEvidence, every_quote: bool, cite: Callable[[Record], str]) -> str:
        """One interview's words for a cause: "at Harbour, “…” [2]" (marked when not ticked)."""
        name = "example" if evidence.ticked else "example_unticked"
        company = evidence.interview.company
        return self._parts.render(
            name, company=company, quote=_example(evidence, every_quote, cite)
        )

    def _person(
        self,
        question: str,
        interview: Interview,
        person: Interviewer,
        counts: dict[str, int],
        total: int,
    ) -> Answer:
        """How one interviewer came across, in the user's own words; code does not judge it."""
        part = self._parts.render
        found = gather_person(self._history, interview, person)
        cited = _Cited()
        said = [f"“{words}” {cited.cite(record)}" for words, record in found.said]
        text = (
            part("person", who=person.name, company=interview.company, quote="; ".join(said))
            if said
            else part("person_unknown", who=person.name, company=interview.company)
        )
        return _from_code(question, text, cited.sources, counts, total)

    def _by_format(
        self,
        question: str,
        reading: Reading,
        filters: SearchFilters,
        interviews: Sequence[Interview],
        counts: dict[str, int],
        total: int,
    ) -> Answer:
        """ "Do my video interviews go worse?": each cause in the interviews of that format,
        counted and quoted, beside how often it came up in the others."""
        part = self._parts.render
        kind = part(f"format_{reading.format}")
        mine = [i for i in interviews if i.format == reading.format]
        others = [i for i in interviews if i.format != reading.format]
        if not mine:
            text = part("format_none", format=kind, total=str(len(interviews)))
            return _from_code(question, text, (), counts, total)
        cited = _Cited()
        cite = cited.cite
        ids = [i.id for i in mine if i.id is not None]
        these = gather_diagnosis(self._history, filters, ids)
        rest = gather_diagnosis(self._history, filters, [i.id for i in others if i.id is not None])
        sentences = [
            part(
                "format_count",
                count=str(len(mine)),
                total=str(len(interviews)),
                format=kind,
                companies=_listed([i.company for i in sorted(mine, key=lambda i: i.held_at)]),
            )
        ]
        reflected, compared = len(these.interviews), len(rest.interviews)
        for tag, found in these.by_cause.items():
            template = "format_all" if len(found) == reflected else "format_some"
            examples = "; ".join(self._at(e, False, cite) for e in found)
            sentences.append(
                part(
                    template,
                    cause=part(f"cause_{tag}"),
                    count=str(len(found)),
                    total=str(reflected),
                    format=kind,
                    examples=examples,
                )
            )
        if compared:
            seen = [
                part(
                    "format_other_item",
                    cause=part(f"short_{tag}"),
                    count=str(len(found)),
                    cites="".join(cite(e.reflection) for e in found if e.reflection is not None),
                )
                for tag, found in rest.by_cause.items()
            ]
            others_are = (
                part("format_other_one")
                if compared == 1
                else part("format_other_many", total=str(compared))
            )
            sentences.append(
                part("format_others", others=others_are, examples="; ".join(seen))
                if seen
                else part("format_others_none", others=others_are)
            )
            more = [
                part(
                    "format_more_item",
                    cause=part(f"short_{tag}"),
                    count=str(len(found)),
                    total=str(reflected),
                    other=str(len(rest.by_cause.get(tag, []))),
                    other_total=str(compared),
                )
                for tag, found in these.by_cause.items()
                if len(found) / reflected > len(rest.by_cause.get(tag, [])) / compared
            ]
            sentences.append(
                part("format_more", format=kind, examples="; ".join(more))
                if more
                else part("format_more_none", format=kind)
            )
        if these.went_well:
            better = "; ".join(self._at(e, True, cite) for e in these.went_well)
            sentences.append(part("went_better", examples=better))
        text = " ".join(sentences)
        return _from_code(question, text, cited.sources, counts, total)

    def _reported(
        self,
        question: str,
        reading: Reading,
        interviews: Sequence[Interview],
        names: dict[int, list[str]],
        counts: dict[str, int],
        total: int,
    ) -> Answer | None:
        """ "What did I say when Sam asked…?": the stumble that records it (what the user said,
        what they wish they had said) and what their reflection says of it; or, when only an
        interviewer record shows the question, that it was asked and the answer is not saved.
        None when no record matches (the model may still find it)."""
        scope = [i for i in interviews if i.id in reading.interview_ids]
        found = gather_reported(self._history, question, scope, _every_name(names))
        part = self._parts.render
        cited = _Cited()
        cite = cited.cite

        def reflected() -> str:
            quoted = " and ".join(f"“{words}”" for words, _ in found.reflection)
            return part("reflection_said", quote=f"{quoted} {cite(found.reflection[0][1])}")

        sentences: list[str] = []
        if found.stumble is not None and found.stumble_record is not None:
            stumble, record = found.stumble, found.stumble_record
            if stumble.what_i_said.strip():
                said = quote_sentences(stumble.what_i_said, 200)
                # "I said I failed…" is already told as said: "You said “I said…”" stutters.
                told = "said_own" if _TOLD.match(said) else "said"
                sentences.append(part(told, quote=f"“{said}” {cite(record)}"))
            else:
                sentences.append(part("said_unknown", question=quote(stumble.question)))
            if stumble.what_i_wish.strip():
                wish = quote_sentences(stumble.what_i_wish, 200)
                sentences.append(part("wished", quote=f"“{wish}” {cite(record)}"))
            if found.reflection:
                sentences.append(reflected())
        elif found.asked is not None:
            who, asked, record = found.asked
            question_quoted = f"“{quote(asked)}” {cite(record)}"
            if found.reflection:
                asked_part = part("asked_reflected", who=who, question=question_quoted)
                sentences.append(f"{asked_part} {reflected()}")
            else:
                sentences.append(part("asked_only", who=who, question=question_quoted))
        if not sentences:
            return None
        text = " ".join(sentences)
        return _from_code(question, text, cited.sources, counts, total)

    def _topic(
        self,
        question: str,
        reading: Reading,
        interviews: Sequence[Interview],
        names: dict[int, list[str]],
        counts: dict[str, int],
        total: int,
    ) -> Answer | None:
        """A question about one subject ("what happens when salary comes up?"): the user's own
        words about it in each interview, oldest first, quoted and cited; None when no record
        names the subject (the model may still find it)."""
        named = reading.interview_ids
        scope = [i for i in interviews if not named or i.id in named]
        owned = own_records(self._history, scope)
        quotes = topic_quotes(question, owned, _every_name(names))
        cited = _Cited()
        said_at = [
            (record.interview.company, f"{said} {cited.cite(record)}")
            for (record, _words), said in zip(owned, quotes, strict=True)
            if said and record.interview is not None
        ]
        if not said_at:
            return None
        text = self._parts.render("topic", examples=self._by_company(said_at))
        if len(named) == 1:  # "How did the Saltmarsh trial go?": and what went wrong there
            text = f"{text} {self._what_went_wrong(named[0], text, cited)}".strip()
        return _from_code(question, text, cited.sources, counts, total)

    def _what_went_wrong(self, interview_id: int, said: str, cited: _Cited) -> str:
        """The causes one interview's reflection ticked, each in the user's words, leaving out
        words the answer already quotes; "" when there are none."""
        part = self._parts.render
        diagnosis = gather_diagnosis(self._history, SearchFilters(), [interview_id])
        wrong = [
            part("wrong_item", cause=part(f"short_{tag}"), quote=_example(e, False, cited.cite))
            for tag, found in diagnosis.by_cause.items()
            for e in found[:1]
            if not any(words.split("“")[-1].strip("”") in said for words, _ in e.quotes[:1])
        ]
        return part("went_wrong_there", examples="; ".join(wrong)) if wrong else ""

    def _closest(self, prepared: Prepared) -> str:
        """When no sentence of the model's answer stood: the user's own sentences that share a
        word with the question, quoted and cited, else nothing."""
        if not prepared.reading.interview_ids:
            return ""  # "did they think I was too old?": a shared word is no answer
        records = [
            (n, r)
            for n, r in enumerate(prepared.records)
            if r.interview is not None and r.interview.id in prepared.reading.interview_ids
        ]
        found = closest_words(
            prepared.question, [r for _, r in records], _every_name(prepared.names)
        )
        if not found:
            return ""
        said_at = []
        for index, sentence in found:
            number, record = records[index]
            company = record.interview.company if record.interview is not None else ""
            said_at.append((company, f"“{quote(sentence)}” [{number + 1}]"))
        return self._parts.render("closest", examples=self._by_company(said_at))

    def _by_company(self, said_at: Sequence[tuple[str, str]]) -> str:
        """Quotes listed per interview, in order: "at Corran, “a” [1] and “b” [2]; at …"."""
        by_company: dict[str, list[str]] = {}
        for company, said in said_at:
            by_company.setdefault(company, []).append(said)
        part = self._parts.render
        return "; ".join(
            part("example", company=company, quote=" and ".join(said))
            if company
            else " and ".join(said)
            for company, said in by_company.items()
        )

    def _knowledge(
        self, question: str, interview: Interview, counts: dict[str, int], total: int
    ) -> Answer:
        """What the user knew about a company going in, from their reflection and research."""
        part = self._parts.render
        known = gather_knowledge(self._history, interview)
        cited = _Cited()
        sentences: list[str] = []
        if known.reflection is not None:
            words, record = known.reflection
            said = f"“{words}” {cited.cite(record)}"
            sentences.append(part("knew_said", company=interview.company, quote=said))
        for title, opening, record in known.research:
            said = f"“{opening}” {cited.cite(record)}"
            sentences.append(part("knew_research", title=title, quote=said))
        if not known.research:
            sentences.append(part("knew_no_research", company=interview.company))
        text = " ".join(sentences)
        return _from_code(question, text, cited.sources, counts, total)

    def _one_interview(
        self,
        diagnosis: Diagnosis,
        shown: dict[str, list[CauseEvidence]],
        example: Callable[[CauseEvidence, bool], str],
        cite: Callable[[Record], str],
    ) -> list[str]:
        """One interview's reflection whole: each cause with the user's words and what they
        said to the questions that caught them out, then what they said went well."""
        part = self._parts.render
        interview = diagnosis.interviews[0]
        assert interview.id is not None
        sentences: list[str] = []
        quoted: set[object] = set()
        for tag, found in shown.items():
            # A stumble quoted for one cause is not quoted again for the next.
            fresh = (
                tuple(
                    (words, record)
                    for words, record in found[0].quotes
                    if record is None
                    or record.kind != "stumble"
                    or record.hit.citation not in quoted
                )
                or found[0].quotes[:1]
            )
            quoted.update(r.hit.citation for _, r in fresh if r is not None and r.kind == "stumble")
            evidence = replace(found[0], quotes=fresh)
            cause = part(f"lower_{tag}" if not sentences else f"cause_{tag}")
            if not evidence.ticked:
                cause = part("not_ticked", cause=cause)
            where = (
                {"company": interview.company, "day": short_day(interview.held_at.date())}
                if not sentences
                else {}
            )
            sentences.append(
                part(
                    "one_cause_first" if where else "one_cause",
                    cause=cause,
                    examples=example(evidence, True),
                    **where,
                )
            )
        fine = [
            part("fine_item", cause=part(f"short_{tag}"), quote=f"“{quote(words)}” {cite(own)}")
            for tag, words, own in diagnosis.fine.get(interview.id, [])
            if tag not in shown
        ]
        fine_words = {words for _tag, words, _own in diagnosis.fine.get(interview.id, [])}
        for evidence in diagnosis.went_well:
            if evidence.interview.id != interview.id:
                continue
            fine += [
                f"{words} {cite(own) if own else ''}".strip()
                for words, own in evidence.quotes
                if not any(words.strip("“”") in said for said in fine_words)
            ]
        if fine:
            sentences.append(part("went_fine", examples="; ".join(fine)))
        return sentences


@dataclass
class _Cited:
    """The records an answer cites, numbered in the order it first cites them."""

    sources: list[Source] = field(default_factory=list)

    def cite(self, record: Record) -> str:
        key = (record.kind, record.hit.citation.record_id)
        for source in self.sources:
            if (source.hit.citation.kind, source.hit.citation.record_id) == key:
                return f"[{source.number}]"
        self.sources.append(Source(len(self.sources) + 1, record.hit))
        return f"[{len(self.sources)}]"


def _example(evidence: CauseEvidence, every_quote: bool, cite: Callable[[Record], str]) -> str:
    """The user's words for a cause in one interview, cited: every quote, or the short listing."""
    quotes = evidence.quotes if every_quote else evidence.quotes[: evidence.brief]
    said = [f"{words} {cite(record) if record else ''}".strip() for words, record in quotes]
    also = "".join(cite(record) for record in evidence.also)
    return (" and ".join(said) + also).strip()


def _listed(names: Sequence[str]) -> str:
    """ "A, B and C"."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _every_name(names: dict[int, list[str]]) -> list[str]:
    """Every company and person that names an interview, in one list."""
    return [name for owned in names.values() for name in owned]


def _from_code(
    question: str, text: str, sources: Sequence[Source], counts: dict[str, int], total: int
) -> Answer:
    """An answer code wrote from the records (no model), with the citations it uses."""
    return Answer(
        question,
        text,
        tuple(sources),
        cited_numbers(text, len(sources)),
        counts,
        total,
        used_model=False,
    )


def _names_by_interview(
    history: HistoryService, interviews: Sequence[Interview]
) -> dict[int, list[str]]:
    """The words that name each interview: its company and its interviewers."""
    names: dict[int, list[str]] = {}
    for interview in interviews:
        assert interview.id is not None
        people = [p.name for p in history.store.list_interviewers(interview.id)]
        names[interview.id] = [interview.company, *people]
    return names


def _grouped(sources: Sequence[Source], records: Sequence[Record]) -> str:
    """The numbered records under one heading per interview, so facts stay with their interview."""
    blocks: list[str] = []
    current: object = object()
    for source, record in zip(sources, records, strict=True):
        interview = record.interview
        key = interview.id if interview is not None else None
        if key != current:
            current = key
            heading = (
                f"Interview at {interview.company} for {interview.role}, "
                f"{short_day(interview.held_at.date())}"
                if interview is not None
                else "Company research"
            )
            blocks.append(f"## {without_instructions(heading)[0]}")
        kind = _KIND_LABEL.get(source.hit.citation.kind, source.hit.citation.kind)
        blocks.append(f"[{source.number}] {kind}\n{without_instructions(source.hit.text)[0]}")
    return "\n\n".join(blocks)


_ABOUT_YOU = re.compile(r"\byou(?:r|rs|rself)?\b", re.IGNORECASE)
_KIND_LABEL = {
    "reflection": "Your reflection",
    "stumble": "A question you stumbled on",
    "interviewer": "An interviewer",
    "research": "Research",
    "interview": "Your notes",
}


def _grounded(text: str, sources: Sequence[Source], names: dict[int, list[str]]) -> str:
    """The model's answer with each sentence cited by code to the record that supports it; a
    sentence no record supports, about the user in the third or first person, that mixes
    interviews or repeats an earlier one is left out. Empty when nothing is left."""
    if "NOT IN RECORDS" in text.upper():
        return ""
    kept: list[str] = []
    for sentence in split_sentences(text):
        bare = to_second_person(without_citations(sentence))
        if not bare or THIRD_PERSON.search(bare) or FIRST_PERSON.search(unquoted(bare)):
            continue
        if any(is_near_copy(bare, earlier) for earlier in kept):
            continue
        named = names_in(bare, names)
        best: Source | None = None
        best_share = 0.0
        about_you = bool(_ABOUT_YOU.search(bare))
        for source in sources:
            if named - {source.hit.citation.interview_id}:
                continue
            if about_you and source.hit.citation.kind == "research":
                continue  # research is about the company, never about what happened to the user
            share = support(bare, source.hit.text)
            if share > best_share and supports(bare, [source.hit.text]):
                best, best_share = source, share
        if best is None:
            continue
        body, end = (bare[:-1], bare[-1]) if bare[-1] in ".!?" else (bare, ".")
        kept.append(f"{body} [{best.number}]{end}")
    return " ".join(kept)


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


def cited_numbers(text: str, available: int) -> tuple[int, ...]:
    """The [n] citations in `text` that point at a passage that exists, in order of first use."""
    seen: list[int] = []
    for match in _CITATION.finditer(text):
        number = int(match.group(1))
        if 1 <= number <= available and number not in seen:
            seen.append(number)
    return tuple(seen)
