"""Rule-based checks on thank-you notes.

Per note: does it cite this interviewer's facts (coverage), another interviewer's (cross-talk),
anything the user never said (grounding), and does it fit the word limit (length). Per interview:
do the notes read as written for each person (distinctness).

Everything is deterministic and offline: regexes, a light stemmer, word frequencies from
`wordfreq` and a TF-IDF written with numpy.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from difflib import SequenceMatcher
from functools import lru_cache
from itertools import combinations, pairwise
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from wordfreq import zipf_frequency

from debrief.checks.types import CheckResult

# --------------------------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------------------------

FactKind = Literal["name", "title", "company", "role", "topic", "question", "clarification"]


@dataclass(frozen=True)
class PersonFacts:
    """One interviewer as the user described them."""

    name: str
    title: str = ""
    topics: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()


@dataclass(frozen=True)
class NoteInputs:
    """Everything the user told us that one interviewer's note may use."""

    company: str
    role: str
    interviewer: PersonFacts
    others: tuple[PersonFacts, ...] = ()  # the other interviewers of the same interview
    interview_date: date | None = None
    stage: str = ""
    fumbled_question: str = ""  # the question fumbled with THIS interviewer (may be empty)
    clarification: str = ""  # what they wish they had said (may be empty)
    candidate_name: str = ""
    context: str = ""  # other text the model was shown (research, notes): allowed for grounding
    max_words: int = 150
    takeaways: tuple[str, ...] = ()  # the candidate's own lines about this conversation
    must_mention: tuple[str, ...] = ()  # facts the note must cite; empty: topics + clarification


@dataclass(frozen=True)
class Fact:
    """One thing a note to this interviewer should reference."""

    kind: FactKind
    text: str


def note_facts(inputs: NoteInputs) -> list[Fact]:
    """This interviewer's facts: name, title, company, role, topics, questions, clarification."""
    person = inputs.interviewer
    facts = [
        Fact("name", person.name),
        Fact("title", person.title),
        Fact("company", inputs.company),
        Fact("role", inputs.role),
        *(Fact("topic", topic) for topic in person.topics),
        *(Fact("question", question) for question in person.questions),
        Fact("clarification", inputs.clarification),
    ]
    return [Fact(fact.kind, fact.text.strip()) for fact in facts if fact.text.strip()]


# --------------------------------------------------------------------------------------------
# Words: tokens, stopwords and a light stemmer
# --------------------------------------------------------------------------------------------


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_STOPWORDS = _word_set(
    """
    a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers him his how i if in into is it its itself just
    me more most my no nor not now of off on once only or other our ours out over own same she
    should so some such than that the their theirs them then there these they this those through
    to too under until up very was we were what when where which while who whom why will with
    would you your yours yourself us via per etc
    tell describe walk explain example time times approach think way thing things get got
    really much many lot
    """
)
# Words that do not identify a company ("Northwind Logistics Inc" is cited by "Northwind").
_COMPANY_SUFFIXES = _word_set("inc ltd llc corp corporation co plc gmbh ag sa group company")

_POSSESSIVE = re.compile(r"['\u2019]s\b", re.IGNORECASE)
_TOKEN = re.compile(r"[^\W_]+(?:[.,]\d+)*")

# (suffix, replacement), longest first; applied at most twice so "engineering" and "engineer"
# meet at "engin", "management" and "manager" at "manag".
_SUFFIX_RULES: tuple[tuple[str, str], ...] = (
    ("sses", "ss"),
    ("ies", "y"),
    ("ied", "y"),
    ("ments", ""),
    ("ment", ""),
    ("ions", ""),
    ("ion", ""),
    ("ings", ""),
    ("ing", ""),
    ("ers", ""),
    ("er", ""),
    ("ed", ""),
    ("es", ""),
    ("ly", ""),
    ("s", ""),
)
_MIN_STEM = 3
_VOWELS = frozenset("aeiouy")


def _tokens(text: str) -> list[str]:
    """Lowercase word and number tokens, possessives dropped, thousands separators removed."""
    cleaned = _POSSESSIVE.sub("", text.lower())
    return [token.replace(",", "") for token in _TOKEN.findall(cleaned)]


def _has_digit(token: str) -> bool:
    return any(char.isdigit() for char in token)


def _strip_suffix(word: str) -> str:
    for suffix, replacement in _SUFFIX_RULES:
        if not word.endswith(suffix):
            continue
        if suffix == "s" and word.endswith(("ss", "us", "is")):
            return word
        stem = word[: len(word) - len(suffix)] + replacement
        return stem if len(stem) >= _MIN_STEM else word
    return word


def _tidy(word: str) -> str:
    # "invoice"/"invoicing" and "split"/"splitting" only meet once a final "e" or a doubled
    # consonant goes.
    if len(word) > _MIN_STEM and word.endswith("e"):
        word = word[:-1]
    if len(word) > _MIN_STEM and word[-1] == word[-2] and word[-1] not in _VOWELS:
        word = word[:-1]
    return word


@lru_cache(maxsize=8192)
def _stem(word: str) -> str:
    """A deliberately crude stem: good enough to match plural, -ing, -ed and -ion forms."""
    if _has_digit(word) or not word.isalpha():
        return word  # numbers must match exactly
    for _ in range(2):
        word = _tidy(_strip_suffix(word))
    return word


def _content_words(text: str, extra_stopwords: frozenset[str] = frozenset()) -> dict[str, str]:
    """Stem -> first surface form, for the words that carry meaning, in order of appearance."""
    content: dict[str, str] = {}
    for token in _tokens(text):
        if token in _STOPWORDS or token in extra_stopwords:
            continue
        if len(token) < 2 and not token.isdigit():
            continue
        content.setdefault(_stem(token), token)
    return content


@dataclass(frozen=True)
class _Words:
    """The words of a text, as typed and as stems, for set lookups."""

    words: frozenset[str]
    stems: frozenset[str]

    @classmethod
    def of(cls, texts: Iterable[str]) -> _Words:
        tokens = [token for text in texts for token in _tokens(text)]
        return cls(frozenset(tokens), frozenset(_stem(token) for token in tokens))


