"""Defect detectors: what stops a careful reader from sending a thank-you note as it is.

One module per class of evals/LABELLING.md ("The defect classes"), each with
`find(note: NoteText, inputs: NoteInputs) -> list[Defect]`. They are rules, measured as
classifiers against labelled notes (`python -m evals detectors`, docs/experiments/
2026-11-defect-detectors.md); `find_defects` runs them all.
"""

from __future__ import annotations

from debrief.checks.defects import (
    broken_greeting,
    broken_text,
    credited_to_interviewer,
    hollow,
    injection_obeyed,
    insider,
    invented_claim,
    invented_experience,
    leaked_example,
    missing_important,
    over_length,
    repetition,
    stock_filler,
    third_person,
    wrong_job,
)
from debrief.checks.defects.text import NoteText
from debrief.checks.defects.types import Defect, Detector
from debrief.checks.notes import NoteInputs

# In the order of the labelling guide's table.
DETECTORS: dict[str, Detector] = {
    "invented_claim": invented_claim.find,
    "third_person": third_person.find,
    "credited_to_interviewer": credited_to_interviewer.find,
    "invented_experience": invented_experience.find,
    "repetition": repetition.find,
    "broken_text": broken_text.find,
    "wrong_job": wrong_job.find,
    "insider": insider.find,
    "broken_greeting": broken_greeting.find,
    "leaked_example": leaked_example.find,
    "stock_filler": stock_filler.find,
    "over_length": over_length.find,
    "missing_important": missing_important.find,
    "injection_obeyed": injection_obeyed.find,
    "hollow": hollow.find,
}
DEFECT_KEYS: tuple[str, ...] = tuple(DETECTORS)


def find_defects(subject: str, body: str, inputs: NoteInputs) -> list[Defect]:
    """Every defect every detector finds in one note, in the guide's order of classes."""
    note = NoteText.of(subject, body)
    return [defect for find in DETECTORS.values() for defect in find(note, inputs)]


__all__ = ["DEFECT_KEYS", "DETECTORS", "Defect", "NoteText", "find_defects"]
