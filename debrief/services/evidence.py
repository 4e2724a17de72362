"""What an answer about the interview history stands on, gathered by code.

A question is read first (does it ask for a pattern, about one cause, about one interview?).
Pattern and cause questions are answered from the records themselves: the causes the user
ticked, the questions they stumbled on and their own words, counted and quoted per interview.
Other questions get passages from the index, ranked so that reflections and stumbles come before
bare interviewer records, and grouped by interview so each interview's facts stay together.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from debrief.checks.answers import mentions
from debrief.checks.text import content_stems
from debrief.records.models import (
    CAUSE_TAGS,
    Interview,
    Interviewer,
    InterviewFormat,
    Reflection,
    Stumble,
)
from debrief.services.causes import (
    ANSWER_FIELDS,
    answered_fine,
    forgotten,
    sentence_causes,
    sentences,
    went_well,
)
from debrief.services.history import HistoryService
from debrief.services.history_documents import (
    interviewer_document,
    record_title,
    reflection_lines,
    research_document,
    stumble_lines,
)
from debrief.text_safety import without_instructions
from rag.index import Citation, Hit, SearchFilters

# Which reflection answer speaks about each cause ("other" and "logistics" live in free text).
CAUSE_FIELD = {
    "unprepared_question": "unprepared_question",
    "work_history": "work_history",
    "rapport": "rapport",
    "company_research": "company_knowledge",
    "narrative": "narrative_stall",
    "logistics": "free_text",
    "other": "free_text",
}

# Words that make a question about one cause ("which questions catch me out?").
_CAUSE_WORDS = {
    "unprepared_question": r"catch(?:es)?\s+me\s+out|caught|unprepared|off\s+guard|threw\s+me"
    r"|throw\s+me|questions?\s+(?:that\s+)?(?:stump|trip|catch|throw)|tricky\s+questions?"
    r"|hard(?:est)?\s+questions?|which\s+(?:\w+\s+)?questions?",
    "work_history": r"work\s+history|employment\s+history|\bgaps?\b|my\s+cv\b|my\s+résumé"
    r"|my\s+resume|previous\s+jobs?|past\s+jobs?",
    "rapport": r"\brapport\b|connect(?:ion)?\s+with|get\s+on\s+with|click\s+with|\bchemistry\b",
    "company_research": r"research(?:ing)?\s+(?:the\s+)?(?:compan|organi[sz]ation|employer)"
    r"|know(?:ledge)?\s+(?:enough\s+)?(?:of|about)\s+(?:the\s+)?(?:compan|organi[sz]ation"
    r"|employer)|prepared?\s+(?:for|about)\s+the\s+(?:company|organi[sz]ation|employer)",
    "narrative": r"\bstory\b|\bnarrative\b|walk\s+(?:me|them)\s+through|my\s+background"
    r"|why\s+i(?:'m|\s+am)\s+leaving|career\s+change",
    "logistics": r"\blogistics\b|\blate\b|\bcamera\b|\bmicrophone\b|\bconnection\s+(?:dropped|"
    r"failed)|\bwifi\b|wrong\s+(?:room|place|time)",
}
_CAUSE_PATTERNS = {tag: re.compile(words, re.IGNORECASE) for tag, words in _CAUSE_WORDS.items()}
_GENERIC_STEMS = content_stems(
    "question questions answer said asked interview interviewer wrong went bad badly really "
    "good fine well thing things bit lot happens happen comes come gone go goes going explained "
    "explain handled handle usually dr mr mrs ms miss prof one"
)
# "What happens when salary comes up?", "How has the DCF question gone?", "How did the
# Saltmarsh trial go?": a question about one subject across the records, answered by quoting.
_TOPIC = re.compile(
    r"\bwhat\s+happens\s+when\b|\bcomes?\s+up\b|^\s*how\s+(?:has|have|did|does|do)\b",
    re.IGNORECASE,
)
# "What goes wrong when they ask about money?": one subject, even with a word of the pattern.
_TOPIC_WHEN = re.compile(
    r"\bwhen\s+(?:they|he|she|interviewers?)\s+(?:ask|asks|asked|bring|brings)\b", re.IGNORECASE
)
# "Why do my interviews go badly?", "what keeps going wrong?", "is there a pattern?"
_PATTERN = re.compile(
    r"\b(?:why|wrong|badly|bad|pattern|patterns|keep|keeps|always|again|usually|common"
    r"|mistakes?|weak(?:ness|nesses|est)?|fail(?:ed|ing|s)?|struggl\w*|problem|problems"
    r"|happened)\b",
    re.IGNORECASE,
)
# A question about what was said, or a yes/no question about one thing, is not a pattern.
_REPORTED = re.compile(
    r"^\s*(?:what|how)\s+did\s+i\s+(?:say|answer|reply|tell|respond)\b|^\s*did\s+"
    r"|\bwhen\s+\w+(?:\s+\w+)?\s+asked\b",
    re.IGNORECASE,
)
# "What did I know about Harbour Analytics before I went in?": the reflection and the research.
_KNEW = re.compile(
    r"\bwhat\s+did\s+i\s+know\b|\bwhat\s+i\s+knew\b|\bhow\s+(?:much|well)\s+did\s+i\s+know\b"
    r"|\bdid\s+i\s+(?:know|research)\b",
    re.IGNORECASE,
)
# "What did I say / answer / tell them…": what the user said, which a stumble records.
_SAID = re.compile(r"\bwhat\s+did\s+i\s+(?:say|answer|reply|tell|respond)\b", re.IGNORECASE)
_BROAD_NOUN = re.compile(
    r"\binterviews\b|\bpattern|\bkeep|\balways|\busually"
    r"|^\s*why\s+(?:am|do|does|can'?t|don'?t|didn'?t)\s+i\b",  # "why am I struggling to…?"
    re.IGNORECASE,
)
# "Is the computer side of it letting me down?": a yes/no question about one subject.
_DOWN_TO = re.compile(
    r"^\s*(?:is|are|was|were)\b.*\b(?:letting\s+me\s+down|the\s+problem|putting\s+(?:them|people)"
    r"\s+off|holding\s+me\s+back|(?:counting|count|going)\s+against\s+me)\b",
    re.IGNORECASE,
)
# "Do my video interviews go worse?": the interview format a question is about.
_FORMATS = {
    InterviewFormat.VIDEO: re.compile(
        r"\bvideo\b|\bzoom\b|\bteams\s+(?:call|interview)|\bonline\b|\bremote\b", re.IGNORECASE
    ),
    InterviewFormat.PHONE: re.compile(r"\b(?:tele)?phone\b", re.IGNORECASE),
    InterviewFormat.ONSITE: re.compile(
        r"\bon[- ]?site\b|\bin[- ]person\b|\bface[- ]to[- ]face\b", re.IGNORECASE
    ),
}
# Subjects users name in other words than they wrote: "my career break" is "the gap".
_SUBJECTS = (
    (
        re.compile(r"\bcareer\s+break\b|\bgaps?\b|\btime\s+(?:out|off)\b|\bbreak\b", re.IGNORECASE),
        "gap break",
    ),
    (
        re.compile(r"\bsalary\b|\bmoney\b|\bpay\b|\bwages?\b", re.IGNORECASE),
        "salary money wage",  # not "pay": "what competitors pay" is not about the user's pay
    ),
)

# Bonuses added to the cosine similarity when passages compete for the context: the diagnosis
# lives in reflections and stumbles; an interviewer record is only evidence when it says more
# than a name and topics; research is about the company, not about how the interview went.
KIND_BONUS = {"reflection": 0.12, "stumble": 0.12, "interview": 0.0, "research": -0.05}
BARE_INTERVIEWER_BONUS = -0.2
INTERVIEWER_BONUS = 0.0
MIN_RELEVANCE = 0.2  # cosine below which a passage is not about the question at all
_ALWAYS_RELEVANT = frozenset({"reflection", "stumble"})
_BARE_INTERVIEWER = re.compile(r"^(?:Interviewer|Topics discussed): ", re.MULTILINE)


@dataclass(frozen=True)
class Reading:
    """What code understood of a question."""

    kind: str  # "pattern", "cause", "knowledge", "format", "topic", "reported" or "open"
    causes: tuple[str, ...] = ()  # the causes a "cause" question asks about
    interview_ids: tuple[int, ...] = ()  # interviews the question names (company or person)
    format: str = ""  # the interview format a "format" question compares ("video")


@dataclass(frozen=True)
class Record:
    """One record an answer may quote, with its readable title."""

    hit: Hit
    interview: Interview | None

    @property
    def kind(self) -> str:
        return self.hit.citation.kind


def read_question(
    question: str, interviews: Sequence[Interview], people: dict[int, list[str]]
) -> Reading:
    """Classify the question and find the interviews it names (by company or interviewer)."""
    named = tuple(
        i.id
        for i in interviews
        if i.id is not None
        and (
            mentions(question, i.company)
            or any(mentions(question, name) for name in people.get(i.id, []))
        )
    )
    if len(named) > 1:  # "the Mathsly final": the interview whose stage the question names
        staged = tuple(
            i.id
            for i in interviews
            if i.id in named and any(word in question.lower() for word in _stage_words(i.stage))
        )
        named = staged or named
    if len(named) == 1 and _KNEW.search(question):  # "What did I know about Orbit going in?"
        return Reading("knowledge", (), named)
    formats = [f for f, pattern in _FORMATS.items() if pattern.search(question)]
    if len(formats) == 1 and not named and not _SAID.search(question):
        return Reading("format", (), (), formats[0].value)
    if _REPORTED.search(question):  # "What did I say when Dana asked why I left?"
        return Reading("reported" if named and _SAID.search(question) else "open", (), named)
    if _TOPIC_WHEN.search(question) or (_TOPIC.search(question) and not _PATTERN.search(question)):
        return Reading("topic", (), named)
    causes = tuple(tag for tag, pattern in _CAUSE_PATTERNS.items() if pattern.search(question))
    if causes:
        return Reading("cause", causes, named)
    if _DOWN_TO.search(question):
        return Reading("topic", (), named)
    if _PATTERN.search(question) and (named or _BROAD_NOUN.search(question)):
        return Reading("pattern", (), named)
    return Reading("open", (), named)


def _stage_words(stage: str) -> list[str]:
    return [word for word in re.findall(r"[a-z]+", stage.lower()) if len(word) >= 4]


def in_scope(interview: Interview, filters: SearchFilters) -> bool:
    day = interview.held_at.date()
    return (
        (filters.interview_id is None or interview.id == filters.interview_id)
        and (not filters.company or interview.company == filters.company)
        and (filters.date_from is None or day >= filters.date_from)
        and (filters.date_to is None or day <= filters.date_to)
    )


@dataclass(frozen=True)
class CauseEvidence:
    """One interview's evidence for one cause: the user's words, each with the record it is in,
    and records that say it too without a quote of their own (the reflection beside a stumble)."""

    interview: Interview
    quotes: tuple[tuple[str, Record | None], ...]  # None: words that cite no record
    also: tuple[Record, ...] = ()
    reflection: Record | None = None  # the reflection that ticked the cause
    ticked: bool = True  # False: the user's words show the cause, but they did not tick it
    brief: int = 1  # how many quotes a short listing shows (the question, and what went wrong)


@dataclass(frozen=True)
class Diagnosis:
    """The causes across the interviews in scope, with the user's words for each."""

    interviews: tuple[Interview, ...]  # in scope and reflected on, oldest first
    # Per cause, the interviews that ticked it, then those whose words show it without the tick
    # ("barely knew them" under company knowledge); causes by frequency, then CAUSE_TAGS.
    by_cause: dict[str, list[CauseEvidence]]
    # Interviews with stumbles but no reflection yet: their stumbles, quoted.
    unreflected: tuple[CauseEvidence, ...] = ()
    # Per cause, what reflections that did not tick it say in its answer ("rapport was great").
    unticked: dict[str, list[CauseEvidence]] = field(default_factory=dict)
    # Per interview, the sentences that say something went well or better ("the gap went well
    # this time!"), quoted from its reflection.
    went_well: tuple[CauseEvidence, ...] = ()
    # Per interview, its cause questions the user said went fine: (cause, words, reflection).
    fine: dict[int, list[tuple[str, str, Record]]] = field(default_factory=dict)
    in_scope: int = 0  # every interview in scope, reflected on or not


