"""Interview histories for the grounded-answer evals (`evals/grounded/histories/*.yaml`).

Each file is one candidate's history of 4-10 interviews (the interview file format plus a
reflection per interview), and questions with the records a careful reader would cite (gold) and
the points a good answer makes. `workspace` stores a history in a fresh data directory (real
SQLite, real Chroma index) and maps every gold reference to the record it names.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field

from debrief.llm.connection import ChatModelSource
from debrief.records.models import CauseTag, Reflection
from debrief.services.container import Services, build_services, open_history
from debrief.services.history import HistoryService
from debrief.services.interview_file import InterviewSpec, store_interview
from debrief.settings import Settings

HISTORIES_DIR = Path(__file__).parent / "grounded" / "histories"


class ReflectionSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    unprepared_question: str = ""
    work_history: str = ""
    rapport: str = ""
    company_knowledge: str = ""
    narrative_stall: str = ""
    free_text: str = ""
    cause_tags: list[CauseTag] = Field(default_factory=list)
    confidence: int = 3


class HistoryInterview(InterviewSpec):
    key: str
    reflection: ReflectionSpec | None = None


class HistoryQuestion(BaseModel):
    model_config = ConfigDict(extra="forbid")
    question: str
    interview: str | None = None
    gold: list[str] = Field(default_factory=list)
    must_say: list[str] = Field(default_factory=list)
    must_not_say: list[str] = Field(default_factory=list)


class History(BaseModel):
    model_config = ConfigDict(extra="forbid")
    description: str = ""
    candidate_name: str = ""
    interviews: list[HistoryInterview] = Field(min_length=1)
    questions: list[HistoryQuestion] = Field(default_factory=list)


def load_histories(folder: Path = HISTORIES_DIR) -> dict[str, History]:
    """Every history file, by name (the file's stem), in name order."""
    histories: dict[str, History] = {}
    for path in sorted(folder.glob("*.yaml")):
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
        histories[path.stem] = History.model_validate(data)
    return histories


RecordRef = tuple[str, int]  # (kind, record id) as the index cites it


@dataclass
class HistoryWorkspace:
    services: Services
    history: HistoryService  # the records and index behind the services
    refs: dict[str, RecordRef]  # gold reference -> record
    interview_ids: dict[str, int]  # interview key -> id

    def ref_of(self, kind: str, record_id: int) -> str | None:
        for ref, record in self.refs.items():
            if record == (kind, record_id):
                return ref
        return None


@contextmanager
def workspace(
    history: History, settings: Settings, llm: ChatModelSource
) -> Iterator[HistoryWorkspace]:
    """The history stored in a fresh temporary data directory, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="debrief-history-") as folder:
        local = settings.model_copy(update={"data_dir": Path(folder), "chroma_host": None})
        opened = open_history(local)
        services = build_services(local, llm=llm, opened=opened)
        try:
            refs, ids = store_history(history, opened.history)
            yield HistoryWorkspace(services, opened.history, refs, ids)
        finally:
            services.close()


def store_history(
    history: History, service: HistoryService
) -> tuple[dict[str, RecordRef], dict[str, int]]:
    """Save every interview of the history with its records; returns the gold references (each
    mapped to its record) and the interviews' ids by key."""
    store = service.store
    refs: dict[str, RecordRef] = {}
    ids: dict[str, int] = {}
    for item in history.interviews:
        interview_id = store_interview(service, item)
        ids[item.key] = interview_id
        if item.notes:
            refs[f"{item.key}/notes"] = ("interview", interview_id)
        for person in store.list_interviewers(interview_id):
            assert person.id is not None
            refs[f"{item.key}/interviewer/{person.name}"] = ("interviewer", person.id)
        for number, stumble in enumerate(store.list_stumbles(interview_id), start=1):
            assert stumble.id is not None
            refs[f"{item.key}/stumble/{number}"] = ("stumble", stumble.id)
        for number, research in enumerate(store.list_research(interview_id), start=1):
            assert research.id is not None
            refs[f"{item.key}/research/{number}"] = ("research", research.id)
        if item.reflection is not None:
            saved = service.save_reflection(
                Reflection(interview_id=interview_id, **item.reflection.model_dump())
            )
            assert saved.id is not None
            refs[f"{item.key}/reflection"] = ("reflection", saved.id)
    return refs, ids
