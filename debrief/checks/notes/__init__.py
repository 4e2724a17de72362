"""Rule-based checks on thank-you notes, one module each.

Per note: does it cite this interviewer's facts (coverage), another interviewer's (cross-talk),
anything the user never said (grounding), does it fit the word limit (length) and does it say
something particular (genericness, `debrief.checks.specificity`). Per interview: do the notes
read as written for each person (distinctness). `check_note` is the one entry point the notes
service and the eval suite call.

Everything is deterministic and offline: regexes, the Snowball stemmer, word frequencies from
`wordfreq` and a TF-IDF written with numpy.
"""

from __future__ import annotations

from debrief.checks.notes.coverage import coverage
from debrief.checks.notes.cross_talk import cross_talk
from debrief.checks.notes.grounding import grounding
from debrief.checks.notes.inputs import NoteInputs
from debrief.checks.notes.length import length
from debrief.checks.specificity import genericness
from debrief.checks.types import CheckResult


def check_note(note: str, inputs: NoteInputs) -> list[CheckResult]:
    """The per-note rule checks, in display order: coverage, cross-talk, grounding, length,
    genericness."""
    return [
        coverage(note, inputs),
        cross_talk(note, inputs),
        grounding(note, inputs),
        length(note, inputs.max_words),
        genericness(note),
    ]