def gather_diagnosis(
    history: HistoryService,
    filters: SearchFilters,
    only: Sequence[int] = (),
    *,
    detailed: bool = False,
) -> Diagnosis:
    """Count each cause across the reflections in scope, and pick the user's own words for it
    in each interview: the questions they stumbled on, else the reflection's answer. `detailed`
    adds what the user said to each stumble they are quoted on."""
    store = history.store
    interviews = [
        i for i in store.list_interviews() if in_scope(i, filters) and (not only or i.id in only)
    ]
    interviews.sort(key=lambda i: i.held_at)
    reflected: list[tuple[Interview, Reflection, list[Stumble]]] = []
    unreflected: list[CauseEvidence] = []
    for interview in interviews:
        assert interview.id is not None
        reflection = store.get_reflection(interview.id)
        stumbles = [s for s in store.list_stumbles(interview.id) if s.question.strip()]
        if reflection is not None:
            reflected.append((interview, reflection, stumbles))
        elif stumbles:
            # No reflection says what went wrong: what the user said is the only account of it.
            unreflected.append(
                CauseEvidence(interview, _stumble_quotes(interview, stumbles, said=True))
            )
    by_cause: dict[str, list[CauseEvidence]] = {}
    for tag in CAUSE_TAGS:
        found = [
            _evidence(tag, interview, reflection, stumbles, detailed)
            for interview, reflection, stumbles in reflected
            if tag in reflection.cause_tags
        ]
        if found:
            by_cause[tag] = found
    quoted = {
        (e.interview.id, words)
        for found in by_cause.values()
        for e in found
        for words, _ in e.quotes
    }
    for interview, reflection, stumbles in reflected:
        for evidence in forgotten(reflection, stumbles):
            unticked_one = _unticked_evidence(interview, reflection, evidence.words)
            words = unticked_one.quotes[0][0].removeprefix("you wrote “").rstrip("”")
            if any(i == interview.id and words in said for i, said in quoted):
                continue  # the same words already stand for a cause the user ticked
            by_cause.setdefault(evidence.tag, []).append(unticked_one)
    ordered = dict(
        sorted(by_cause.items(), key=lambda item: (-len(item[1]), CAUSE_TAGS.index(item[0])))
    )
    unticked: dict[str, list[CauseEvidence]] = {}
    for cause, field_name in CAUSE_FIELD.items():
        if field_name == "free_text":
            continue  # free text is about everything: it is no answer about one cause
        shown = {e.interview.id for e in ordered.get(cause, [])}
        said = [
            CauseEvidence(
                interview,
                ((f"you wrote “{quote_sentences(' '.join(sentences(text)[:2]), 160)}”", own),),
                reflection=own,
            )
            for interview, reflection, _ in reflected
            if cause not in reflection.cause_tags
            and interview.id not in shown
            and (text := str(getattr(reflection, field_name)).strip())
            and not _BARE_NO.fullmatch(text)
            and (own := _reflection_record(interview, reflection))
        ]
        if said:
            unticked[cause] = said
    well: list[CauseEvidence] = []
    fine: dict[int, list[tuple[str, str, Record]]] = {}
    for interview, reflection, stumbles in reflected:
        assert interview.id is not None
        own = _reflection_record(interview, reflection)
        good = [
            s for name in ANSWER_FIELDS for s in went_well(getattr(reflection, name), reason=True)
        ]
        quotes: tuple[tuple[str, Record | None], ...] = tuple(
            (f"“{quote_sentences(s, 170)}”", own) for s in good[:2]
        )
        # "told them about the drunk lad… went well i think, she smiled": a question answered well.
        quotes += tuple(
            (f"to “{quote(s.question)}” you said “{quote_sentences(s.what_i_said, 170)}”", record)
            for s in stumbles
            if went_well(s.what_i_said)
            and (record := _record("stumble", s.id, interview, stumble_lines(s), s.question))
        )
        if quotes:
            well.append(CauseEvidence(interview, quotes, ()))
        fine[interview.id] = [
            (_CAUSE_OF_FIELD[name], words, own)
            for name, words in answered_fine(reflection)
            if name != "unprepared_question"  # "no": not caught out, which is not "went well"
        ]
    return Diagnosis(
        tuple(i for i, _, _ in reflected),
        ordered,
        tuple(unreflected),
        unticked,
        tuple(well),
        fine,
        len(interviews),
    )


