"""`third_person`: the addressee narrated in the third person, by name, title or pronoun.

"Dana mentioned that she helps members…" in a note to Dana. Naming the person as a vocative is
fine ("Olivia, you asked…", "…to me, Mei."); the greeting and the signature are not read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from debrief.checks.defects.text import NoteText, person_name
from debrief.checks.defects.types import Defect
from debrief.checks.notes.inputs import NoteInputs
from debrief.checks.text import words
from debrief.honorifics import TITLE_PATTERN

KEY = "third_person"

SPEECH_VERBS = (
    r"(?:mentioned|asked|explained|shared|discussed|said|told|noted|emphasi[sz]ed|highlighted"
    r"|provided|described|talked|spoke|stressed|pointed|showed|outlined|suggested|gave"
    r"|offered|walked|raised|added|answered|believes|thinks|felt)"
)
_PRONOUN = re.compile(rf"\b(?:He|She|he|she)\s+(?:also\s+)?{SPEECH_VERBS}\b")
_NAME_AND_VERB = re.compile(r"\S+(?:[ \t]+[^\s.,;:!?]+){0,3}")
_HONORIFIC_BEFORE = re.compile(rf"(?:\b{TITLE_PATTERN}\s+)+$")


def _name_pattern(inputs: NoteInputs) -> re.Pattern[str] | None:
    name = person_name(inputs.interviewer.name)
    candidate = set(words(inputs.candidate_name))
    forms = [form for form in name.forms if not set(words(form)) <= candidate]
    if not forms:
        return None
    alternation = "|".join(re.escape(form) for form in forms)
    # Case-sensitive: "Grace" the person, not "grace" the word.
    return re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])")


def _is_vocative(sentence: str, start: int, end: int) -> bool:
    """ "Olivia, you…", "…to me, Mei." or "Thank you, Dana." address the person."""
    before = _HONORIFIC_BEFORE.sub("", sentence[:start]).rstrip()
    after = sentence[end:].lstrip()
    if not before and after.startswith(","):
        return True
    return before.endswith(",") and (not after or after[0] in ".!?,")


def _mentions(text: str, pattern: re.Pattern[str]) -> Iterator[re.Match[str]]:
    for match in pattern.finditer(text):
        if not _is_vocative(text, match.start(), match.end()):
            yield match


def _title_pattern(inputs: NoteInputs) -> re.Pattern[str] | None:
    title = inputs.interviewer.title.strip()
    if not title:
        return None
    return re.compile(rf"\bthe\s+{re.escape(title)}\s+(?:also\s+)?{SPEECH_VERBS}\b", re.IGNORECASE)


# A subject names people as a header does ("Olivia Grant: settlement"); it narrates them only
# after a preposition ("Interview with Daniel Cho") or with a possessive or a verb.
_SUBJECT_NARRATES = re.compile(r"(?:\b(?:with|and|from|by|to|for|about|meeting)\s+)$", re.I)
_SUBJECT_AFTER = re.compile(rf"^(?:['\u2019]s\b|\s+(?:also\s+)?{SPEECH_VERBS}\b)")


def _subject_defects(note: NoteText, names: re.Pattern[str] | None, person: str) -> list[Defect]:
    subject = note.subject_text
    if names is None or not subject:
        return []
    for match in names.finditer(subject):
        before = _HONORIFIC_BEFORE.sub("", subject[: match.start()])
        if _SUBJECT_NARRATES.search(before) or _SUBJECT_AFTER.match(subject[match.end() :]):
            return [Defect(KEY, subject, f"The subject talks about {person} instead of to them.")]
    return []


def find(note: NoteText, inputs: NoteInputs) -> list[Defect]:
    names = _name_pattern(inputs)
    title = _title_pattern(inputs)
    found = _subject_defects(note, names, inputs.interviewer.name)
    for text in note.sentences:
        for match in _mentions(text, names) if names else ():
            # The name and the few words after it: "Dana mentioned that she helps".
            span = _NAME_AND_VERB.match(text, match.start())
            reason = f"The note talks about {inputs.interviewer.name} instead of to them."
            found.append(Defect(KEY, span.group() if span else match.group(), reason))
        for pattern in (_PRONOUN, title):
            if pattern is None:
                continue
            for match in pattern.finditer(text):
                reason = "The note talks about the person it is addressed to as 'he', 'she' or "
                reason += "by title, instead of 'you'."
                found.append(Defect(KEY, match.group(), reason))
    return found
