"""`broken_greeting`: the greeting or the sign-off is broken.

Broken: an honorific or title with no name ("Dear Dr.,", "Dear Professor,"); a greeting that
names someone else; no greeting; a placeholder such as "[Your Name]" when the inputs give the
candidate's name (ruling 8), or any placeholder for the interviewer's name; a note with no
sign-off (it ends in running text); a signature that is not the candidate's name.
"""

from __future__ import annotations

import re

from debrief.checks.defects.text import NoteText, person_name
from debrief.checks.defects.types import Defect
from debrief.checks.notes.inputs import NoteInputs
from debrief.checks.text import word_set, words
from debrief.honorifics import TITLES

KEY = "broken_greeting"

_PLACEHOLDER = re.compile(r"\[[^\]\n]{1,40}\]|\{[^}\n]{1,40}\}|<[^>\n]{1,40}>")
_GREETING_NAME = re.compile(
    r"^\s*(?:dear|hi|hello|hey|good\s+(?:morning|afternoon|evening))\b[\s,]*(?P<name>[^,:!\n]*)",
    re.IGNORECASE,
)
# Words a greeting may hold besides the person's name ("Dear Professor Solberg").
_TITLE_WORDS = frozenset(TITLES) | word_set("doctor")


def _greeting_defects(note: NoteText, inputs: NoteInputs) -> list[Defect]:
    greeting = note.greeting
    if greeting is None:
        return [Defect(KEY, note.anchor, "The note has no greeting.")]
    if _PLACEHOLDER.search(greeting):
        return [Defect(KEY, greeting, "The greeting has a placeholder instead of a name.")]
    match = _GREETING_NAME.match(greeting)
    named = words(match["name"]) if match else []
    addressee = person_name(inputs.interviewer.name)
    person = set(words(" ".join(addressee.parts)))
    titles = _TITLE_WORDS | set(words(addressee.honorific))  # "Gen." of "Gen. Ann Smith"
    names = [word for word in named if word not in titles]
    if match and not named:
        return [Defect(KEY, greeting, "The greeting names nobody.")]
    if named and not names:
        return [Defect(KEY, greeting, "The greeting has a title but no name.")]
    if names and not set(names) <= person:
        return [Defect(KEY, greeting, f"The greeting does not name {inputs.interviewer.name}.")]
    return []


def _placeholders(note: NoteText, inputs: NoteInputs) -> list[Defect]:
    if not inputs.candidate_name.strip():
        return []  # "[Your name]" is then the expected placeholder
    found = []
    closing = [line for line in note.lines if line.role in ("signoff", "signature")]
    if note.last_line is not None and note.last_line not in closing:
        closing.append(note.last_line)
    for line in closing:
        for match in _PLACEHOLDER.finditer(line.text):
            reason = f"'{match.group()}' is left where your name ({inputs.candidate_name}) goes."
            found.append(Defect(KEY, match.group(), reason))
    return found


def _closing_defects(note: NoteText, inputs: NoteInputs) -> list[Defect]:
    if note.sign_off is None:
        last = note.last_line
        span = note.sentences[-1] if note.sentences else (last.text if last else "")
        return [Defect(KEY, span, "The note has no sign-off: it ends in the middle of the text.")]
    if not inputs.candidate_name.strip() or not note.signature:
        return []
    signature = note.signature[0]
    if _PLACEHOLDER.fullmatch(signature):
        return []  # reported as a placeholder
    candidate = set(words(inputs.candidate_name))
    signed = {word for word in words(signature) if word not in _TITLE_WORDS}
    if signed and not signed & candidate:
        return [Defect(KEY, signature, f"The note is signed '{signature}', not with your name.")]
    return []


def find(note: NoteText, inputs: NoteInputs) -> list[Defect]:
    if not note.body.strip():
        return []
    return [
        *_greeting_defects(note, inputs),
        *_placeholders(note, inputs),
        *_closing_defects(note, inputs),
    ]