# A fact of one or two content words must appear whole; a longer one when half its words do.
_LONG_FACT_SHARE = 0.5


def _needed(content_words: int) -> int:
    if content_words <= 2:
        return content_words
    return math.ceil(content_words * _LONG_FACT_SHARE)


def _clip(value: float) -> float:
    return min(1.0, max(0.0, value))


def _quote(text: str, limit: int = 60) -> str:
    return f"'{text}'" if len(text) <= limit else f"'{text[: limit - 1].rstrip()}…'"


def _join_words(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


# --------------------------------------------------------------------------------------------
# Coverage
# --------------------------------------------------------------------------------------------


def _match_fact(fact: Fact, note: _Words) -> tuple[bool, list[str]]:
    """Whether the note references the fact, and which of the fact's words it used."""
    if fact.kind == "name":
        # First name alone ("Dear Maria") or last name alone ("Ms. Chen") both cite the person.
        parts = [part for part in _tokens(fact.text) if len(part) > 1]
        matched = [part for part in parts if part in note.words]
        return bool(matched), matched
    extra = _COMPANY_SUFFIXES if fact.kind == "company" else frozenset()
    content = _content_words(fact.text, extra)
    if not content:  # only stopwords: every word must be there
        return all(token in note.words for token in _tokens(fact.text)), []
    matched = [surface for stem, surface in content.items() if stem in note.stems]
    if fact.kind == "company":
        # The first word is the brand; "Logistics" alone does not name Northwind Logistics.
        return next(iter(content)) in note.stems or len(matched) == len(content), matched
    numbers_present = all(stem in note.stems for stem in content if _has_digit(stem))
    return numbers_present and len(matched) >= _needed(len(content)), matched


def coverage(note: str, inputs: NoteInputs, *, threshold: float = 0.6) -> CheckResult:
    """Share of this interviewer's facts the note references (case/punctuation/stem tolerant)."""
    words = _Words.of([note])
    per_fact: list[dict[str, Any]] = []
    found: list[Fact] = []
    missing: list[Fact] = []
    for fact in note_facts(inputs):
        is_found, matched = _match_fact(fact, words)
        per_fact.append({"kind": fact.kind, "text": fact.text, "matched_words": matched})
        (found if is_found else missing).append(fact)
    total = len(found) + len(missing)
    score = len(found) / total if total else 1.0
    if missing:
        named = _join_words([f"the {fact.kind} {_quote(fact.text)}" for fact in missing])
        comment = f"The note cites {len(found)} of {total} facts; it does not mention {named}."
    else:
        comment = f"The note cites all {total} facts about {inputs.interviewer.name}."
    return CheckResult(
        key="coverage",
        score=score,
        passed=score >= threshold,
        comment=comment,
        evidence={
            "found": [fact.text for fact in found],
            "missing": [fact.text for fact in missing],
            "per_fact": per_fact,
        },
    )


# --------------------------------------------------------------------------------------------
# Cross-talk
# --------------------------------------------------------------------------------------------


def _own_stems(inputs: NoteInputs) -> frozenset[str]:
    """Stems this interviewer's note may use freely: their facts, the company, the role."""
    person = inputs.interviewer
    texts = [
        person.title,
        *person.topics,
        *person.questions,
        inputs.fumbled_question,
        inputs.clarification,
        inputs.company,
        inputs.role,
        inputs.stage,
    ]
    return frozenset(stem for text in texts for stem in _content_words(text))


def _name_leaks(note: str, inputs: NoteInputs) -> Iterator[dict[str, Any]]:
    own = {
        part
        for text in (inputs.interviewer.name, inputs.candidate_name, inputs.company)
        for part in _tokens(text)
    }
    for other in inputs.others:
        for part in re.findall(r"[^\W\d_][\w'\u2019-]*", other.name):
            if len(part) < 2 or part.lower() in own:
                continue
            # Case-sensitive: "Dev" is a person, "dev environment" is not.
            if re.search(rf"(?<![\w-]){re.escape(part)}(?![\w-])", note):
                yield {
                    "fact": other.name,
                    "owner": other.name,
                    "kind": "name",
                    "matched_words": [part],
                }
                break


# A reference to a topic is one phrase or clause, so its words sit close together; the same
# words scattered over three paragraphs ("customer" here, "invoice" there) are not a reference.
_LEAK_WINDOW = 12


def _topic_leak(text: str, own: frozenset[str], note_stems: Sequence[str]) -> list[str] | None:
    """The distinctive words of another person's topic the note used, if enough to count."""
    content = _content_words(text)
    distinctive = {stem: word for stem, word in content.items() if stem not in own}
    if not distinctive:
        return None
    # One stray shared word ("invoice" in a billing note) is not a leak: a leak needs half the
    # distinctive words and at least two words of the topic (or all of a one-word topic).
    needed = max(1, math.ceil(len(distinctive) * _LONG_FACT_SHARE))
    needed_overall = min(2, len(content))
    for start, stem in enumerate(note_stems):
        if stem not in content:
            continue
        window = set(note_stems[start : start + _LEAK_WINDOW])
        hits = [word for key, word in distinctive.items() if key in window]
        if len(hits) >= needed and len(window & content.keys()) >= needed_overall:
            return hits
    return None


def cross_talk(note: str, inputs: NoteInputs) -> CheckResult:
    """Facts that belong only to another interviewer of the same interview, cited in this note."""
    note_stems = [_stem(token) for token in _tokens(note)]
    own = _own_stems(inputs)
    leaked = list(_name_leaks(note, inputs))
    for other in inputs.others:
        facts = [("topic", topic) for topic in other.topics]
        facts += [("question", question) for question in other.questions]
        for kind, text in facts:
            hits = _topic_leak(text, own, note_stems)
            if hits is not None:
                leaked.append(
                    {"fact": text, "owner": other.name, "kind": kind, "matched_words": hits}
                )
    if leaked:
        named = _join_words([f"{_quote(item['fact'])} ({item['owner']})" for item in leaked])
        comment = f"The note mentions what belongs to another interviewer: {named}."
    else:
        comment = "The note mentions nothing that belongs only to another interviewer."
    return CheckResult(
        key="cross_talk",
        # 1, 1/2, 1/3…: each leak is a visible mistake, but more of them are worse.
        score=1.0 / (1 + len(leaked)),
        passed=not leaked,
        comment=comment,
        evidence={"leaked": leaked},
    )


# --------------------------------------------------------------------------------------------
# Lines: subject, greeting, sign-off, signature, body
# --------------------------------------------------------------------------------------------

LineRole = Literal["blank", "subject", "greeting", "signoff", "signature", "body"]

_SUBJECT = re.compile(r"^\s*subject\s*:", re.IGNORECASE)
_GREETING = re.compile(
    r"^\s*(?:dear|hi|hello|hey|greetings|good\s+(?:morning|afternoon|evening))\b", re.IGNORECASE
)
_GREETING_PREFIX = re.compile(
    r"^\s*(?:dear|hi|hello|hey)\s+[^,\n.!?]{1,40},\s*(?=\S)", re.IGNORECASE
)
_SIGN_OFF_PHRASE = (
    r"(?:best(?:\s+(?:regards|wishes))?|(?:kind|warm|warmest|many)\s+(?:regards|thanks)"
    r"|regards|sincerely(?:\s+yours)?|yours(?:\s+(?:sincerely|truly))?|warmly|cheers"
    r"|thanks(?:\s+(?:again|so\s+much))?|thank\s+you(?:\s+(?:again|so\s+much))?"
    r"|all\s+the\s+best|respectfully|gratefully|with\s+(?:gratitude|appreciation|thanks)"
    r"|talk\s+soon)"
)
_SIGN_OFF = re.compile(
    rf"^\s*{_SIGN_OFF_PHRASE}\s*(?:[,.!]\s*|,\s*[^\s,.!?][^,.!?]{{0,40}})?$", re.IGNORECASE
)
_PS = re.compile(r"^\s*p\.?\s*s\b", re.IGNORECASE)
_SHORT_LINE_WORDS = 6
_CLOSING_LINE_WORDS = 10


@dataclass(frozen=True)
class _Line:
    start: int
    end: int
    role: LineRole


def _word_count_of(text: str) -> int:
    return len([token for token in text.split() if any(char.isalnum() for char in token)])


def _is_greeting(line: str, first_content: bool) -> bool:
    words = _word_count_of(line)
    if _GREETING.match(line) and words <= _SHORT_LINE_WORDS:
        return True
    # A bare "Maria," opening the note.
    return first_content and words <= 3 and line.rstrip().endswith((",", ":"))


def _is_signature(line: str) -> bool:
    stripped = line.strip()
    short = _word_count_of(stripped) <= _SHORT_LINE_WORDS
    return short and not stripped.endswith((".", "!", "?")) and not _PS.match(stripped)


def _classify_lines(text: str) -> list[_Line]:
    """Split a note into lines with their role; offsets index into `text`."""
    lines: list[_Line] = []
    start = 0
    seen_content = seen_letter = seen_body = after_sign_off = False
    for raw in text.split("\n"):
        end = start + len(raw)
        role: LineRole = "body"
        if not raw.strip():
            role = "blank"
        elif not seen_content and _SUBJECT.match(raw):
            role = "subject"
        elif not seen_body and _is_greeting(raw, first_content=not seen_letter):
            role = "greeting"
        elif _SIGN_OFF.match(raw):
            role, after_sign_off = "signoff", True
        elif after_sign_off and _is_signature(raw):
            role = "signature"
        else:
            after_sign_off = False
        seen_content = seen_content or role != "blank"
        seen_letter = seen_letter or role not in ("blank", "subject")
        seen_body = seen_body or role == "body"
        lines.append(_Line(start, end, role))
        start = end + 1
    return _closing_line_as_sign_off(text, lines)


def _closing_line_as_sign_off(text: str, lines: list[_Line]) -> list[_Line]:
    """Treat "Thank you for your time and consideration," followed only by a signature as a
    sign-off too: a closing line ending in a comma that only a name follows."""
    content = [index for index, line in enumerate(lines) if line.role != "blank"]
    for position, index in enumerate(content):
        line_text = text[lines[index].start : lines[index].end].strip()
        if lines[index].role != "body" or not line_text.endswith(","):
            continue
        rest = content[position + 1 :]
        signature = all(
            _is_signature(text[lines[later].start : lines[later].end]) for later in rest
        )
        if rest and signature and _word_count_of(line_text) <= _CLOSING_LINE_WORDS:
            lines[index] = _Line(lines[index].start, lines[index].end, "signoff")
            for later in rest:
                lines[later] = _Line(lines[later].start, lines[later].end, "signature")
    return lines


def _body_text(text: str) -> str:
    """The note without subject, greeting, sign-off and signature lines."""
    kept = [
        _GREETING_PREFIX.sub("", text[line.start : line.end])
        for line in _classify_lines(text)
        if line.role == "body"
    ]
    return "\n".join(kept)


_SENTENCE_BREAK = re.compile(r"(?<=[.!?])[\"'”\u2019)\]]*\s+")
_ABBREVIATIONS = tuple(
    _word_set("mr. ms. mrs. mx. dr. prof. e.g. i.e. etc. vs. p.s. st. no. approx.")
)


def _split_sentences(text: str) -> list[str]:
    """Sentences of a text: at line breaks and at . ! ? followed by space, not after "Dr."."""
    sentences: list[str] = []
    for line in text.split("\n"):
        begin = 0
        for match in _SENTENCE_BREAK.finditer(line):
            before = line[begin : match.start()].lower()
            if before.endswith(_ABBREVIATIONS) or line[match.end() :][:1].islower():
                continue
            sentences.append(line[begin : match.start()].strip())
            begin = match.end()
        sentences.append(line[begin:].strip())
    return [sentence for sentence in sentences if sentence]


# --------------------------------------------------------------------------------------------
# Grounding
# --------------------------------------------------------------------------------------------

InventedKind = Literal["name", "title", "organisation", "number", "date"]

_MONTHS: dict[str, int] = {
    name: index
    for index, names in enumerate(
        (
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}  # fmt: skip
_WEEKDAYS: dict[str, int] = {
    name: index
    for index, names in enumerate(
        (
            ("monday", "mon"), ("tuesday", "tue", "tues"), ("wednesday", "wed"),
            ("thursday", "thu", "thur", "thurs"), ("friday", "fri"), ("saturday", "sat"),
            ("sunday", "sun"),
        )
    )
    for name in names
}  # fmt: skip


def _alternation(names: Iterable[str], *, capitalised: bool = True) -> str:
    forms = sorted(names, key=len, reverse=True)
    return "(?:" + "|".join(form.capitalize() if capitalised else form for form in forms) + ")"


_MON = _alternation(_MONTHS) + r"\.?"
_MON_NOT_MAY = _alternation(name for name in _MONTHS if name != "may") + r"\.?"
_WD = _alternation(_WEEKDAYS) + r"\.?"
_ORD = r"(?:st|nd|rd|th)?"
_DATE_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(
        rf"(?:(?P<wd>{_WD}),?\s+)?(?:the\s+)?\b(?P<mon>{_MON})\s+(?:the\s+)?(?P<day>\d{{1,2}})"
        rf"{_ORD}\b(?:,?\s+(?P<year>\d{{4}})\b)?"
    ),
    re.compile(
        rf"(?:(?P<wd>{_WD}),?\s+)?(?:the\s+)?\b(?P<day>\d{{1,2}}){_ORD}\s+(?:of\s+)?"
        rf"(?P<mon>{_MON})(?![\w])(?:,?\s+(?P<year>\d{{4}})\b)?"
    ),
    re.compile(r"\b(?P<year>\d{4})-(?P<iso_month>\d{1,2})-(?P<iso_day>\d{1,2})\b"),
    re.compile(
        r"(?<![\d/.])(?!24/7\b)(?P<num_a>\d{1,2})/(?P<num_b>\d{1,2})(?:/(?P<year>\d{2}|\d{4}))?"
        r"(?![\d/])"
    ),
    re.compile(r"(?<![\d.])(?P<num_a>\d{1,2})\.(?P<num_b>\d{1,2})\.(?P<year>\d{4})\b"),
    re.compile(rf"\b(?P<mon>{_MON_NOT_MAY})(?![\w])(?:,?\s+(?P<year>\d{{4}})\b)?"),
    # "May" is a month only where a month is expected; elsewhere it is the verb.
    re.compile(
        r"(?<=\b(?:[Ii]n|[Bb]y|[Oo]f) )(?P<mon>May)\b(?:,?\s+(?P<year>\d{4})\b)?"
        r"|(?<=\b[Ss]ince )(?P<mon2>May)\b|\b(?P<mon3>May)\s+(?P<year2>\d{4})\b"
    ),
)


@dataclass(frozen=True)
class _DateMention:
    start: int
    end: int
    # Each reading is (month, day); numeric dates like 11/10 have two.
    readings: tuple[tuple[int, int | None], ...]
    year: int | None
    weekday: int | None


def _group(match: re.Match[str], *names: str) -> str | None:
    groups = match.groupdict()
    return next((groups[name] for name in names if groups.get(name)), None)


def _readings(match: re.Match[str]) -> tuple[tuple[int, int | None], ...]:
    month_name = _group(match, "mon", "mon2", "mon3")
    day = _group(match, "day")
    if month_name is not None:
        month = _MONTHS[month_name.rstrip(".").lower()]
        return ((month, int(day) if day else None),)
    if match.groupdict().get("iso_month"):
        pairs = [(int(match["iso_month"]), int(match["iso_day"]))]
    else:
        first, second = int(match["num_a"]), int(match["num_b"])
        pairs = [(first, second), (second, first)]  # US or European order
    return tuple(dict.fromkeys((m, d) for m, d in pairs if 1 <= m <= 12 and 1 <= d <= 31))


def _date_mentions(text: str) -> list[_DateMention]:
    """Every date-like mention, longest patterns first, without overlaps."""
    mentions: list[_DateMention] = []
    taken: list[tuple[int, int]] = []
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if start == end or _overlaps(start, end, taken):
                continue
            readings = _readings(match)
            if not readings:
                continue
            year_text = _group(match, "year", "year2")
            year = int(year_text) if year_text else None
            if year is not None and year < 100:
                year += 2000
            weekday_text = _group(match, "wd")
            weekday = _WEEKDAYS[weekday_text.rstrip(".").lower()] if weekday_text else None
            mentions.append(_DateMention(start, end, readings, year, weekday))
            taken.append((start, end))
    return sorted(mentions, key=lambda mention: mention.start)


_NUMBER_WORD_VALUES: dict[str, int] = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "hundred": 100, "thousand": 1000, "dozen": 12, "one": 1,
}  # fmt: skip
_MULTIPLIERS = {"k": 1e3, "m": 1e6, "bn": 1e9, "thousand": 1e3, "million": 1e6, "billion": 1e9}
_UNITS = (
    r"(?:years?|months?|weeks?|days?|hours?|minutes?|quarters?|sprints?|people|persons?"
    r"|engineers?|developers?|members?|customers?|clients?|teams?|services?|times|percent"
    r"|million|billion|thousand|hundred)"
)
_HYPHEN_UNITS = r"(?:person|year|month|week|day|hour|minute|member|engineer|people|step)"
_DIGIT_NUMBER = re.compile(
    r"(?<![\w.,/])(?P<currency>[$€£])?(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<frac>\d+))?"
    r"(?:(?:st|nd|rd|th)\b|(?P<mult>[kKmM]|bn)\b)?(?:\s?%)?"
    rf"(?:-[A-Za-z]+|\s+(?P<unit>{_UNITS})\b)?"
)
_WORD_NUMBER_ALTERNATION = _alternation(
    (word for word in _NUMBER_WORD_VALUES if word != "one"), capitalised=False
)
# A number word counts only with a unit ("six months", "five-person"): "two ideas" is a manner
# of speaking more often than a claim.
_WORD_NUMBER = re.compile(
    rf"\b(?P<words>{_WORD_NUMBER_ALTERNATION}(?:-{_WORD_NUMBER_ALTERNATION})?)"
    rf"(?:-{_HYPHEN_UNITS}|\s+(?P<unit>{_UNITS}))\b",
    re.IGNORECASE,
)
_ANY_WORD_NUMBER = re.compile(rf"\b{_alternation(_NUMBER_WORD_VALUES, capitalised=False)}\b")


# "(555) 123-4567" or "+44 20 7946 0958": one claim, not three numbers.
_PHONE = re.compile(
    r"(?<![\w+])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)|\d{2,4})(?:[\s.-]?\d{2,4}){2,3}(?!\w)"
)
_PHONE_DIGITS = 7


@dataclass(frozen=True)
class _NumberMention:
    start: int
    end: int
    value: float
    is_year: bool


def _scaled(value: float, multiplier: str | None) -> float:
    return value * _MULTIPLIERS.get((multiplier or "").lower(), 1.0)


def _number_mentions(text: str) -> Iterator[_NumberMention]:
    for match in _DIGIT_NUMBER.finditer(text):
        whole = match["int"].replace(",", "")
        value = float(f"{whole}.{match['frac']}" if match["frac"] else whole)
        value = _scaled(value, match["mult"] or match["unit"])
        is_year = match["frac"] is None and len(whole) == 4 and whole.startswith(("19", "20"))
        yield _NumberMention(match.start(), match.end(), value, is_year)
    for match in _WORD_NUMBER.finditer(text):
        parts = match["words"].lower().split("-")
        value = float(sum(_NUMBER_WORD_VALUES[part] for part in parts))
        yield _NumberMention(match.start(), match.end(), _scaled(value, match["unit"]), False)


@dataclass(frozen=True)
class _Haystack:
    """Everything the user gave us, indexed for the grounding look-ups."""

    words: _Words
    numbers: frozenset[float]
    dates: frozenset[tuple[int, int]]
    months: frozenset[int]
    years: frozenset[int]
    weekdays: frozenset[int]
    phones: frozenset[str]  # digits only


def _input_texts(inputs: NoteInputs) -> list[str]:
    people = (inputs.interviewer, *inputs.others)
    texts = [inputs.company, inputs.role, inputs.stage, inputs.fumbled_question]
    texts += [inputs.clarification, inputs.candidate_name, inputs.context, *inputs.takeaways]
    for person in people:
        texts += [person.name, person.title, *person.topics, *person.questions]
    return [text for text in texts if text]


def _haystack_numbers(texts: Sequence[str]) -> set[float]:
    numbers: set[float] = set()
    for text in texts:
        for mention in _number_mentions(text):
            numbers.add(round(mention.value, 6))
        for match in _DIGIT_NUMBER.finditer(text):
            numbers.add(float(match["int"].replace(",", "")))  # "5" for "$5k" as well
        for word in _ANY_WORD_NUMBER.findall(text.lower()):
            numbers.add(float(_NUMBER_WORD_VALUES[word]))
    return numbers


def _build_haystack(inputs: NoteInputs) -> _Haystack:
    texts = _input_texts(inputs)
    numbers = _haystack_numbers(texts)
    dates: set[tuple[int, int]] = set()
    months: set[int] = set()
    years: set[int] = set()
    weekdays = {_WEEKDAYS[word] for text in texts for word in _tokens(text) if word in _WEEKDAYS}
    for text in texts:
        for mention in _date_mentions(text):
            months.update(month for month, _ in mention.readings)
            dates.update((m, d) for m, d in mention.readings if d is not None)
            years.update([mention.year] if mention.year else [])
            weekdays.update([mention.weekday] if mention.weekday is not None else [])
    day = inputs.interview_date
    if day is not None:
        dates.add((day.month, day.day))
        months.add(day.month)
        years.add(day.year)
        weekdays.add(day.weekday())
        numbers.update(float(part) for part in (day.day, day.month, day.year))
    years.update(int(number) for number in numbers if number.is_integer() and number > 1900)
    return _Haystack(
        _Words.of(texts),
        frozenset(round(number, 6) for number in numbers),
        frozenset(dates),
        frozenset(months),
        frozenset(years),
        frozenset(weekdays),
        frozenset(_phone_digits(texts)),
    )


def _phone_digits(texts: Iterable[str]) -> Iterator[str]:
    for text in texts:
        for match in _PHONE.finditer(text):
            yield re.sub(r"\D", "", match.group())


def _date_grounded(mention: _DateMention, haystack: _Haystack) -> bool:
    if mention.year is not None and mention.year not in haystack.years:
        return False
    if mention.weekday is not None and mention.weekday not in haystack.weekdays:
        return False
    for month, day in mention.readings:
        if day is None and month in haystack.months:
            return True
        if day is not None and (month, day) in haystack.dates:
            return True
    return False


# Capitalised words that are never facts: the pronoun, email boilerplate, honorifics.
_IGNORED_CAPITALISED = _word_set(
    """
    i dear hi hello hey greetings best regards sincerely thank thanks warm warmest warmly kind
    many cheers yours respectfully gratefully subject re fwd ps p.s ok okay mr ms mrs mx dr prof
    am pm all with talk soon good morning afternoon evening
    """
)
# Joiners inside one proper noun ("VP of Engineering", "Procter & Gamble"); "and" is left out so
# "Maria and Dev" are two names.
_CONNECTORS = _word_set("of for the & de da del van von der du la le")
_TITLE_WORDS = _word_set(
    """
    vp svp evp cto ceo cfo coo cpo ciso cio director head chief president vice manager lead
    principal staff senior founder cofounder co-founder officer recruiter architect engineer
    partner
    """
)
_ORGANISATION_WORDS = _word_set(
    """
    inc ltd llc corp corporation co plc gmbh labs technologies systems group bank university
    capital partners ventures logistics consulting solutions software
    """
)
_LOWERCASE_TITLE = re.compile(
    r"\b(?:(?:vice[- ]president|vp|director|head|chief\s+[a-z]+\s+officer)\s+of\s+[a-z]+"
    r"|vice[- ]president|director|chief\s+[a-z]+\s+officer|co-?founder)\b"
)
_PLACEHOLDER = re.compile(r"\[[^\]\n]{1,80}\]|\{[^}\n]{1,80}\}|<[^>\n]{1,80}>")
_WORD_TOKEN = re.compile(r"[^\W\d_](?:\w|['\u2019\-](?=\w))*")
_HONORIFIC_BEFORE = re.compile(r"\b(?:Mr|Ms|Mrs|Mx|Dr|Prof)\.\s*$")
_LINE_PREFIX = re.compile(r"^[\s\-*•>\d.)(\"“']*$")
# Where a capitalised word stands: mid-sentence its capital marks a proper noun; at a sentence
# start (or anywhere in a Title Case subject) it may not; in a greeting or signature it usually
# marks a name, but "Dear Hiring Team" exists too.
Position = Literal["mid_sentence", "sentence_start", "name_slot"]

# A word whose capital might be positional is a candidate if it is rare in English, or about as
# common in other European languages as in English: given names are ("jennifer", "alex"),
# "Looking", "During", "Hiring" are not. Very common words (zipf >= 4.7) at a sentence start are
# taken as ordinary words, which lets "David" or "John" through there.
_RARE_ZIPF = 3.5
_NAME_MAX_ZIPF = 4.7
_NAME_LANGUAGE_GAP = 0.5
_OTHER_LANGUAGES = ("de", "fr", "es")
# Loanwords as common in German or French as in English, never a person in a note.
_NEVER_NAMES = _word_set(
    "feedback chat team interview call meeting video manager panel talent acquisition everyone"
)


@lru_cache(maxsize=4096)
def _could_be_proper_noun(word: str, position: Position) -> bool:
    """For a capitalised word whose capital might not mark a proper noun."""
    if word in _STOPWORDS or word in _NEVER_NAMES:
        return False
    english = float(zipf_frequency(word, "en"))
    if english < _RARE_ZIPF:
        return True
    if english >= _NAME_MAX_ZIPF and position == "sentence_start":
        return False
    elsewhere = max(float(zipf_frequency(word, language)) for language in _OTHER_LANGUAGES)
    return english - elsewhere < _NAME_LANGUAGE_GAP


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    text: str

    @property
    def base(self) -> str:
        """Lowercase, possessive dropped, and only the part before an apostrophe ("I'm")."""
        return re.split(r"['\u2019]", _POSSESSIVE.sub("", self.text).lower())[0]


def _at_sentence_start(text: str, token: _Token, line: _Line) -> bool:
    before = text[line.start : token.start]
    if _LINE_PREFIX.match(before):
        return True
    if _HONORIFIC_BEFORE.search(before):
        return False
    return before.rstrip().rstrip("\"“'(").endswith((".", "!", "?", ":"))


def _capitalised_phrases(text: str, tokens: Sequence[_Token]) -> Iterator[list[_Token]]:
    """Runs of capitalised tokens on one line, joined by single spaces or connector words."""
    index = 0
    while index < len(tokens):
        if not tokens[index].text[0].isupper():
            index += 1
            continue
        phrase = [tokens[index]]
        index += 1
        while index < len(tokens) and text[phrase[-1].end : tokens[index].start].strip(" ") == "":
            nxt = tokens[index]
            if nxt.text[0].isupper():
                phrase.append(nxt)
                index += 1
            elif nxt.text.lower() in _CONNECTORS and index + 1 < len(tokens):
                after = tokens[index + 1]
                gap = text[nxt.end : after.start].strip(" ")
                if gap or not after.text[0].isupper():
                    break
                phrase += [nxt, after]
                index += 2
            else:
                break
        yield phrase


def _kept(token: _Token, position: Position) -> bool:
    base = token.base
    if base in _IGNORED_CAPITALISED or base in _MONTHS or base in _WEEKDAYS:
        return False
    if len(base) < 2:
        return False  # "P.S.", "Plan B": single letters name nothing
    if position == "mid_sentence" or (len(token.text) > 1 and token.text.isupper()):
        return True  # an acronym is deliberate wherever it stands
    return _could_be_proper_noun(base, position)


def _candidate_runs(phrase: list[_Token], positions: Sequence[Position]) -> Iterator[list[_Token]]:
    """Split a phrase into runs of tokens that may be facts, dropping boilerplate words."""
    run: list[_Token] = []
    pending: list[_Token] = []  # connectors seen since the last kept token
    for token, position in zip(phrase, positions, strict=True):
        if token.text.lower() in _CONNECTORS and not token.text[0].isupper():
            pending.append(token)
            continue
        if _kept(token, position):
            run += [*pending, token] if run else [token]
        elif run:
            yield run
            run = []
        pending = []
    if run:
        yield run


def _token_grounded(token: _Token, haystack: _Haystack) -> bool:
    core = _POSSESSIVE.sub("", token.text)
    # Only the capitalised parts of "Kafka-based" or "Co-Founder" carry the claim.
    parts = [part for part in re.split(r"-", core) if part[:1].isupper()] or [core]
    return all(
        part.lower() in haystack.words.words or _stem(part.lower()) in haystack.words.stems
        for part in parts
    )


def _phrase_kind(run: Sequence[_Token]) -> InventedKind:
    bases = [token.base for token in run]
    if any(base in _TITLE_WORDS for base in bases):
        return "title"
    if bases[-1] in _ORGANISATION_WORDS or any(
        len(token.text) > 1 and token.text.isupper() for token in run
    ):
        return "organisation"
    return "name"


def _positions(text: str, phrase: Sequence[_Token], line: _Line) -> list[Position]:
    if line.role == "subject":
        return ["sentence_start"] * len(phrase)
    if line.role != "body":
        return ["name_slot"] * len(phrase)
    rest: list[Position] = ["mid_sentence"] * (len(phrase) - 1)
    first: Position = (
        "sentence_start" if _at_sentence_start(text, phrase[0], line) else "mid_sentence"
    )
    return [first, *rest]


def _line_of(lines: Sequence[_Line], position: int) -> _Line:
    return next(line for line in lines if line.start <= position <= line.end)


@dataclass(frozen=True)
class _Invented:
    start: int
    end: int
    kind: InventedKind


def _word_candidates(
    masked: str, lines: Sequence[_Line], taken: Sequence[tuple[int, int]], haystack: _Haystack
) -> Iterator[tuple[_Invented, bool]]:
    """Capitalised phrases: (candidate, grounded)."""
    tokens = [
        _Token(match.start(), match.end(), match.group())
        for match in _WORD_TOKEN.finditer(masked)
        if not any(a <= match.start() < b for a, b in taken)
    ]
    for phrase in _capitalised_phrases(masked, tokens):
        line = _line_of(lines, phrase[0].start)
        for run in _candidate_runs(phrase, _positions(masked, phrase, line)):
            capitalised = [token for token in run if token.text[0].isupper()]
            grounded = all(_token_grounded(token, haystack) for token in capitalised)
            yield _Invented(run[0].start, run[-1].end, _phrase_kind(run)), grounded


def _title_candidates(
    masked: str, taken: Sequence[tuple[int, int]], haystack: _Haystack
) -> Iterator[tuple[_Invented, bool]]:
    """Lowercase job titles ("the director of engineering") the capitalised scan misses."""
    for match in _LOWERCASE_TITLE.finditer(masked):
        if any(match.start() < b and a < match.end() for a, b in taken):
            continue
        words = [word for word in _tokens(match.group()) if word not in _STOPWORDS]
        grounded = all(
            word in haystack.words.words or _stem(word) in haystack.words.stems for word in words
        )
        yield _Invented(match.start(), match.end(), "title"), grounded


def _overlaps(start: int, end: int, taken: Sequence[tuple[int, int]]) -> bool:
    return any(start < b and a < end for a, b in taken)


def _mention_candidates(
    masked: str, haystack: _Haystack, taken: list[tuple[int, int]]
) -> Iterator[tuple[_Invented, bool]]:
    """Dates, then phone numbers, then other numbers; each claims its span in `taken`."""
    for date_mention in _date_mentions(masked):
        taken.append((date_mention.start, date_mention.end))
        grounded = _date_grounded(date_mention, haystack)
        yield _Invented(date_mention.start, date_mention.end, "date"), grounded
    for phone in _PHONE.finditer(masked):
        digits = re.sub(r"\D", "", phone.group())
        if _overlaps(*phone.span(), taken) or len(digits) < _PHONE_DIGITS:
            continue
        taken.append(phone.span())
        yield _Invented(*phone.span(), "number"), digits in haystack.phones
    for number in _number_mentions(masked):
        if _overlaps(number.start, number.end, taken):
            continue
        taken.append((number.start, number.end))
        kind: InventedKind = "date" if number.is_year else "number"
        grounded = round(number.value, 6) in haystack.numbers
        yield _Invented(number.start, number.end, kind), grounded


def _grounding_candidates(note: str, haystack: _Haystack) -> Iterator[tuple[_Invented, bool]]:
    masked = _PLACEHOLDER.sub(lambda match: " " * len(match.group()), note)
    taken: list[tuple[int, int]] = []
    yield from _mention_candidates(masked, haystack, taken)
    word_candidates = list(_word_candidates(masked, _classify_lines(masked), taken, haystack))
    yield from word_candidates
    taken += [(candidate.start, candidate.end) for candidate, _ in word_candidates]
    yield from _title_candidates(masked, taken, haystack)


def grounding(note: str, inputs: NoteInputs) -> CheckResult:
    """Names, numbers, dates, titles and organisations in the note that the user never gave us."""
    haystack = _build_haystack(inputs)
    candidates = sorted(_grounding_candidates(note, haystack), key=lambda item: item[0].start)
    invented: list[dict[str, Any]] = [
        {
            "text": note[item.start : item.end],
            "kind": item.kind,
            "start": item.start,
            "end": item.end,
        }
        for item, grounded in candidates
        if not grounded
    ]
    checked = len(candidates)
    if invented:
        named = _join_words([_quote(item["text"]) for item in invented])
        comment = f"The note states things you never mentioned: {named}."
    else:
        comment = "Every name, number and date in the note comes from what you wrote."
    return CheckResult(
        key="grounding",
        # Share of checked mentions that are grounded; any invention still fails the check.
        score=(checked - len(invented)) / checked if checked else 1.0,
        passed=not invented,
        comment=comment,
        evidence={"invented": invented, "checked": checked},
    )


# --------------------------------------------------------------------------------------------
# Length
# --------------------------------------------------------------------------------------------


def _without_subject(note: str) -> str:
    stripped = note.lstrip()
    if _SUBJECT.match(stripped):
        return stripped.split("\n", 1)[1] if "\n" in stripped else ""
    return note


def length(note: str, max_words: int) -> CheckResult:
    """Word count of the note (a leading "Subject:" line excluded) against the limit."""
    words = _word_count_of(_without_subject(note))
    passed = words <= max_words
    if passed:
        comment = f"The note has {words} words, within the {max_words}-word limit."
    else:
        comment = f"The note has {words} words; cut {words - max_words} to fit {max_words}."
    return CheckResult(
        key="length",
        score=1.0 if passed else max_words / words,
        passed=passed,
        comment=comment,
        evidence={"words": words, "max_words": max_words},
    )


def check_note(note: str, inputs: NoteInputs) -> list[CheckResult]:
    """The per-note rule checks, in display order: coverage, cross-talk, grounding, length."""
    return [
        coverage(note, inputs),
        cross_talk(note, inputs),
        grounding(note, inputs),
        length(note, inputs.max_words),
    ]


# --------------------------------------------------------------------------------------------
# Distinctness
# --------------------------------------------------------------------------------------------

_NAME_PLACEHOLDER = "interviewername"
_DISTINCT_TOKEN = re.compile(r"[a-z0-9]+(?:['\u2019][a-z]+)?")
_SHINGLE = 5
# Sentences this short ("Thanks again.") are too formulaic to be noticed as copied.
_MIN_SHARED_TOKENS = 4
_SHARED_SENTENCE_RATIO = 0.8


def _name_pattern(keys: Iterable[str]) -> re.Pattern[str] | None:
    names = tuple(keys)
    parts = {name.strip() for name in names if name.strip()}
    parts |= {part for name in names for part in name.split() if len(part) > 1}
    if not parts:
        return None
    alternation = "|".join(re.escape(part) for part in sorted(parts, key=len, reverse=True))
    return re.compile(rf"(?<![\w])(?:{alternation})(?![\w])", re.IGNORECASE)


def _normalised_tokens(text: str, names: re.Pattern[str] | None) -> list[str]:
    """Lowercase tokens with every interviewer's name replaced by one placeholder."""
    if names is not None:
        text = names.sub(_NAME_PLACEHOLDER, text)
    return _DISTINCT_TOKEN.findall(text.lower())


def _jaccard(a: set[tuple[str, ...]], b: set[tuple[str, ...]]) -> float:
    union = a | b
    return len(a & b) / len(union) if union else 0.0


def _shingles(tokens: Sequence[str]) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + _SHINGLE]) for i in range(len(tokens) - _SHINGLE + 1)}


