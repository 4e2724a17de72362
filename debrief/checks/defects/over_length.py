"""`over_length`: the body is longer than the asked `max_words`.

The guide's rule, exactly: words of the body as `len(body.split())` (a naive note's "Subject:"
line inside the body counts, ruling 11) against `max_words`.
"""

from __future__ import annotations

from debrief.checks.defects.text import NoteText
from debrief.checks.defects.types import Defect
from debrief.checks.notes.inputs import NoteInputs

KEY = "over_length"


def find(note: NoteText, inputs: NoteInputs) -> list[Defect]:
    count = len(note.body.split())
    if count <= inputs.max_words:
        return []
    reason = f"The note has {count} words; the limit you asked for is {inputs.max_words}."
    return [Defect(KEY, note.anchor, reason)]
