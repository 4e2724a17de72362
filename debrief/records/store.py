"""SQLite, the source of truth for everything the user entered and Debrief drafted.

One module owns the SQL so another engine (PostgreSQL for a many-user deployment) can replace it.
Every write runs in a transaction; the database runs in WAL mode with full fsync; a lock file
keeps a second Debrief process away from the same data directory.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from filelock import FileLock, Timeout

from debrief.checks.types import CheckResult
from debrief.errors import DebriefError, InputError
from debrief.records.migrations import MIGRATIONS, SCHEMA_VERSION
from debrief.records.models import (
    ActionPlan,
    CompanyResearch,
    Draft,
    DraftStatus,
    DraftVersion,
    Interview,
    Interviewer,
    PlanStep,
    Record,
    Reflection,
    Stumble,
)

DB_FILE = "debrief.sqlite3"
LOCK_FILE = "debrief.lock"
EXPORT_FORMAT = "debrief-export"

RecordT = TypeVar("RecordT", bound=Record)


class DataDirInUseError(DebriefError):
    """Another Debrief process holds the data directory."""


class RecordNotFoundError(DebriefError):
    """A record id that does not exist (deleted meanwhile, or never there)."""


@dataclass(frozen=True)
class _Table:
    name: str
    model: type[Record]
    json_fields: frozenset[str] = frozenset()
    skip: frozenset[str] = frozenset()
    indexed: bool = False  # feeds the retrieval index: writes bump the revision


_INTERVIEWS = _Table("interviews", Interview, indexed=True)
_INTERVIEWERS = _Table(
    "interviewers", Interviewer, frozenset({"topics", "questions", "takeaways"}), indexed=True
)
_STUMBLES = _Table("stumbles", Stumble, indexed=True)
_REFLECTIONS = _Table("reflections", Reflection, frozenset({"cause_tags"}), indexed=True)
_RESEARCH = _Table("company_research", CompanyResearch, indexed=True)
_DRAFTS = _Table("drafts", Draft, frozenset({"checks"}))
_PLANS = _Table("action_plans", ActionPlan, skip=frozenset({"steps"}))
_STEPS = _Table("plan_steps", PlanStep)

# Export order: parents before children.
EXPORT_TABLES = (
    "interviews",
    "interviewers",
    "stumbles",
    "reflections",
    "company_research",
    "drafts",
    "draft_versions",
    "action_plans",
    "plan_steps",
)


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _with(record: RecordT, changes: dict[str, Any]) -> RecordT:
    """A validated copy with `changes` (model_copy would skip validation and conversion)."""
    return type(record).model_validate(record.model_dump() | changes)


def _to_row(table: _Table, record: Record) -> dict[str, Any]:
    data = record.model_dump(mode="json", exclude={"id", *table.skip})
    for name in table.json_fields:
        data[name] = json.dumps(data[name], ensure_ascii=False)
    return {k: int(v) if isinstance(v, bool) else v for k, v in data.items()}


def _from_row(table: _Table, row: sqlite3.Row, model: type[RecordT]) -> RecordT:
    data = dict(row)
    for name in table.json_fields:
        data[name] = json.loads(data[name])
    return model.model_validate(data)


def split_subject(text: str) -> tuple[str, str]:
    """("subject", "body") of a note stored before schema 3 as "Subject: …\n\nbody"."""
    if text.startswith("Subject:") and "\n" in text:
        first, _, rest = text.partition("\n")
        return first.removeprefix("Subject:").strip(), rest.strip()
    return "", text


def _drafts_with_subjects(tables: dict[str, Any]) -> dict[str, Any]:
    """An export made before schema 3: the drafts' text becomes subject and body (migration 3)."""
    upgraded = dict(tables)
    for name in ("drafts", "draft_versions"):
        rows = []
        for row in tables.get(name, []):
            if isinstance(row, dict) and "text" in row and "body" not in row:
                row = dict(row)
                row["subject"], row["body"] = split_subject(str(row.pop("text")))
            rows.append(row)
        upgraded[name] = rows
    return upgraded