# "no", "nope!", "n/a": an answer that says only that this was no problem.
_BARE_NO = re.compile(r"\W*(?:no|nope|none|n/?a)\W*", re.IGNORECASE)
_CAUSE_OF_FIELD = {name: tag for tag, name in CAUSE_FIELD.items() if name != "free_text"}


def names_cause(text: str, tag: str) -> bool:
    """Whether the user's words name this cause ("forgot the agency year": work history)."""
    pattern = _CAUSE_PATTERNS.get(tag)
    return tag in sentence_causes(text) or bool(pattern and pattern.search(text))


def _reflection_record(interview: Interview, reflection: Reflection) -> Record:
    return _record("reflection", reflection.id, interview, reflection_lines(reflection))


def _unticked_evidence(interview: Interview, reflection: Reflection, words: str) -> CauseEvidence:
    own = _reflection_record(interview, reflection)
    return CauseEvidence(
        interview, ((f"you wrote “{quote(words)}”", own),), reflection=own, ticked=False
    )


def _stumble_quotes(
    interview: Interview, stumbles: Sequence[Stumble], lead: str = "", *, said: bool = False
) -> tuple[tuple[str, Record], ...]:
    return tuple(
        (
            f"{lead}“{quote(stumble.question)}”" + (_said(stumble) if said else ""),
            _record("stumble", stumble.id, interview, stumble_lines(stumble), stumble.question),
        )
        for stumble in stumbles
    )


