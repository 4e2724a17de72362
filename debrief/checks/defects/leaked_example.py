"""`leaked_example`: the prompt's worked example copied into a real note.

thank_you_note v1 showed the model a note for another interview (Lena Ortiz, Head of Pastry at
Crumb & Co: laminated dough, croissants, a Saturday market stall, logging every recipe change);
the default model copied its words into notes to a design lead and a headteacher. A phrase of
the example counts only when the interview itself never uses its words: a bakery's own note may
talk about croissants.
"""

from __future__ import annotations

import re

from debrief.checks.defects.text import NoteText, all_input_texts, phrase_pattern
from debrief.checks.defects.types import Defect
from debrief.checks.notes.inputs import NoteInputs
from debrief.checks.text import STOPWORDS, content_stems, stem, stems_of, word_set, words

KEY = "leaked_example"

# Longest first, so that "my croissant lamination" is reported rather than "croissant".
EXAMPLE_PHRASES: tuple[str, ...] = (
    "logging every recipe change",
    "Saturday market stall",
    "laminated dough",
    "croissant lamination",
    "new baker",
    "recipe change",
    "Head of Pastry",
    "Pastry Chef",
    "Crumb & Co",
    "Crumb and Co",
    "Lena Ortiz",
    "croissants",
    "croissant",
    "lamination",
    "laminated",
    "pastry",
)
_PATTERNS = tuple((phrase, phrase_pattern(phrase)) for phrase in EXAMPLE_PHRASES)

# The example's sentences, for its shapes copied with this interview's words put in ("my habit
# of logging every drainage run", "through a busy morning", "hearing your plans for the new
# revenue dashboard"). Four words in a row of it count when one of them carries meaning that is
# neither the interview's nor the example's voice (thanks, questions, "I would bring…").
EXAMPLE_TEXT = (
    "Thank you for showing me how your team keeps laminated dough consistent through a busy "
    "morning. Your question about training a new baker stayed with me: I would work the first "
    "folds side by side with them for a week before they bake alone. I also enjoyed hearing your "
    "plans for the Saturday market stall. I would bring my croissant lamination and my habit of "
    "logging every recipe change to the Pastry Chef role at Crumb & Co."
)
# The example's voice, and idioms any note may use ("side by side", "for a week").
_VOICE = word_set(
    "thank showing team question stayed would work also enjoyed hearing bring role new first "
    "side week"
)
_RUN = 4


def _runs(tokens: list[str]) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + _RUN]) for i in range(len(tokens) - _RUN + 1)}


_EXAMPLE_RUNS = _runs(words(EXAMPLE_TEXT))


def _copied_shapes(text: str, given: set[str]) -> list[Defect]:
    tokens = words(text)
    found: list[Defect] = []
    last_end = -1
    for i in range(len(tokens) - _RUN + 1):
        run = tuple(tokens[i : i + _RUN])
        if run not in _EXAMPLE_RUNS or i <= last_end:
            continue
        meaning = [
            w for w in run if w not in STOPWORDS and w not in _VOICE and stem(w) not in given
        ]
        if not meaning:
            continue
        last_end = i + _RUN - 1
        # The words as written, whatever stands between them ("morning. Your question").
        between = r"(?:['\u2019]s)?\W+"
        span = re.search(
            r"(?<!\w)" + between.join(re.escape(w) for w in run) + r"(?!\w)", text, re.IGNORECASE
        )
        if span is None:
            continue
        shown = span.group()
        reason = f"'{shown}' is worded like the example the model was shown, not your interview."
        found.append(Defect(KEY, shown, reason))
    return found


def find(note: NoteText, inputs: NoteInputs) -> list[Defect]:
    given = stems_of(all_input_texts(inputs))
    found: list[Defect] = []
    taken: list[tuple[int, int]] = []
    text = note.text
    for phrase, pattern in _PATTERNS:
        if content_stems(phrase) <= given:
            continue  # this interview talks about it itself
        for match in pattern.finditer(text):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            taken.append(match.span())
            reason = (
                f"'{match.group()}' comes from the example the model was shown, not from your "
                "interview."
            )
            found.append(Defect(KEY, match.group(), reason))
    if not found:
        found += _copied_shapes(text, given)
    return found