class RecordStore:
    """Typed CRUD over the SQLite database in the data directory."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.path = data_dir / DB_FILE
        self._lock = threading.RLock()
        self._closed = False
        data_dir.mkdir(parents=True, exist_ok=True)
        # Not thread-local: Streamlit opens the store in one script run (thread) and may close it
        # in another (Delete everything); a thread-local lock would never be released then.
        self._file_lock = FileLock(str(data_dir / LOCK_FILE), thread_local=False)
        try:
            self._file_lock.acquire(timeout=0)
        except Timeout:
            raise DataDirInUseError(
                f"Another Debrief is already using {data_dir}.",
                hint="Close the other window or command first (only one may write at a time), "
                "or set DEBRIEF_DATA_DIR to another folder.",
            ) from None
        try:
            self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self._db.row_factory = sqlite3.Row
            self._db.execute("PRAGMA foreign_keys = ON")
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = FULL")
            self._db.execute("PRAGMA busy_timeout = 5000")
            self.migrate()
        except BaseException:
            self._file_lock.release()
            raise

    # -- lifecycle -------------------------------------------------------------------------

    def close(self) -> None:
        """Close the database and release the data directory; closing twice is harmless."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._db.close()
            self._file_lock.release()

    def __enter__(self) -> RecordStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def migrate(self, target: int = SCHEMA_VERSION) -> None:
        """Apply the migrations after the current version, each in its own transaction."""
        with self._lock:
            current = self.schema_version
            if current > SCHEMA_VERSION:
                raise DebriefError(
                    f"{self.path} was written by a newer Debrief (schema {current}).",
                    hint="Update Debrief, or point DEBRIEF_DATA_DIR elsewhere.",
                )
            for version in range(current + 1, target + 1):
                script = MIGRATIONS[version - 1]
                try:
                    self._db.executescript(
                        f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version = {version};\nCOMMIT;"
                    )
                except sqlite3.Error:
                    if self._db.in_transaction:
                        self._db.execute("ROLLBACK")
                    raise

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All writes inside commit together or not at all."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    # -- generic helpers -------------------------------------------------------------------

    def _insert(self, db: sqlite3.Connection, table: _Table, record: RecordT) -> RecordT:
        row = _to_row(table, record)
        names = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        cursor = db.execute(
            f"INSERT INTO {table.name} ({names}) VALUES ({marks})", list(row.values())
        )
        if table.indexed:
            self._bump_revision(db)
        return _with(record, {"id": cursor.lastrowid})

    def _update(self, db: sqlite3.Connection, table: _Table, record: Record) -> None:
        if record.id is None:
            raise RecordNotFoundError(f"Cannot update a {table.name} row that was never saved.")
        row = _to_row(table, record)
        assignments = ", ".join(f"{name} = ?" for name in row)
        cursor = db.execute(
            f"UPDATE {table.name} SET {assignments} WHERE id = ?",
            [*row.values(), record.id],
        )
        if cursor.rowcount == 0:
            raise RecordNotFoundError(f"No {table.name} row with id {record.id}.")
        if table.indexed:
            self._bump_revision(db)

    def _delete(self, table: _Table, record_id: int) -> None:
        with self.transaction() as db:
            cursor = db.execute(f"DELETE FROM {table.name} WHERE id = ?", (record_id,))
            if cursor.rowcount == 0:
                raise RecordNotFoundError(f"No {table.name} row with id {record_id}.")
            if table.indexed:
                self._bump_revision(db)

    def _select(
        self, table: _Table, model: type[RecordT], where: str = "", params: tuple[Any, ...] = ()
    ) -> list[RecordT]:
        sql = f"SELECT * FROM {table.name} {where}"
        with self._lock:
            rows = self._db.execute(sql, params).fetchall()
        return [_from_row(table, row, model) for row in rows]

    def _one(self, table: _Table, model: type[RecordT], record_id: int) -> RecordT:
        found = self._select(table, model, "WHERE id = ?", (record_id,))
        if not found:
            raise RecordNotFoundError(f"No {table.name} row with id {record_id}.")
        return found[0]

    @staticmethod
    def _bump_revision(db: sqlite3.Connection) -> None:
        db.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'revision'")

    @property
    def revision(self) -> int:
        """Grows with every change to indexed records; the index remembers the one it holds."""
        with self._lock:
            row = self._db.execute("SELECT value FROM meta WHERE key = 'revision'").fetchone()
        return int(row[0])

    def counts(self) -> dict[str, int]:
        with self._lock:
            return {
                name: int(self._db.execute(f"SELECT COUNT(*) FROM {name}").fetchone()[0])
                for name in EXPORT_TABLES
            }

    # -- interviews and what belongs to them ------------------------------------------------

    def add_interview(self, interview: Interview) -> Interview:
        stamp = _now()
        with self.transaction() as db:
            return self._insert(
                db,
                _INTERVIEWS,
                _with(interview, {"created_at": stamp, "updated_at": stamp}),
            )

    def update_interview(self, interview: Interview) -> Interview:
        updated = _with(interview, {"updated_at": _now()})
        with self.transaction() as db:
            self._update(db, _INTERVIEWS, updated)
        return updated

    def get_interview(self, interview_id: int) -> Interview:
        return self._one(_INTERVIEWS, Interview, interview_id)

    def list_interviews(self) -> list[Interview]:
        return self._select(_INTERVIEWS, Interview, "ORDER BY held_at DESC, id DESC")

    def delete_interview(self, interview_id: int) -> None:
        """Delete an interview and everything that belongs to it."""
        self._delete(_INTERVIEWS, interview_id)

    def add_interviewer(self, interviewer: Interviewer) -> Interviewer:
        with self.transaction() as db:
            return self._insert(db, _INTERVIEWERS, interviewer)

    def update_interviewer(self, interviewer: Interviewer) -> None:
        with self.transaction() as db:
            self._update(db, _INTERVIEWERS, interviewer)

    def list_interviewers(self, interview_id: int | None = None) -> list[Interviewer]:
        if interview_id is None:
            return self._select(_INTERVIEWERS, Interviewer, "ORDER BY id")
        return self._select(
            _INTERVIEWERS, Interviewer, "WHERE interview_id = ? ORDER BY id", (interview_id,)
        )

    def delete_interviewer(self, interviewer_id: int) -> None:
        self._delete(_INTERVIEWERS, interviewer_id)

    def add_stumble(self, stumble: Stumble) -> Stumble:
        with self.transaction() as db:
            return self._insert(db, _STUMBLES, stumble)

    def update_stumble(self, stumble: Stumble) -> None:
        with self.transaction() as db:
            self._update(db, _STUMBLES, stumble)

    def list_stumbles(self, interview_id: int | None = None) -> list[Stumble]:
        if interview_id is None:
            return self._select(_STUMBLES, Stumble, "ORDER BY id")
        return self._select(
            _STUMBLES, Stumble, "WHERE interview_id = ? ORDER BY id", (interview_id,)
        )

    def delete_stumble(self, stumble_id: int) -> None:
        self._delete(_STUMBLES, stumble_id)

    def save_reflection(self, reflection: Reflection) -> Reflection:
        """Create or replace the reflection of an interview (one per interview)."""
        stamp = _now()
        with self.transaction() as db:
            existing = db.execute(
                "SELECT id, created_at FROM reflections WHERE interview_id = ?",
                (reflection.interview_id,),
            ).fetchone()
            if existing is None:
                return self._insert(
                    db,
                    _REFLECTIONS,
                    _with(reflection, {"created_at": stamp, "updated_at": stamp}),
                )
            saved = _with(
                reflection,
                {
                    "id": existing["id"],
                    "created_at": existing["created_at"],
                    "updated_at": stamp,
                },
            )
            self._update(db, _REFLECTIONS, saved)
            return saved

    def get_reflection(self, interview_id: int) -> Reflection | None:
        found = self._select(_REFLECTIONS, Reflection, "WHERE interview_id = ?", (interview_id,))
        return found[0] if found else None

    def list_reflections(self) -> list[Reflection]:
        return self._select(_REFLECTIONS, Reflection, "ORDER BY id")

    def add_research(self, research: CompanyResearch) -> CompanyResearch:
        with self.transaction() as db:
            return self._insert(db, _RESEARCH, _with(research, {"created_at": _now()}))

    def get_research(self, research_id: int) -> CompanyResearch:
        return self._one(_RESEARCH, CompanyResearch, research_id)

    def list_research(self, interview_id: int | None = None) -> list[CompanyResearch]:
        if interview_id is None:
            return self._select(_RESEARCH, CompanyResearch, "ORDER BY id")
        return self._select(
            _RESEARCH, CompanyResearch, "WHERE interview_id = ? ORDER BY id", (interview_id,)
        )

    def delete_research(self, research_id: int) -> None:
        self._delete(_RESEARCH, research_id)

    # -- drafts ----------------------------------------------------------------------------

    def add_draft(self, draft: Draft) -> Draft:
        stamp = _now()
        with self.transaction() as db:
            return self._insert(
                db,
                _DRAFTS,
                _with(draft, {"created_at": stamp, "updated_at": stamp, "version": 1}),
            )

    def get_draft(self, draft_id: int) -> Draft:
        return self._one(_DRAFTS, Draft, draft_id)

    def list_drafts(self, interview_id: int) -> list[Draft]:
        return self._select(_DRAFTS, Draft, "WHERE interview_id = ? ORDER BY id", (interview_id,))

    def revise_draft(
        self,
        draft_id: int,
        subject: str,
        body: str,
        checks: list[CheckResult],
        status: DraftStatus = DraftStatus.EDITED,
    ) -> Draft:
        """Replace a draft's text and checks; the previous text is kept as an earlier version."""
        with self.transaction() as db:
            current = self.get_draft(draft_id)
            db.execute(
                "INSERT INTO draft_versions (draft_id, version, subject, body, status, saved_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (
                    draft_id,
                    current.version,
                    current.subject,
                    current.body,
                    current.status.value,
                    (current.updated_at or _now()).isoformat(),
                ),
            )
            revised = _with(
                current,
                {
                    "subject": subject,
                    "body": body,
                    "checks": checks,
                    "status": status,
                    "version": current.version + 1,
                    "updated_at": _now(),
                },
            )
            self._update(db, _DRAFTS, revised)
            return revised

    def set_draft_status(self, draft_id: int, status: DraftStatus) -> None:
        with self.transaction() as db:
            cursor = db.execute(
                "UPDATE drafts SET status = ?, updated_at = ? WHERE id = ?",
                (status.value, _now().isoformat(), draft_id),
            )
            if cursor.rowcount == 0:
                raise RecordNotFoundError(f"No draft with id {draft_id}.")

    def draft_versions(self, draft_id: int) -> list[DraftVersion]:
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM draft_versions WHERE draft_id = ? ORDER BY version", (draft_id,)
            ).fetchall()
        return [DraftVersion.model_validate(dict(row)) for row in rows]

    # -- action plans ----------------------------------------------------------------------

    def save_plan(self, plan: ActionPlan) -> ActionPlan:
        """Create or replace the plan of an interview with its steps, in order."""
        with self.transaction() as db:
            db.execute("DELETE FROM action_plans WHERE interview_id = ?", (plan.interview_id,))
            saved = self._insert(db, _PLANS, _with(plan, {"created_at": _now()}))
            assert saved.id is not None
            steps = [
                self._insert(db, _STEPS, _with(step, {"plan_id": saved.id, "position": index}))
                for index, step in enumerate(plan.steps)
            ]
            return _with(saved, {"steps": steps})

    def get_plan(self, interview_id: int) -> ActionPlan | None:
        found = self._select(_PLANS, ActionPlan, "WHERE interview_id = ?", (interview_id,))
        if not found:
            return None
        plan = found[0]
        steps = self._select(_STEPS, PlanStep, "WHERE plan_id = ? ORDER BY position", (plan.id,))
        return _with(plan, {"steps": steps})

    def update_step(self, step: PlanStep) -> None:
        with self.transaction() as db:
            self._update(db, _STEPS, step)

    # -- export and import -----------------------------------------------------------------

    def export_data(self) -> dict[str, Any]:
        """Every row of every table, as stored, with the schema version."""
        with self._lock:
            tables = {
                name: [dict(row) for row in self._db.execute(f"SELECT * FROM {name}")]
                for name in EXPORT_TABLES
            }
        return {
            "format": EXPORT_FORMAT,
            "schema_version": self.schema_version,
            "exported_at": _now().isoformat(),
            "tables": tables,
        }

    def import_data(self, payload: dict[str, Any], *, replace: bool = False) -> dict[str, int]:
        """Load an export. Refuses to mix with existing records unless `replace`; all or nothing."""
        if not isinstance(payload, dict) or payload.get("format") != EXPORT_FORMAT:
            raise InputError(
                "This file is not a Debrief export.", hint="Choose a file made by Export."
            )
        version = payload.get("schema_version")
        if not isinstance(version, int) or version > SCHEMA_VERSION:
            raise InputError(
                f"This export was made by a newer Debrief (schema {version}).",
                hint="Update Debrief first.",
            )
        tables = payload.get("tables")
        if not isinstance(tables, dict) or set(tables) - set(EXPORT_TABLES):
            raise InputError(
                "This export has unknown tables.", hint="Choose a file made by Export."
            )
        if version < 3:
            tables = _drafts_with_subjects(tables)
        with self.transaction() as db:
            if any(self.counts().values()):
                if not replace:
                    raise InputError(
                        "There are records already; importing would mix two histories.",
                        hint="Export what you have first, then import with 'replace'.",
                    )
                for name in reversed(EXPORT_TABLES):
                    db.execute(f"DELETE FROM {name}")
            columns = {
                name: {row[1] for row in db.execute(f"PRAGMA table_info({name})")}
                for name in EXPORT_TABLES
            }
            for name in EXPORT_TABLES:
                for row in tables.get(name, []):
                    if not isinstance(row, dict) or not row or set(row) - columns[name]:
                        raise InputError(
                            f"A row in '{name}' does not fit this version of Debrief.",
                            hint="Choose a file made by Export.",
                        )
                    names = ", ".join(row)
                    marks = ", ".join("?" for _ in row)
                    try:
                        db.execute(
                            f"INSERT INTO {name} ({names}) VALUES ({marks})", list(row.values())
                        )
                    except sqlite3.Error as exc:
                        raise InputError(
                            f"The export could not be loaded ({name}: {exc}); nothing was changed.",
                            hint="Choose a file made by Export.",
                        ) from None
            self._bump_revision(db)
        return self.counts()
