"""The signature every defect detector has; `Defect`, what it returns, is a check's evidence
(`debrief.checks.types`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from debrief.checks.types import Defect

__all__ = ["Defect", "Detector"]

if TYPE_CHECKING:
    from debrief.checks.defects.text import NoteText
    from debrief.checks.notes.inputs import NoteInputs


Detector = Callable[["NoteText", "NoteInputs"], list[Defect]]
"""`find(note, inputs)`: every module of `debrief.checks.defects` exposes one."""
