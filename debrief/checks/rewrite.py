"""Is a model's sentence a faithful rewrite of the candidate's own line?

The default model, asked to polish a user's line, changed facts in four of six tries ("my unit
moved to Cerner" became Epic, "3 clinics, ~120 shots each" became "1,200 shots"). A rewrite is
kept only when it keeps every number and name of the line, adds none, speaks as the candidate to
the interviewer, and stays one plain sentence; otherwise the caller uses the line itself.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_APOSTROPHES = "'\u2019"
_WORD = re.compile(rf"[^\W\d_]+(?:[{_APOSTROPHES}][^\W\d_]+)*", re.UNICODE)
_FIRST_PERSON = re.compile(rf"\b(?:I(?:[{_APOSTROPHES}](?:m|d|ve|ll))?|my|me|mine|we|our|us)\b")
_THIRD_PERSON = re.compile(r"\b(?:he|she|him|her|his|hers|they said|they told)\b", re.IGNORECASE)
_NUMBER_WORDS = {
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
    "twelve": "12",
    "twenty": "20",
    "hundred": "100",
}
# Phrases that make a sentence filler or a claim about the interviewer's inner life.
_FORBIDDEN = re.compile(
    r"\b(?:grateful|gratitude|opportunity|invaluable|valuable|insightful|insights?|"
    r"passionate|passion|hope this|look forward|thank(?:s| you)|sorry|apologi[sz]e|"
    r"appreciate[ds]?|feedback|impressed|fascinat\w*|enjoy(?:ed)?|significant|"
    r"learning experience|great|amazing|incredible|"
    r"you (?:said|mentioned|shared|explained|emphasi[sz]ed|noted|felt|think|believe))\b",
    re.IGNORECASE,
)
# Words a rewrite may add to turn a line into a sentence addressed to the interviewer (stems).
_GLUE = frozenset(
    w[:5]
    for w in [
        "would",
        "could",
        "should",
        "will",
        "have",
        "been",
        "being",
        "about",
        "your",
        "that",
        "this",
        "these",
        "with",
        "from",
        "what",
        "when",
        "which",
        "where",
        "there",
        "their",
        "them",
        "they",
        "into",
        "also",
        "then",
        "still",
        "like",
        "just",
        "very",
        "more",
        "most",
        "much",
        "make",
        "made",
        "think",
        "thought",
        "some",
        "such",
        "only",
        "even",
        "each",
        "other",
        "after",
        "before",
        "while",
    ]
)
_I_FORMS = frozenset({"I", "I'm", "I'd", "I've", "I'll"})
MAX_WORDS = 40
MIN_WORDS = 5


@dataclass(frozen=True)
class RewriteVerdict:
    """Whether a rewrite may replace the line, and why not when it may not."""

    ok: bool
    reason: str = ""


def _numbers(text: str) -> set[str]:
    found = {n.replace(",", "") for n in _NUMBER.findall(text)}
    found |= {_NUMBER_WORDS[w.lower()] for w in _WORD.findall(text) if w.lower() in _NUMBER_WORDS}
    return found


def _scripts(text: str) -> set[str]:
    """The writing systems of the letters in `text` ("LATIN", "CJK", "CYRILLIC", …)."""
    scripts = set()
    for ch in text:
        if ch.isalpha():
            name = unicodedata.name(ch, "")
            scripts.add(name.split(" ")[0] if name else "UNKNOWN")
    return scripts


def _names(text: str) -> set[str]:
    """Capitalised words that are not the first word of a sentence, nor "I" (likely names)."""
    names = set()
    for sentence in re.split(r"(?<=[.!?])\s+", text.strip()):
        words = _WORD.findall(sentence)
        for word in words[1:]:
            if word[0].isupper() and word.replace("\u2019", "'") not in _I_FORMS:
                names.add(word.lower())
    return names


def _stems(text: str) -> set[str]:
    return {w.lower()[:5] for w in _WORD.findall(text) if len(w) > 3}


def judge_rewrite(
    sentence: str,
    line: str,
    *,
    known: Iterable[str] = (),
    addressee_names: Iterable[str] = (),
    same_numbers: bool = True,
) -> RewriteVerdict:
    """May `sentence` stand in for the candidate's `line` in a note to the interviewer?

    `known`: other texts whose names may appear (the interviewer's topics, the company, the
    role). `addressee_names`: the interviewer's names, which would narrate them in the third
    person. `same_numbers`: every number of the line must stay (a polished line); when False,
    numbers may be dropped (a flagged sentence being fixed) but never added.
    """
    text = sentence.strip()
    words = _WORD.findall(text)
    if not MIN_WORDS <= len(words) <= MAX_WORDS:
        return RewriteVerdict(False, f"{len(words)} words, not {MIN_WORDS}-{MAX_WORDS}")
    if "\n" in text or len(re.findall(r"[.!?](?:\s|$)", text)) > 1:
        return RewriteVerdict(False, "more than one sentence")
    if not text.endswith((".", "!", "?")):
        return RewriteVerdict(False, "it does not end as a sentence")
    if not _scripts(text) <= (_scripts(line) | {"LATIN"}):
        return RewriteVerdict(False, "letters of another script")
    known_texts = list(known)
    allowed_numbers = _numbers(line) | {n for other in known_texts for n in _numbers(other)}
    if same_numbers and _numbers(text) != _numbers(line):
        return RewriteVerdict(False, "its numbers differ from the line's")
    if not _numbers(text) <= allowed_numbers:
        return RewriteVerdict(False, "it adds a number")
    allowed = _names(line) | {w.lower() for w in _WORD.findall(line)}
    for other in known_texts:
        allowed |= {w.lower() for w in _WORD.findall(other)}
    invented = sorted(_names(text) - allowed)
    if invented:
        return RewriteVerdict(False, f"names not in the line: {', '.join(invented)}")
    lowered = {w.lower() for w in _WORD.findall(text)}
    for name in addressee_names:
        if name and name.lower() in lowered:
            return RewriteVerdict(False, "it names the interviewer (third person)")
    if _THIRD_PERSON.search(text):
        return RewriteVerdict(False, "it narrates someone in the third person")
    if not _FIRST_PERSON.search(text):
        return RewriteVerdict(False, "it is not in the first person")
    if _FORBIDDEN.search(text):
        return RewriteVerdict(False, "filler or a claim about the interviewer")
    line_stems = _stems(line)
    # Nearly every word of the line stays: the rewrite fixes the grammar, it does not summarise
    # (a summary drops the detail that made the line worth sending).
    if same_numbers and line_stems and len(line_stems & _stems(text)) < 0.8 * len(line_stems):
        return RewriteVerdict(False, "it drops most of the line's words")
    added = _stems(text) - line_stems - _GLUE
    if same_numbers and len(added) > 1:
        return RewriteVerdict(False, f"it adds words of its own: {', '.join(sorted(added))}")
    return RewriteVerdict(True)


def tidy_line(line: str) -> str:
    """The user's line as a sentence: trimmed, first letter capitalised, closed with a full stop."""
    text = " ".join(line.split()).strip(" -\u2013\u2014\u2022*")
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def is_first_person(text: str) -> bool:
    return bool(_FIRST_PERSON.search(text))