def _tfidf_cosines(documents: Sequence[Sequence[str]]) -> npt.NDArray[np.float64]:
    """Pairwise cosine of TF-IDF vectors (unigrams + bigrams, sublinear tf, smoothed idf)."""
    terms = [[*tokens, *(f"{a} {b}" for a, b in pairwise(tokens))] for tokens in documents]
    vocabulary = {term: i for i, term in enumerate(sorted({t for doc in terms for t in doc}))}
    counts = np.zeros((len(documents), max(1, len(vocabulary))))
    for row, doc in enumerate(terms):
        for term in doc:
            counts[row, vocabulary[term]] += 1
    tf = np.where(counts > 0, 1.0 + np.log(np.maximum(counts, 1.0)), 0.0)
    document_frequency = (counts > 0).sum(axis=0)
    idf = np.log((1.0 + len(documents)) / (1.0 + document_frequency)) + 1.0
    weights = tf * idf
    norms = np.linalg.norm(weights, axis=1, keepdims=True)
    unit = np.divide(weights, norms, out=np.zeros_like(weights), where=norms > 0)
    cosines: npt.NDArray[np.float64] = unit @ unit.T
    return cosines


def _shared_sentences(
    a: Sequence[tuple[str, list[str]]], b: Sequence[tuple[str, list[str]]]
) -> list[dict[str, Any]]:
    shared: list[dict[str, Any]] = []
    for text_a, tokens_a in a:
        for text_b, tokens_b in b:
            if min(len(tokens_a), len(tokens_b)) < _MIN_SHARED_TOKENS:
                continue
            ratio = SequenceMatcher(None, tokens_a, tokens_b, autojunk=False).ratio()
            if ratio >= _SHARED_SENTENCE_RATIO:
                shared.append({"a": text_a, "b": text_b, "similarity": round(ratio, 3)})
    return shared


