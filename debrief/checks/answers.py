"""Checks on an answer about the user's own interviews, sentence by sentence.

A careful reader must not find: a sentence about "the candidate" (the answer speaks to "you"),
the model speaking as the user ("I struggle to…"), a claim with no citation, a citation to a
record that does not say what the sentence says, a sentence that names one interview while
citing another's record, or a sentence said twice. Rules only; each is measured against answers
labelled by reading (`python -m evals answers`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from debrief.checks.text import content_stems, is_near_copy

CITATION = re.compile(r"\s*\[(\d{1,2})\]")
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")
THIRD_PERSON = re.compile(
    r"\b(?:the|this|our)\s+(?:candidate|user|job\s*seeker|applicant|interviewee)s?\b"
    r"|\b(?:candidate|user)['\u2019]s\b",
    re.IGNORECASE,
)
FIRST_PERSON = re.compile(
    r"(?<![\w'\u2019])(?:I|I['\u2019]m|I['\u2019]ve|I['\u2019]d)(?![\w'\u2019])|\b(?:my|me|myself)\b"
)
# Advice and pointers to the app are not claims about the records; they need no citation.
_ADVICE = re.compile(
    r"^\s*(?:start|try|next|consider|practise|practice|prepare|write|rehearse|use|ask|look"
    r"|focus|make|keep|take|plan|open|tick|save|add|read|record|review|work)\b"
    r"|\bthe\s+(?:plan|reflect|notes|patterns|ask)\s+page\b"
    # What the records lack cannot be cited: "Your records do not say…", "None of your…".
    r"|\b(?:do|does|did)\s+not\s+(?:say|show|mention)\b|^\s*none\s+of\s+your\b"
    r"|^\s*you\s+saved\s+no\b",
    re.IGNORECASE,
)
# Words every sentence about interviews shares; they are no evidence that a record says it.
_GENERIC = content_stems(
    "interview interviews interviewer interviewers question questions answer answers said say "
    "says wrote write written felt feel went go going get got made make noted note notes you "
    "your record records seem seems seemed also well like one two three time times often "
    "mention mentioned shows show showed"
)
MIN_SHARE = 0.4  # of a sentence's own content words, found in the record it cites
MIN_SHARED = 2


@dataclass(frozen=True)
class CitedRecord:
    """A numbered record the answer may cite, and the names of its interview."""

    number: int
    text: str
    interview_id: int | None


@dataclass(frozen=True)
class AnswerDefect:
    kind: str  # third_person | first_person | uncited | unsupported | mixed_interviews | repeated
    sentence: str
    reason: str


KINDS = ("third_person", "first_person", "uncited", "unsupported", "mixed_interviews", "repeated")


_OPENING = {"“": "”", '"': '"'}


def sentences(text: str) -> list[str]:
    """The answer's sentences: a sentence ends at . ! ? (and the citations right after it) when
    the next starts with a capital or a line break, never inside a quotation of the user's words;
    a line break always ends one."""
    found: list[str] = []
    for line in text.splitlines():
        start = 0
        closing: str | None = None
        index = 0
        while index < len(line):
            char = line[index]
            if closing is not None:
                if char == closing:
                    closing = None
            elif char in _OPENING:
                closing = _OPENING[char]
            elif char in ".!?":
                end = index + 1
                while end < len(line) and line[end] in "”\"')":
                    end += 1
                match = CITATION.match(line, end)
                while match:
                    end = match.end()
                    match = CITATION.match(line, end)
                if end < len(line) and line[end] in ".!?":
                    end += 1
                rest = line[end:]
                if not rest.strip() or (rest[:1].isspace() and rest.lstrip()[:1].isupper()):
                    found.append(line[start:end].strip())
                    start = end
                    index = end
                    continue
            index += 1
        if line[start:].strip():
            found.append(line[start:].strip())
    return [sentence for sentence in found if sentence]


_PRONOUNS = (
    (re.compile(r"\bI am\b"), "you are"),
    (re.compile(r"\bI was\b"), "you were"),
    (re.compile(r"\bI['\u2019]m\b"), "you're"),
    (re.compile(r"\bI['\u2019]ve\b"), "you've"),
    (re.compile(r"\bI['\u2019]d\b"), "you'd"),
    (re.compile(r"\bI\b"), "you"),
    (re.compile(r"\b[Mm]yself\b"), "yourself"),
    (re.compile(r"\b[Mm]y\b"), "your"),
    (re.compile(r"\b[Mm]e\b"), "you"),
)


# "The candidate was…" (the model writing about the user) turned to "you were…".
_THIRD_PERSON_FIXES = (
    (re.compile(r"\b[Tt]he candidate['\u2019]s\b"), "your"),
    (re.compile(r"\b[Tt]he candidate (?:was|were)\b"), "you were"),
    (re.compile(r"\b[Tt]he candidate is\b"), "you are"),
    (re.compile(r"\b[Tt]he candidate has\b"), "you have"),
    (re.compile(r"\b[Tt]he candidate does\b"), "you do"),
    (
        re.compile(r"\b[Tt]he candidate (?=\w+ed\b|could|did|had|would|should|may|might|can)"),
        "you ",
    ),
)


def to_second_person(sentence: str) -> str:
    """A sentence written in the user's voice ("I said…") or about "the candidate" turned to
    the user ("You said…"); the user's quoted words stay as they are."""
    for pattern, replacement in _THIRD_PERSON_FIXES:
        sentence = pattern.sub(replacement, sentence)
    parts: list[str] = []
    last = 0
    for match in _QUOTED.finditer(sentence):
        parts.append(_turned(sentence[last : match.start()]))
        parts.append(match.group())
        last = match.end()
    parts.append(_turned(sentence[last:]))
    turned = "".join(parts)
    return turned[:1].upper() + turned[1:] if turned else turned


