"""`repetition`: a sentence or idea said twice in one note.

Four shapes seen in the drafts: a sentence copied (or nearly: the same words in the same order);
a long run of words said twice ("…is a true testament to your dedication to the community");
two sentences that open the same way to make the same move ("I would bring…", "I would also
bring…"); and thanks given twice (the opening's thanks again in the closing). A last short
"Thank you again for your time." is the one courtesy line ruling 1 allows, not a repeat.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from itertools import combinations

from debrief.checks.defects.text import NoteText, content_stems, is_near_copy, own_texts, words
from debrief.checks.defects.types import Defect
from debrief.checks.notes import NoteInputs

KEY = "repetition"

_MIN_TOKENS = 4
_SHARED_RUN = 6  # words in a row said twice
_SAME_POINT = 0.75  # share of the shorter sentence's content words found in the other
_MIN_CONTENT = 5
_THANKS = re.compile(
    r"\b(?:thank\s+you|thanks|grateful|gratitude|(?:express|extend)\s+my\s+(?:\w+\s+)?"
    r"appreciation)\b",
    re.IGNORECASE,
)
_CONVENTIONAL_THANKS = re.compile(
    r"^\s*thank\s+you\s+(?:again\s+)?for\s+your\s+time(?:\s+and\s+consideration)?\s*[.!;]",
    re.IGNORECASE,
)
# Openings that make one move each: the second such sentence repeats the first's move.
_MOVES = re.compile(
    r"^\s*I\s+would\s+(?:also\s+)?(?:bring|be\s+happy\s+to|like\s+to\s+(?:thank|express|extend))"
    r"|^\s*I\s+(?:am|'m)\s+excited\s+to\s+bring",
    re.IGNORECASE,
)


def _shared_run(a: list[str], b: list[str]) -> list[str]:
    match = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return a[match.a : match.a + match.size]


def _within_a_fact(run: list[str], facts: list[list[str]]) -> bool:
    """Whether the run is part of one input fact: naming a topic twice is not saying it twice."""
    size = len(run)
    return any(fact[i : i + size] == run for fact in facts for i in range(len(fact) - size + 1))


def _words_as_written(sentence: str, run: list[str]) -> str:
    """The run of words as it stands in the sentence (case and punctuation kept)."""
    pattern = r"\W+".join(re.escape(word) for word in run)
    found = re.search(pattern, sentence, re.IGNORECASE)
    return found.group() if found else sentence


def _pair_defect(first: str, second: str, facts: list[list[str]]) -> Defect | None:
    """The defect if `second` repeats `first`, pointing into `second`."""
    a, b = words(first), words(second)
    if min(len(a), len(b)) >= _MIN_TOKENS:
        if is_near_copy(first, second, _MIN_TOKENS):
            return Defect(KEY, second, "The note says the same sentence twice.")
        run = _shared_run(a, b)
        if len(run) >= _SHARED_RUN and not _within_a_fact(run, facts):
            span = _words_as_written(second, run)
            return Defect(KEY, span, f"The note says '{span}' twice.")
    stems_a, stems_b = content_stems(first), content_stems(second)
    shorter = min(len(stems_a), len(stems_b))
    if shorter >= _MIN_CONTENT and len(stems_a & stems_b) / shorter >= _SAME_POINT:
        return Defect(KEY, second, "The note makes the same point twice.")
    return None


def find(note: NoteText, inputs: NoteInputs) -> list[Defect]:
    sentences = list(note.sentences)
    facts = [words(text) for text in own_texts(inputs)]
    found: list[Defect] = []
    flagged: set[int] = set()
    for (_, first), (j, second) in combinations(enumerate(sentences), 2):
        if j in flagged:
            continue
        defect = _pair_defect(first, second, facts)
        if defect is not None:
            flagged.add(j)
            found.append(defect)
    moves = [i for i, s in enumerate(sentences) if _MOVES.search(s) and i not in flagged]
    for i in moves[1:]:
        flagged.add(i)
        found.append(Defect(KEY, sentences[i], "Two sentences make the same move."))
    thanks = [
        i
        for i, s in enumerate(sentences)
        if _THANKS.search(s) and not (i == len(sentences) - 1 and _CONVENTIONAL_THANKS.match(s))
    ]
    for i in thanks[1:]:
        if i not in flagged:
            flagged.add(i)
            found.append(Defect(KEY, sentences[i], "The note thanks the reader twice."))
    return found