def distinctness(
    notes: Mapping[str, str], *, max_jaccard: float = 0.2, max_cosine: float = 0.6
) -> CheckResult:
    """Whether the notes of one interview read as written for each person.

    For every pair: word 5-gram Jaccard, TF-IDF cosine and near-verbatim shared sentences, all
    on the bodies (subject, greeting, sign-off and signature lines removed) with every
    interviewer's name replaced by one placeholder. A pair's ratio is
    max(jaccard / max_jaccard, cosine / max_cosine, 1 if it shares a sentence else 0);
    score = 1 - the worst pair's ratio, clipped to 0..1. Passed when every ratio is under 1.
    """
    if len(notes) < 2:
        return CheckResult(
            key="distinctness",
            score=1.0,
            passed=True,
            comment="There is only one note, so there is nothing to compare.",
            evidence={"pairs": []},
        )
    names = _name_pattern(notes)
    keys = list(notes)
    bodies = {key: _body_text(notes[key]) for key in keys}
    tokens = {key: _normalised_tokens(bodies[key], names) for key in keys}
    sentences = {
        key: [(s, _normalised_tokens(s, names)) for s in _split_sentences(bodies[key])]
        for key in keys
    }
    cosines = _tfidf_cosines([tokens[key] for key in keys])
    pairs: list[dict[str, Any]] = []
    for (i, a), (j, b) in combinations(enumerate(keys), 2):
        pairs.append(
            {
                "a": a,
                "b": b,
                "jaccard": round(_jaccard(_shingles(tokens[a]), _shingles(tokens[b])), 3),
                "cosine": round(float(cosines[i, j]), 3),
                "shared_sentences": _shared_sentences(sentences[a], sentences[b]),
            }
        )
    return _distinctness_result(pairs, max_jaccard, max_cosine)


