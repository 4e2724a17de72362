"""The typed result every defect detector returns."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from debrief.checks.defects.text import NoteText
    from debrief.checks.notes.inputs import NoteInputs


@dataclass(frozen=True)
class Defect:
    """One defect a careful reader would fix before sending the note."""

    key: str  # the class key of evals/LABELLING.md, e.g. "third_person"
    span: str  # exact text of the note (subject or body) that shows it; "" only if none
    reason: str  # one plain sentence for the user


Detector = Callable[["NoteText", "NoteInputs"], list[Defect]]
"""`find(note, inputs)`: every module of `debrief.checks.defects` exposes one."""