# --- A line the note cannot use as a sentence -----------------------------------------------------

_LEAD_IN = re.compile(r"^\s*(?:what\s+(?:stuck|stayed)\s+with\s+me|note|noted)\s*:\s*", re.I)
_OPENS_ON_NUMBER = re.compile(r"^\W*\d")
# Finite verbs a line of notes is likely to use; a word ending in -ed counts too. Advisory only:
# a line with a verb this list lacks ("Saturdays run to 90 covers") is read as a sentence.
_VERB_WORDS = """is are was were be been am isn't aren't wasn't weren't has have had hasn't
haven't will would can could should must may might shall won't can't do does did don't doesn't
goes went gets got runs ran makes made takes took says said tells told fell rose grew cut won
lost sees saw wants needs picks uses works opens starts ends finishes moves leads plans hopes
expects aims means shows thinks thought feels felt looks seems becomes became keeps kept holds
held serves handles manages sells sold employs hires trains builds built treats covers gave
gives came comes began begins spent spends brought found finds left leaves led met paid sent
set stood taught understood wrote drove chose broke spoke hit put lets"""
_VERB_WORDS += " wait handle handles ship ships"  # not "waits": "waits 14 wks" is a noun
# The plain form of each "-s" verb too: "the clinics run on Tuesdays", "they hire 40 temps"
# (for "-es" both cuts are kept: "hires" → "hire", "goes" → "go"; the other cut matches nothing).
_VERBS = frozenset(
    {w for w in _VERB_WORDS.split()}
    | {w[:-1] for w in _VERB_WORDS.split() if w.endswith("s") and not w.endswith("ss")}
    | {w[:-2] for w in _VERB_WORDS.split() if w.endswith("es")}
)


def reads_as_jotting(line: str) -> bool:
    """Whether the user's line is a note to themself rather than a sentence a thank-you note
    can carry ("90 covers Sat, 7-course tasting Thu-Fri", "what stuck with me: 62 charity
    clients, 11 of them with income over £10m"): it has no verb, or it is a list that opens on
    a number."""
    text = _LEAD_IN.sub("", " ".join(line.split()))
    if not text or is_first_person(text):
        return False
    words = [w.lower().replace("\u2019", "'") for w in _WORD.findall(text)]
    has_verb = any(w in _VERBS or (len(w) > 4 and w.endswith("ed")) for w in words)
    # A tally that opens on a number reads as a jotting even with a verb in a later item
    # ("3 theatres, 45 ops a week, Tuesday is TPLO day"); "3 paralegals handle 410…" does not.
    if _OPENS_ON_NUMBER.match(text):
        return not has_verb or "," in text or ";" in text
    return not has_verb
