"""`missing_important`: a fact the note must mention is not there in any form.

The facts are `inputs.must_mention` when set (the eval cases' `must_reference`), otherwise what
the app knows to matter: this interviewer's topics and the candidate's clarification. Matching is
the coverage check's (stems, half the words of a long fact, numbers exactly), on subject and body.
"""

from __future__ import annotations

from debrief.checks.defects.text import NoteText
from debrief.checks.defects.types import Defect
from debrief.checks.notes.coverage import coverage
from debrief.checks.notes.inputs import NoteInputs, PersonFacts

KEY = "missing_important"


def important_facts(inputs: NoteInputs) -> tuple[str, ...]:
    """What the note must mention: `must_mention`, else the topics and the clarification."""
    if inputs.must_mention:
        return inputs.must_mention
    facts = (*inputs.interviewer.topics, inputs.clarification)
    return tuple(fact for fact in facts if fact.strip())


def find(note: NoteText, inputs: NoteInputs) -> list[Defect]:
    facts = important_facts(inputs)
    if not facts:
        return []
    probe = NoteInputs(company="", role="", interviewer=PersonFacts("", topics=facts))
    missing = coverage(note.text, probe, threshold=1.0).evidence.missing
    return [Defect(KEY, note.anchor, f"The note never mentions {fact!r}.") for fact in missing]
