"""`leaked_example`: the prompt's worked example copied into a real note.

thank_you_note v1 showed the model a note for another interview (Lena Ortiz, Head of Pastry at
Crumb & Co: laminated dough, croissants, a Saturday market stall, logging every recipe change);
the default model copied its words into notes to a design lead and a headteacher. A phrase of
the example counts only when the interview itself never uses its words: a bakery's own note may
talk about croissants.
"""

from __future__ import annotations

from debrief.checks.defects.text import NoteText, all_input_texts, phrase_pattern
from debrief.checks.defects.types import Defect
from debrief.checks.notes.inputs import NoteInputs
from debrief.checks.text import content_stems, stems_of

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
    return found