def _turned(text: str) -> str:
    for pattern, replacement in _PRONOUNS:
        text = pattern.sub(replacement, text)
    return text


_LEADING = re.compile(r"\[(\d{1,2})\]\s*")


def trailing_citations(text: str) -> str:
    """An answer written "[1] X. Y. [2] Z." (each number before the text it cites) rewritten as
    "X [1]. Y [1]. Z [2].", the way the rest of the checks read citations."""
    if not text.lstrip().startswith("["):
        return text
    parts = _LEADING.split(text.strip())
    rewritten: list[str] = []
    for number, chunk in zip(parts[1::2], parts[2::2], strict=True):
        for sentence in sentences(chunk):
            body, end = (sentence[:-1], sentence[-1]) if sentence[-1] in ".!?" else (sentence, "")
            rewritten.append(f"{body.rstrip()} [{number}]{end}")
    return " ".join(rewritten)


def citations_in(sentence: str) -> list[int]:
    return [int(match.group(1)) for match in CITATION.finditer(sentence)]


def without_citations(sentence: str) -> str:
    return CITATION.sub("", sentence).strip()


def unquoted(sentence: str) -> str:
    """The sentence with the user's quoted words taken out (they may say "I")."""
    return _QUOTED.sub(" ", sentence)


def _claim_stems(sentence: str) -> set[str]:
    return content_stems(without_citations(sentence)) - _GENERIC


def support(sentence: str, record_text: str) -> float:
    """The share of the sentence's own content words that the record says too."""
    claim = _claim_stems(sentence)
    if not claim:
        return 1.0
    return len(claim & content_stems(record_text)) / len(claim)


def supports(sentence: str, record_texts: Iterable[str]) -> bool:
    """Whether the records (together) say what the sentence says: its quotations word for word,
    or else most of its own content words, with the same polarity ("you knew" is not supported
    by "I didn't know")."""
    texts = list(record_texts)
    quoted = [_plain(match.group()[1:-1]) for match in _QUOTED.finditer(sentence)]
    if quoted:
        haystack = _plain(" ".join(texts))
        return all(part in haystack for part in quoted if part)
    claim = _claim_stems(sentence)
    if not claim:
        return True
    said = set().union(*(content_stems(text) for text in texts))
    shared = len(claim & said)
    if shared < min(MIN_SHARED, len(claim)) or shared / len(claim) < MIN_SHARE:
        return False
    return not _flipped(sentence, texts, claim)


_NEGATION = re.compile(
    r"\b(?:not|no|never|nothing|didn['\u2019]?t|don['\u2019]?t|doesn['\u2019]?t|wasn['\u2019]?t"
    r"|weren['\u2019]?t|couldn['\u2019]?t|can['\u2019]?t|hadn['\u2019]?t|barely|hardly)\b",
    re.IGNORECASE,
)
_ELLIPSIS = re.compile(r"[\u2026]|\.\.\.")


def _plain(text: str) -> str:
    """Lower-case words only, for finding a quotation in a record (cut quotes end in "…")."""
    return " ".join(re.findall(r"[^\W_]+", _ELLIPSIS.sub(" ", text).lower()))


def _flipped(sentence: str, texts: Sequence[str], claim: set[str]) -> bool:
    """Whether the record sentence closest to the claim says the opposite: one of the two is
    negated and the other is not."""
    best: tuple[int, str] = (0, "")
    for text in texts:
        for part in re.split(r"(?<=[.!?])\s+|\n", text):
            overlap = len(claim & content_stems(part))
            if overlap > best[0]:
                best = (overlap, part)
    if best[0] < MIN_SHARED:
        return False
    return bool(_NEGATION.search(unquoted(sentence))) != bool(_NEGATION.search(best[1]))


def is_claim(sentence: str) -> bool:
    """A sentence that states something about the records (advice and pointers do not)."""
    bare = without_citations(sentence)
    return len(_claim_stems(bare)) >= 2 and not _ADVICE.search(bare)