def _said(stumble: Stumble) -> str:
    return f" (you said “{quote(stumble.what_i_said)}”)" if stumble.what_i_said.strip() else ""


def _evidence(
    tag: str,
    interview: Interview,
    reflection: Reflection,
    stumbles: Sequence[Stumble],
    detailed: bool = False,
) -> CauseEvidence:
    own = _reflection_record(interview, reflection)
    text = str(getattr(reflection, CAUSE_FIELD[tag]))
    if tag == "unprepared_question" and stumbles:
        asked = _stumble_quotes(interview, stumbles, said=detailed)
        # What went wrong, in the reflection's words ("I missed out the earthing completely"),
        # beside the question it is about; not when it only names the question again.
        told = quote(text) if text.strip() and not _BARE_NO.fullmatch(text) else ""
        asked_stems = set().union(*(content_stems(s.question) for s in stumbles))
        # Words beyond the question's own ("bluffed" beside "section 21 one"); "failure" is the
        # question's "failed" (a shared start), not a word of its own.
        beyond = {
            stem
            for stem in content_stems(told) - _GENERIC_STEMS - asked_stems
            if not any(stem[:4] == other[:4] for other in asked_stems)
        }
        if told and beyond:
            wrote = ((f"you wrote “{told}”", own),)
            # The question the words are about goes first ("the route 7 one" beside the route 7
            # question); when they are about none of them, the words go first.
            about = [len(content_stems(told) & _stems_of(s) - _GENERIC_STEMS) for s in stumbles]
            best = max(range(len(stumbles)), key=lambda n: about[n])
            if not about[best]:
                return CauseEvidence(interview, wrote + asked, (), own)
            asked = (asked[best], *asked[:best], *asked[best + 1 :])
            return CauseEvidence(interview, asked[:1] + wrote + asked[1:], (), own, brief=2)
        return CauseEvidence(interview, asked, (own,) if text else (), own)
    own_field = CAUSE_FIELD[tag] != "free_text" and bool(text.strip())
    if CAUSE_FIELD[tag] == "free_text":
        text = _free_text_about(tag, reflection)
    elif not text.strip():
        text = _said_elsewhere(tag, reflection)
    # The free text answers for logistics and "other": it is not another ticked cause's words.
    others = ({"logistics", "other"} | sentence_causes(reflection.free_text)) - {tag}
    if not text and not others & set(reflection.cause_tags):
        text = reflection.free_text
    # A stumble on this very subject ("Why the gap on your CV?" beside "the gap") is evidence
    # of the same cause; a stumble is the unprepared question's, unless it shares the words.
    related = [
        s
        for s in stumbles
        if _about(s.question, tag, text) or (not text and tag in sentence_causes(_said_in(s)))
    ]
    said: tuple[tuple[str, Record | None], ...] = (
        ((f"you wrote “{quote(text, goes_on=own_field)}”", own),) if text else ()
    )
    lead = "you stumbled on "
    stumbled = _stumble_quotes(interview, related, lead=lead, said=detailed or not text)
    if not said and not stumbled:
        said = (("ticked, with no words of yours about it", None),)
    return CauseEvidence(interview, said + stumbled, reflection=own)