def _pair_ratio(pair: Mapping[str, Any], max_jaccard: float, max_cosine: float) -> float:
    shared = 1.0 if pair["shared_sentences"] else 0.0
    return max(float(pair["jaccard"]) / max_jaccard, float(pair["cosine"]) / max_cosine, shared)


def _distinctness_result(
    pairs: list[dict[str, Any]], max_jaccard: float, max_cosine: float
) -> CheckResult:
    worst = max(pairs, key=lambda pair: _pair_ratio(pair, max_jaccard, max_cosine))
    ratio = _pair_ratio(worst, max_jaccard, max_cosine)
    passed = ratio < 1.0
    measures = f"5-gram overlap {worst['jaccard']:.2f}, TF-IDF cosine {worst['cosine']:.2f}"
    if passed:
        comment = f"Each note reads as its own (closest pair: {measures})."
    elif worst["shared_sentences"]:
        sentence = worst["shared_sentences"][0]["a"]
        comment = (
            f"The notes to {worst['a']} and {worst['b']} share the sentence {_quote(sentence)}"
            f" ({measures})."
        )
    else:
        comment = f"The notes to {worst['a']} and {worst['b']} read alike ({measures})."
    return CheckResult(
        key="distinctness",
        score=_clip(1.0 - ratio),
        passed=passed,
        comment=comment,
        evidence={"pairs": pairs, "max_jaccard": max_jaccard, "max_cosine": max_cosine},
    )
