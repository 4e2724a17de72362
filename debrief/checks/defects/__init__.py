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
from debrief.checks.notes.inputs import NoteInputs
from debrief.checks.types import CheckResult, SendableEvidence

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


def sendable(subject: str, body: str, inputs: NoteInputs) -> CheckResult[SendableEvidence]:
    """The reader's standard as one check: passed when no detector finds a defect.

    The one entry point the notes service and the eval suite both call; the evidence lists
    every defect with its class, the text it was found in, and the reason.
    """
    defects = find_defects(subject, body, inputs)
    if not defects:
        return CheckResult(
            "sendable", 1.0, True, "No defect found: ready to send.", SendableEvidence()
        )
    classes = list(dict.fromkeys(d.key.replace("_", " ") for d in defects))
    comment = f"{len(defects)} thing(s) to fix before sending: {', '.join(classes)}."
    return CheckResult("sendable", 0.0, False, comment, SendableEvidence(tuple(defects)))


__all__ = ["DEFECT_KEYS", "DETECTORS", "Defect", "NoteText", "find_defects", "sendable"]