_COMMON_FIRST_WORDS = frozenset({"the", "city", "royal", "north", "south", "east", "west", "new"})


def name_forms(name: str) -> list[str]:
    """The ways a text names a company or a person: the whole name, and its first word when
    that word is distinctive ("Brightwater" for "Brightwater Energy", "Dana" for Dana Price)."""
    name = " ".join(name.split())
    if not name:
        return []
    forms = [name]
    words = name.split()
    first = words[0]
    if first != name and len(first) >= 4 and first.lower() not in _COMMON_FIRST_WORDS:
        forms.append(first)
    if len(words) >= 3 and words[-1].lower() in _ORGANISATION_WORDS:
        forms.append(" ".join(words[:-1]))  # "Royal Wessex" for Royal Wessex Hospital
    if 2 <= len(words) <= 3 and words[-1].lower() not in _ORGANISATION_WORDS:
        forms += [f"{title} {words[-1]}" for title in _TITLES]  # "Dr Rao" for Anjali Rao
    return forms


_TITLES = ("Dr", "Dr.", "Mr", "Mr.", "Mrs", "Mrs.", "Ms", "Ms.", "Miss", "Prof", "Prof.")


# The last word of a company's name that a person often leaves out ("Royal Wessex Hospital").
_ORGANISATION_WORDS = frozenset(
    {
        "hospital",
        "hospice",
        "trust",
        "council",
        "school",
        "academy",
        "college",
        "university",
        "group",
        "ltd",
        "limited",
        "plc",
        "inc",
        "llp",
        "kitchens",
        "kitchen",
        "hotel",
        "inn",
        "bistro",
        "cafe",
        "restaurant",
        "services",
        "partners",
        "solicitors",
        "logistics",
        "electrical",
        "architects",
        "health",
    }
)


def mentions(text: str, name: str) -> bool:
    """Whether `text` names the company or person `name` (see `name_forms`)."""
    return any(
        re.search(rf"(?<![\w]){re.escape(form)}(?:['\u2019]?s)?(?![\w])", text, re.IGNORECASE)
        for form in name_forms(name)  # "brennans" and "Brennan's" name Brennan & Sons
    )


def names_in(sentence: str, names: Mapping[int, Sequence[str]]) -> set[int]:
    """The interviews the sentence names by a company or person that only they have (two
    interviews at one company, or a "Department for…" in each, name neither of them)."""
    owners: dict[str, set[int]] = {}
    for interview_id, owned in names.items():
        for name in owned:
            for form in name_forms(name):
                owners.setdefault(form.lower(), set()).add(interview_id)
    spans: list[tuple[int, int, set[int]]] = []
    for form, interviews in owners.items():
        for match in re.finditer(rf"(?<![\w]){re.escape(form)}(?![\w])", sentence, re.IGNORECASE):
            spans.append((match.start(), match.end(), interviews))
    found: set[int] = set()
    for start, end, interviews in spans:
        inside = any(
            s <= start and end <= e and (e - s) > (end - start) for s, e, _ in spans
        )  # "Office" (for Office for National Statistics) inside "Home Office" names neither
        if len(interviews) == 1 and not inside:
            found |= interviews
    return found


def answer_defects(
    text: str,
    records: Sequence[CitedRecord],
    names: Mapping[int, Sequence[str]] | None = None,
) -> list[AnswerDefect]:
    """Everything a careful reader would hold against the answer, one finding per sentence and
    kind. `names` maps each interview to the words that name it (company, people)."""
    by_number = {record.number: record for record in records}
    found: list[AnswerDefect] = []
    seen: list[str] = []
    for sentence in sentences(trailing_citations(text)):
        bare = without_citations(sentence)
        if not bare:
            continue
        if THIRD_PERSON.search(bare):
            found.append(
                AnswerDefect("third_person", sentence, "Speaks about “the candidate”, not to you.")
            )
        if FIRST_PERSON.search(unquoted(bare)):
            found.append(
                AnswerDefect("first_person", sentence, "Speaks as you, in the first person.")
            )
        if any(is_near_copy(bare, earlier) for earlier in seen):
            found.append(
                AnswerDefect("repeated", sentence, "Says again what an earlier sentence said.")
            )
        seen.append(bare)
        cited = [by_number[n] for n in citations_in(sentence) if n in by_number]
        if not cited:
            if is_claim(sentence):
                found.append(AnswerDefect("uncited", sentence, "States something with no source."))
            continue
        if not supports(sentence, [record.text for record in cited]):
            found.append(
                AnswerDefect("unsupported", sentence, "The cited record does not say this.")
            )
        named = names_in(bare, names or {})
        cited_interviews = {record.interview_id for record in cited}
        if named - cited_interviews:
            found.append(
                AnswerDefect(
                    "mixed_interviews",
                    sentence,
                    "Names one interview but cites another's record.",
                )
            )
    return found
