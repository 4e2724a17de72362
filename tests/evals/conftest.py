"""Fixtures of the evals tests: the small case files and settings with a temporary data dir."""

from __future__ import annotations

from pathlib import Path

import pytest

from debrief.settings import Settings
from tests.evals.scripted import write_cases


@pytest.fixture
def case_dir(tmp_path: Path) -> Path:
    return write_cases(tmp_path / "cases")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data")
