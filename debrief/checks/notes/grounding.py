"""Grounding: names, numbers, dates, titles and organisations in a note that appear nowhere in
what the user gave (invented facts)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from wordfreq import zipf_frequency

from debrief.checks.notes.inputs import NoteInputs
from debrief.checks.text import (
    POSSESSIVE,
    STOPWORDS,
    LineSpan,
    Words,
    classify_lines,
    join_words,
    quote,
    stem,
    word_set,
    words,
)
from debrief.checks.types import CheckResult, GroundingEvidence, InventedMention
from debrief.honorifics import TITLE_PATTERN

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

    words: Words
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
    weekdays = {_WEEKDAYS[word] for text in texts for word in words(text) if word in _WEEKDAYS}
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
        Words.of(texts),
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
_IGNORED_CAPITALISED = word_set(
    """
    i dear hi hello hey greetings best regards sincerely thank thanks warm warmest warmly kind
    many cheers yours respectfully gratefully subject re fwd ps p.s ok okay mr ms mrs mx dr prof
    am pm all with talk soon good morning afternoon evening
    """
)
# Joiners inside one proper noun ("VP of Engineering", "Procter & Gamble"); "and" is left out so
# "Maria and Dev" are two names.
_CONNECTORS = word_set("of for the & de da del van von der du la le")
_TITLE_WORDS = word_set(
    """
    vp svp evp cto ceo cfo coo cpo ciso cio director head chief president vice manager lead
    principal staff senior founder cofounder co-founder officer recruiter architect engineer
    partner
    """
)
_ORGANISATION_WORDS = word_set(
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
_HONORIFIC_BEFORE = re.compile(rf"\b{TITLE_PATTERN}\s*$")  # "Dr. Osei": not a sentence start
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
_NEVER_NAMES = word_set(
    "feedback chat team interview call meeting video manager panel talent acquisition everyone"
)


@lru_cache(maxsize=4096)
def _could_be_proper_noun(word: str, position: Position) -> bool:
    """For a capitalised word whose capital might not mark a proper noun."""
    if word in STOPWORDS or word in _NEVER_NAMES:
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
        return re.split(r"['\u2019]", POSSESSIVE.sub("", self.text).lower())[0]


def _at_sentence_start(text: str, token: _Token, line: LineSpan) -> bool:
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
    core = POSSESSIVE.sub("", token.text)
    # Only the capitalised parts of "Kafka-based" or "Co-Founder" carry the claim.
    parts = [part for part in re.split(r"-", core) if part[:1].isupper()] or [core]
    return all(
        part.lower() in haystack.words.words or stem(part.lower()) in haystack.words.stems
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


def _positions(text: str, phrase: Sequence[_Token], line: LineSpan) -> list[Position]:
    if line.role == "subject":
        return ["sentence_start"] * len(phrase)
    if line.role != "body":
        return ["name_slot"] * len(phrase)
    rest: list[Position] = ["mid_sentence"] * (len(phrase) - 1)
    first: Position = (
        "sentence_start" if _at_sentence_start(text, phrase[0], line) else "mid_sentence"
    )
    return [first, *rest]


def _line_of(lines: Sequence[LineSpan], position: int) -> LineSpan:
    return next(line for line in lines if line.start <= position <= line.end)


@dataclass(frozen=True)
class _Invented:
    start: int
    end: int
    kind: InventedKind


def _word_candidates(
    masked: str, lines: Sequence[LineSpan], taken: Sequence[tuple[int, int]], haystack: _Haystack
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
        content = [word for word in words(match.group()) if word not in STOPWORDS]
        grounded = all(
            word in haystack.words.words or stem(word) in haystack.words.stems for word in content
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
    word_candidates = list(_word_candidates(masked, classify_lines(masked), taken, haystack))
    yield from word_candidates
    taken += [(candidate.start, candidate.end) for candidate, _ in word_candidates]
    yield from _title_candidates(masked, taken, haystack)


def grounding(note: str, inputs: NoteInputs) -> CheckResult[GroundingEvidence]:
    """Names, numbers, dates, titles and organisations in the note that the user never gave us."""
    haystack = _build_haystack(inputs)
    candidates = sorted(_grounding_candidates(note, haystack), key=lambda item: item[0].start)
    invented = [
        InventedMention(note[item.start : item.end], item.kind, item.start, item.end)
        for item, grounded in candidates
        if not grounded
    ]
    checked = len(candidates)
    if invented:
        named = join_words([quote(item.text) for item in invented])
        comment = f"The note states things you never mentioned: {named}."
    else:
        comment = "Every name, number and date in the note comes from what you wrote."
    return CheckResult(
        key="grounding",
        # Share of checked mentions that are grounded; any invention still fails the check.
        score=(checked - len(invented)) / checked if checked else 1.0,
        passed=not invented,
        comment=comment,
        evidence=GroundingEvidence(tuple(invented), checked),
    )