def _stems_of(stumble: Stumble) -> set[str]:
    return content_stems(_said_in(stumble))


def _said_in(stumble: Stumble) -> str:
    return f"{stumble.question} {stumble.what_i_said}"


def _said_elsewhere(tag: str, reflection: Reflection) -> str:
    """The user's words for a ticked cause whose own answer is empty: a sentence elsewhere that
    names it ("why property lit, i said…" under work history, for the career story)."""
    for name in ANSWER_FIELDS:
        parts = sentences(getattr(reflection, name))
        for n, sentence in enumerate(parts):
            if tag in sentence_causes(sentence) and not went_well(sentence):
                return " ".join(parts[n:])
    return ""


def _free_text_about(tag: str, reflection: Reflection) -> str:
    """The free text's sentences about logistics, or about something else, when both are
    ticked: "the camera didn't work. I was shaking" is two causes, each with its own words."""
    said = sentences(reflection.free_text)
    if not {"logistics", "other"} <= set(reflection.cause_tags) or len(said) < 2:
        return reflection.free_text
    late = [
        s
        for s in said
        if "logistics" in sentence_causes(s) or _CAUSE_PATTERNS["logistics"].search(s)
    ]
    rest = [s for s in said if s not in late]
    chosen = late if tag == "logistics" else rest
    return " ".join(chosen) or reflection.free_text


def _about(question: str, tag: str, text: str) -> bool:
    pattern = _CAUSE_PATTERNS.get(tag)
    if pattern is not None and pattern.search(question) and tag != "unprepared_question":
        return True
    shared = content_stems(question) & content_stems(text) - _GENERIC_STEMS
    return bool(shared)


_QUOTE_CHARS = 110
_SUBJECT_ONLY = 7  # words: a shorter first sentence names a subject, not what happened
# "… what I want. and when he asked why leave I said I was bored": one thought the user's full
# stop split; the lower-case "and" carries it on.
_GOES_ON = re.compile(r"(?:and|which|so|then|plus)\b")


