"""Fixtures shared by the unit tests: the app's services over a real store, a fake model."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from debrief.services.container import Services, build_services
from debrief.settings import Settings
from tests.fakes import FakeChatModel, FakeModelSource


@pytest.fixture
def world(tmp_path: Path) -> Iterator[tuple[Services, FakeChatModel]]:
    model = FakeChatModel()
    services = build_services(Settings(data_dir=tmp_path / "data"), llm=FakeModelSource(model))
    yield services, model
    services.close()
