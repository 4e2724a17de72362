"""The one place services are built. Tests swap in fakes here; nothing is built at import time."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from debrief.llm.connection import ChatModelSource, LLMConnection
from debrief.records.store import RecordStore
from debrief.services.ask import AskService
from debrief.services.data_admin import DataAdminService
from debrief.services.history import HistoryService, open_index
from debrief.services.interviews import InterviewService
from debrief.services.notes import NotesService
from debrief.services.patterns import PatternsService
from debrief.services.plan import PlanService
from debrief.services.quick_draft import QuickDraftService
from debrief.services.reflection import ReflectionService
from debrief.services.reframe import ReframeService
from debrief.settings import API_KEY_VARIABLES, Settings, load_settings

# The interview files in the repository's examples/ (the Start page's "try it" button).
EXAMPLES_DIR = Path(__file__).resolve().parents[2] / "examples"


@dataclass(frozen=True)
class OpenHistory:
    """The records and the search index of one data directory, opened together."""

    history: HistoryService
    notice: str = ""  # what the user should be told once, e.g. that the index was rebuilt

    def close(self) -> None:
        """Release the data directory (the record store's lock)."""
        self.history.store.close()

    def __enter__(self) -> OpenHistory:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_history(settings: Settings) -> OpenHistory:
    """Open the record store (taking the data directory's lock) and its search index.

    The index is rebuilt from the records when it cannot be opened or is behind them.
    """
    store = RecordStore(settings.data_dir)
    try:
        index, status = open_index(settings, store)
    except BaseException:
        store.close()
        raise
    return OpenHistory(HistoryService(store, index), status.notice)


@dataclass(frozen=True)
class Services:
    """Everything a page may call: one service per feature. The records stay behind them."""

    settings: Settings
    llm: ChatModelSource
    quick_draft: QuickDraftService
    interviews: InterviewService
    notes: NotesService
    reflection: ReflectionService
    ask: AskService
    plan: PlanService
    reframe: ReframeService
    patterns: PatternsService
    data: DataAdminService
    notices: tuple[str, ...] = ()  # things the user should be told once, e.g. an index rebuild
    _opened: OpenHistory | None = field(default=None, repr=False)

    def close(self) -> None:
        """Release the data directory (the record store's lock)."""
        if self._opened is not None:
            self._opened.close()


def build_services(
    settings: Settings,
    llm: ChatModelSource | None = None,
    *,
    opened: OpenHistory | None = None,
) -> Services:
    """Wire every service. Opens the records and the search index unless `opened` is given."""
    # Warming the notes' shared prefix pays on the embedded server's prompt cache; on a paid API
    # it would only add a request (and a model handed in, as in tests, is left alone).
    warm_prefix = llm is None and settings.llm_provider == "embedded"
    llm = llm if llm is not None else LLMConnection(settings)
    opened = opened if opened is not None else open_history(settings)
    history = opened.history
    return Services(
        settings=settings,
        llm=llm,
        quick_draft=QuickDraftService(llm, settings.context_size),
        interviews=InterviewService(history, EXAMPLES_DIR),
        notes=NotesService(llm, history, warm_prefix=warm_prefix),
        reflection=ReflectionService(history),
        ask=AskService(llm, history),
        plan=PlanService(history),
        reframe=ReframeService(llm, history),
        patterns=PatternsService(history.store),
        data=DataAdminService(settings.data_dir, history),
        notices=(opened.notice,) if opened.notice else (),
        _opened=opened,
    )


_lock = threading.Lock()
_built: Services | None = None
_override: Services | None = None


def app_services(secret_api_key: str | None = None) -> Services:
    """The services for this process, built from the environment on first use.

    `secret_api_key` (from Streamlit secrets) is used only when no key is set in the environment.
    Raises `ConfigurationError` when the settings are invalid (the app shows it and stops).
    """
    global _built
    with _lock:
        if _override is not None:
            return _override
        if _built is None:
            overrides: dict[str, object] = {}
            if secret_api_key and not any(os.environ.get(name) for name in API_KEY_VARIABLES):
                overrides["DEBRIEF_LLM_API_KEY"] = secret_api_key
            _built = build_services(load_settings(**overrides))
        return _built


def forget_app_services() -> None:
    """Close and drop the process's services (after "delete everything"); rebuilt on next use."""
    global _built
    with _lock:
        if _built is not None:
            _built.close()
        _built = None


@contextmanager
def use_services(services: Services) -> Iterator[Services]:
    """Make `app_services()` return `services` for the duration (for tests)."""
    global _override
    with _lock:
        previous, _override = _override, services
    try:
        yield services
    finally:
        with _lock:
            _override = previous