def quote(text: str, limit: int = _QUOTE_CHARS, *, goes_on: bool = False) -> str:
    """The user's words, trimmed to their first sentence and cut at a word if still long; a
    first sentence that only names the subject ("why product design after print", "the Anchor
    question") keeps the sentence after it, which says what happened, and so does one that
    `goes_on` in a lower-case "and…" (for an answer that is all about one thing). A line planted
    to instruct a model is never quoted."""
    text = " ".join(without_instructions(text)[0].split()).strip()
    if len(text) > 1 and text[0] in '“"' and text[-1] in '”"':
        text = text[1:-1].strip()
    parts = re.split(r"(?<=[.!?])\s+", text, maxsplit=2)
    first = parts[0]
    carried = goes_on and len(parts) > 1 and _GOES_ON.match(parts[1])
    if len(parts) > 1 and (len(first.split()) < _SUBJECT_ONLY or carried):
        first = f"{first} {parts[1]}"
        limit += _QUOTE_CHARS
    if len(first) <= limit:
        return first.rstrip(".")
    cut = first[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return f"{cut}…"


def _record(
    kind: str, record_id: int | None, interview: Interview, text: str, detail: str = ""
) -> Record:
    assert record_id is not None
    title = record_title(kind, interview, detail)
    citation = Citation(kind, record_id, interview.id, 0, len(text), title)
    return Record(Hit(text, 1.0, 0, citation), interview)


@dataclass(frozen=True)
class Knowledge:
    """What the user knew about one company going in: their reflection's answer and the first
    sentences of each piece of research they saved for the interview."""

    interview: Interview
    reflection: tuple[str, Record] | None
    research: tuple[tuple[str, str, Record], ...]  # (title, its first sentences, record)


def gather_knowledge(history: HistoryService, interview: Interview) -> Knowledge:
    assert interview.id is not None
    store = history.store
    reflection = store.get_reflection(interview.id)
    said = None
    if reflection is not None and reflection.company_knowledge.strip():
        said = (quote(reflection.company_knowledge, 200), _reflection_record(interview, reflection))
    research = []
    for item in store.list_research(interview.id)[:2]:
        text = without_instructions(item.text)[0]
        opening = " ".join(sentences(" ".join(text.split()))[:2])
        if not opening:
            continue
        record = _record(
            "research", item.id, interview, research_document(item, interview).text, item.title
        )
        research.append((item.title, quote_sentences(opening), record))
    return Knowledge(interview, said, tuple(research))


# "Was Dr Mehta's attitude down to me?", "Was the CTO just not interested in me?": how one
# interviewer came across, which the user's rapport answer and their notes on that person say.
_MANNER = re.compile(
    r"\b(?:attitude|manner|mood|interested|interest|like[sd]?\s+me|dislike[sd]?|rate[sd]?\s+me"
    r"|cold|rude|bored|warm|friendly|hostile|distant|distracted|impressed|annoyed|rapport"
    r"|get\s+on|got\s+on|click(?:ed)?|short\s+with\s+me|off\s+with\s+me|think\s+of\s+me)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Person:
    """What the user's records say of how one interviewer came across."""

    interview: Interview
    name: str
    said: tuple[tuple[str, Record], ...]  # (the user's words, the record they are in)


def named_person(
    history: HistoryService, question: str, interviews: Sequence[Interview]
) -> tuple[Interview, Interviewer] | None:
    """The one interviewer a question about someone's manner names, by name ("Dr Mehta") or by
    title ("the CTO"); None when it names no one, or several, or asks about something else."""
    if not _MANNER.search(question) or _SAID.search(question):
        return None
    found = []
    for interview in interviews:
        assert interview.id is not None
        for person in history.store.list_interviewers(interview.id):
            title = person.title.strip()
            by_title = bool(title) and re.search(
                rf"\bthe\s+{re.escape(title)}\b", question, re.IGNORECASE
            )
            if mentions(question, person.name) or by_title:
                found.append((interview, person))
    if len(found) > 1:  # "the CTO at Ember": the one at the company the question names
        found = [(i, p) for i, p in found if mentions(question, i.company)] or found
    return found[0] if len(found) == 1 else None


def gather_person(history: HistoryService, interview: Interview, person: Interviewer) -> Person:
    """The reflection's rapport answer whole, the user's other sentences that name the person,
    and their own notes on that person (how they came across, what the user took away)."""
    store = history.store
    said: list[tuple[str, Record]] = []
    reflection = store.get_reflection(interview.id) if interview.id is not None else None
    if reflection is not None:
        own = _reflection_record(interview, reflection)
        if reflection.rapport.strip():
            said.append((quote_sentences(reflection.rapport), own))
        said += [
            (quote_sentences(sentence, 200), own)
            for name in ANSWER_FIELDS
            if name != "rapport"
            for sentence in sentences(getattr(reflection, name))
            if mentions(sentence, person.name)
        ]
    notes = [person.rapport_notes, *person.takeaways]
    if any(n.strip() for n in notes):
        assert person.id is not None
        text = interviewer_document(person, interview).text
        record = _record("interviewer", person.id, interview, text, person.name)
        said += [(quote_sentences(n, 200), record) for n in notes if n.strip()]
    return Person(interview, person.name, tuple(said))


def quote_sentences(text: str, limit: int = 240) -> str:
    """Whole sentences up to about `limit` characters (cut at a word past it), without any line
    planted to instruct a model."""
    text = " ".join(without_instructions(text)[0].split())
    if len(text) <= limit:
        return text.rstrip(".")
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


@dataclass(frozen=True)
class Reported:
    """What the records hold on what the user said to one question: the stumble that records
    it and the reflection's sentences about it, or else the interviewer record that shows the
    question was asked (and nothing of the answer)."""

    stumble: Stumble | None = None
    stumble_record: Record | None = None
    reflection: tuple[tuple[str, Record], ...] = ()
    asked: tuple[str, str, Record] | None = None  # (who, the question, their record)


_SAID_WORDS = content_stems("say said answer answered reply tell told respond asked ask")


def gather_reported(
    history: HistoryService, question: str, interviews: Sequence[Interview], names: Sequence[str]
) -> Reported:
    """The stumble in these interviews whose question (or answer) shares the most words with
    the user's question beyond names, with the reflection's sentences about it; failing that,
    an interviewer who asked a question sharing those words."""
    wanted = _topic_stems(question, names) - _SAID_WORDS
    # "planning" in "what did I say about planning software?" asked of a Transport Planner names
    # the job, not the subject.
    roles = set().union(*(content_stems(i.role) for i in interviews)) if interviews else set()
    wanted = {w for w in wanted if not any(r.startswith(w) for r in roles)} or wanted
    if not wanted:
        return Reported()
    store = history.store
    best: tuple[int, Interview, Stumble] | None = None
    for interview in interviews:
        for stumble in store.list_stumbles(interview.id):
            shared = len(wanted & content_stems(f"{stumble.question} {stumble.what_i_said}"))
            if shared and (best is None or shared > best[0]):
                best = (shared, interview, stumble)
    if best is not None:
        _, interview, stumble = best
        record = _record("stumble", stumble.id, interview, stumble_lines(stumble), stumble.question)
        # The reflection's words about it share the question's subject or what was said
        # ("band 6 at the Royal since 2022"), not only the words of the user's question.
        about = content_stems(stumble.question) - _GENERIC_STEMS
        said = content_stems(stumble.what_i_said) - _GENERIC_STEMS - _SAID_WORDS
        return Reported(
            stumble, record, _reflection_about(history, interview, about | wanted, said - about)
        )
    for interview in interviews:
        assert interview.id is not None
        for person in store.list_interviewers(interview.id):
            for asked in person.questions:
                if wanted & content_stems(asked):
                    text = interviewer_document(person, interview).text
                    record = _record("interviewer", person.id, interview, text, person.name)
                    about = (content_stems(asked) - _GENERIC_STEMS) & wanted
                    return Reported(
                        reflection=_reflection_about(history, interview, about),
                        asked=(person.name, asked, record),
                    )
    return Reported()


def _reflection_about(
    history: HistoryService,
    interview: Interview,
    about: set[str],
    also: frozenset[str] | set[str] = frozenset(),
) -> tuple[tuple[str, Record], ...]:
    """The reflection's sentences that share the most of `about` (a word of `also`, what the
    user said, counts half), each with the sentence after it in the same answer ("I'd prepared
    the software one this time. did the free online routing course"): the answer goes on about
    what the sentence named."""
    reflection = history.store.get_reflection(interview.id) if interview.id is not None else None
    if reflection is None or not about:
        return ()
    own = _reflection_record(interview, reflection)
    found: list[tuple[int, str]] = []
    for name in ANSWER_FIELDS:
        parts = sentences(getattr(reflection, name))
        quoted_up_to = -1  # a sentence quoted as the one after is not quoted again
        for n, sentence in enumerate(parts):
            stems = content_stems(sentence)
            if n <= quoted_up_to or not stems & (about | also):
                continue
            score = 2 * len(stems & about) + len(stems & also)
            found.append((score, quote_sentences(" ".join(parts[n : n + 2]), 200)))
            quoted_up_to = n + 1
    best = max((shared for shared, _ in found), default=0)
    return tuple((said, own) for shared, said in found if shared == best)[:2]


def own_records(
    history: HistoryService, interviews: Sequence[Interview]
) -> list[tuple[Record, Reflection | Stumble]]:
    """Each interview's reflection and stumbles (the user's own words), oldest interview first,
    each with the record that cites it."""
    store = history.store
    owned: list[tuple[Record, Reflection | Stumble]] = []
    for interview in sorted(interviews, key=lambda i: i.held_at):
        assert interview.id is not None
        reflection = store.get_reflection(interview.id)
        if reflection is not None:
            owned.append((_reflection_record(interview, reflection), reflection))
        owned += [
            (_record("stumble", s.id, interview, stumble_lines(s), s.question), s)
            for s in store.list_stumbles(interview.id)
            if s.question.strip()
        ]
    return owned


def topic_quotes(
    question: str, owned: Sequence[tuple[Record, Reflection | Stumble]], names: Sequence[str]
) -> list[str]:
    """For each of the user's records (in order) that speaks of the question's subject, their
    words about it: a stumble whose question or answer names it, as 'you stumbled on “…” (you
    said “…”)'; a reflection's sentences that name it, as 'you wrote “…”'. One entry per
    record, "" for a record that does not."""
    groups = _topic_groups(question, names)

    def hits(text: str) -> int:  # how many of the subject's words (a synonym group counts once)
        stems = content_stems(text)
        return sum(1 for group in groups if group & stems)

    # "my checking qualification": when some record names two of its words, one is not enough
    # ("checking a prescription" is not about the qualification).
    best = max(
        (
            hits(f"{said.question} {said.what_i_said}")
            if isinstance(said, Stumble)
            else max((hits(t) for t in sentences(" ".join(_answers(said)))), default=0)
            for _record, said in owned
        ),
        default=0,
    )
    enough = min(best, 2)
    quotes: list[str] = []
    for _record_of, said in owned:
        if not groups or not enough:
            quotes.append("")
        elif isinstance(said, Stumble):
            named = hits(f"{said.question} {said.what_i_said}") >= enough
            quotes.append(f"you stumbled on “{quote(said.question)}”{_said(said)}" if named else "")
        else:
            found = [
                " ".join(parts[n:])  # a short "salary." keeps the sentence after it
                for name in ANSWER_FIELDS
                if (parts := sentences(getattr(said, name)))
                for n, sentence in enumerate(parts)
                if hits(sentence) >= enough
            ]
            quotes.append(" and ".join(f"you wrote “{quote(s)}”" for s in found[:2]))
    return quotes


def _answers(reflection: Reflection) -> list[str]:
    return [str(getattr(reflection, name)) for name in ANSWER_FIELDS]


def _topic_groups(question: str, names: Sequence[str]) -> list[set[str]]:
    """The subject's words, each a group of one, except a synonym group ("salary money wage")."""
    named = set().union(*(content_stems(name) for name in names)) if names else set()
    groups: list[set[str]] = []
    for pattern, words in _SUBJECTS:
        if pattern.search(question):
            question = pattern.sub(" ", question)
            groups.append(content_stems(words))
    plain = content_stems(question) - _GENERIC_STEMS - named
    return groups + [{stem} for stem in sorted(plain)]


def _topic_stems(question: str, names: Sequence[str]) -> set[str]:
    named = set().union(*(content_stems(name) for name in names)) if names else set()
    for pattern, words in _SUBJECTS:
        if pattern.search(question):
            question = f"{pattern.sub(' ', question)} {words}"
    return content_stems(question) - _GENERIC_STEMS - named


def closest_words(
    question: str, records: Sequence[Record], names: Sequence[str], limit: int = 3
) -> list[tuple[int, str]]:
    """The user's own sentences (reflections, stumbles, notes) that share a word with the
    question beyond its names ("nervous" in "Was I nervous at Meridian?"), as (index into
    `records`, sentence), at most `limit`: what an answer can quote when the model's was empty."""
    wanted = _topic_stems(question, names)
    found: list[tuple[int, str]] = []
    if not wanted:
        return found
    for n, record in enumerate(records):
        if record.kind not in ("reflection", "stumble", "interview"):
            continue
        for line in record.hit.text.splitlines():
            label, _, answer = line.rpartition(": ") if ": " in line else ("", "", line)
            if label.startswith("Question"):
                continue  # the interviewer's words, not the user's
            for sentence in sentences(answer):
                if content_stems(sentence) & wanted and len(found) < limit:
                    found.append((n, sentence))
    return found


def rank_passages(
    history: HistoryService,
    question: str,
    filters: SearchFilters,
    *,
    k: int,
    token_budget: int,
) -> list[Record]:
    """Passages for an open question: kind-aware, relevant, grouped by interview, readable."""
    hits = history.search(question, k=k * 3, filters=filters)
    scored = [(hit.score + _bonus(hit), hit) for hit in hits if _relevant(hit)]
    scored.sort(key=lambda pair: -pair[0])
    chosen: list[tuple[float, Hit]] = []
    used = 0
    for score, hit in scored:
        if len(chosen) == k:
            break
        if used + hit.tokens > token_budget:
            continue
        used += hit.tokens
        chosen.append((score, hit))
    interviews = {i.id: i for i in history.store.list_interviews()}
    best: dict[int | None, float] = {}
    for score, hit in chosen:
        key = hit.citation.interview_id
        best[key] = max(best.get(key, score), score)
    chosen.sort(key=lambda pair: (-best[pair[1].citation.interview_id], -pair[0]))
    records: list[Record] = []
    for _score, hit in chosen:
        interview = interviews.get(hit.citation.interview_id)
        title = retitled(history, hit, interview)
        records.append(
            Record(
                Hit(hit.text, hit.score, hit.tokens, _with_title(hit.citation, title)), interview
            )
        )
    return records


def _relevant(hit: Hit) -> bool:
    return hit.citation.kind in _ALWAYS_RELEVANT or hit.score >= MIN_RELEVANCE


def _bonus(hit: Hit) -> float:
    kind = hit.citation.kind
    if kind == "interviewer":
        lines = [line for line in hit.text.splitlines() if line.strip()]
        bare = all(_BARE_INTERVIEWER.match(line) for line in lines)
        return BARE_INTERVIEWER_BONUS if bare else INTERVIEWER_BONUS
    return KIND_BONUS.get(kind, 0.0)


def retitled(history: HistoryService, hit: Hit, interview: Interview | None) -> str:
    """A readable title for a passage, from the records (an older index may hold old titles)."""
    citation = hit.citation
    store = history.store
    try:
        if citation.kind == "stumble" and interview is not None:
            stumble = next(
                s for s in store.list_stumbles(interview.id) if s.id == citation.record_id
            )
            return record_title("stumble", interview, detail=stumble.question)
        if citation.kind == "interviewer" and interview is not None:
            person = next(
                p for p in store.list_interviewers(interview.id) if p.id == citation.record_id
            )
            return record_title("interviewer", interview, detail=person.name)
        if citation.kind == "research":
            research = store.get_research(citation.record_id)
            return record_title("research", interview, detail=research.title)
        if interview is not None:
            return record_title(citation.kind, interview)
    except Exception:  # a record deleted since the index was written: keep the stored title
        return citation.title
    return citation.title


def _with_title(citation: Citation, title: str) -> Citation:
    return Citation(
        citation.kind,
        citation.record_id,
        citation.interview_id,
        citation.start,
        citation.end,
        title,
    )


def short_day(day: date) -> str:
    return f"{day.day} {day.strftime('%b %Y')}"
