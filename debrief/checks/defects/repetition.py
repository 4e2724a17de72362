"""`repetition`: a sentence or idea said twice in one note.

Shapes seen in the drafts: a sentence copied (or nearly: the same words in the same order); a
long run of words said twice ("…is a true testament to your dedication to the community"), also
inside one sentence; a number said twice in the same words ("…delivered before 5 a.m." and
"…out of the door before 5 a.m."); two sentences ending in the same refrain ("…which is crucial
for maintaining a strong team."); two sentences that open the same way to make the same move
("I would bring…", "I would also bring…"); and thanks given twice (the opening's thanks again in
the closing). A last short
"Thank you again for your time." is the one courtesy line ruling 1 allows, not a repeat.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from itertools import combinations, dropwhile

from debrief.checks.defects.text import NoteText, own_texts
from debrief.checks.defects.types import Defect
from debrief.checks.notes.inputs import NoteInputs
from debrief.checks.text import STOPWORDS, content_stems, is_near_copy, words

KEY = "repetition"

_MIN_TOKENS = 4
_SHARED_RUN = 6  # words in a row said twice
_NUMBER_RUN = 4  # words in a row, one a number, said twice ("before 5 a.m.")
_REFRAIN = 5  # words that end two sentences alike ("…for maintaining a strong team.")
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


def _common_tail(a: list[str], b: list[str]) -> list[str]:
    size = 0
    while size < min(len(a), len(b)) and a[-1 - size] == b[-1 - size]:
        size += 1
    return a[len(a) - size :]


def _pair_defect(first: str, second: str, facts: list[list[str]]) -> Defect | None:
    """The defect if `second` repeats `first`, pointing into `second`."""
    a, b = words(first), words(second)
    if min(len(a), len(b)) >= _MIN_TOKENS:
        if is_near_copy(first, second, _MIN_TOKENS):
            return Defect(KEY, second, "The note says the same sentence twice.")
        run = _shared_run(a, b)
        numbered = len(run) >= _NUMBER_RUN and any(token[0].isdigit() for token in run)
        if numbered or (len(run) >= _SHARED_RUN and not _within_a_fact(run, facts)):
            # A number said twice in the same words is one point made twice, even when the
            # user's own lines hold it twice (a topic and a takeaway).
            span = _words_as_written(second, run)
            return Defect(KEY, span, f"The note says '{span}' twice.")
        tail = _common_tail(a, b)
        words_of_tail = list(dropwhile(lambda token: token in STOPWORDS, tail))
        if len(tail) >= _REFRAIN and not _within_a_fact(words_of_tail, facts):
            span = _words_as_written(second, tail)
            return Defect(KEY, span, f"Two sentences end with the same '{span}'.")
    stems_a, stems_b = content_stems(first), content_stems(second)
    shorter = min(len(stems_a), len(stems_b))
    if shorter >= _MIN_CONTENT and len(stems_a & stems_b) / shorter >= _SAME_POINT:
        return Defect(KEY, second, "The note makes the same point twice.")
    return None


def _said_twice_within(sentence: str) -> Defect | None:
    """A run of words said twice inside one sentence ("…in plain words as the chd I would observe
    the baby's play … in plain words as the child's lived experience")."""
    tokens = words(sentence)
    first_seen: dict[tuple[str, ...], int] = {}
    for i in range(len(tokens) - _SHARED_RUN + 1):
        gram = tuple(tokens[i : i + _SHARED_RUN])
        if gram in first_seen and i - first_seen[gram] >= _SHARED_RUN:
            span = _words_as_written(sentence, list(gram))
            return Defect(KEY, span, f"The sentence says '{span}' twice.")
        first_seen.setdefault(gram, i)
    return None


def find(note: NoteText, inputs: NoteInputs) -> list[Defect]:
    sentences = list(note.sentences)
    facts = [words(text) for text in own_texts(inputs)]
    found: list[Defect] = []
    flagged: set[int] = set()
    for i, sentence in enumerate(sentences):
        within = _said_twice_within(sentence)
        if within is not None:
            flagged.add(i)
            found.append(within)
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
