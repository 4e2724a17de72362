"""A model source for eval runs that must not reach a model (retrieval, code-built text)."""

from __future__ import annotations

from typing import Any

from debrief.errors import DebriefError


class ModelUnavailable(DebriefError):
    """Raised when a run that promised not to use a model asks for one."""


class NoModel:
    """Never ready; asking it for a model raises `ModelUnavailable` with `why`."""

    def __init__(self, why: str) -> None:
        self._why = why

    def describe(self) -> str:
        return "no model"

    def is_ready(self) -> bool:
        return False

    def get(self, progress: Any = None) -> Any:
        raise ModelUnavailable(self._why)

    def prepare_in_background(self, retry: bool = False) -> Any:
        raise ModelUnavailable(self._why)
