"""Export, import and delete everything the user has stored."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from debrief.errors import DebriefError, InputError
from debrief.records.store import LOCK_FILE, RecordStore
from debrief.services.history import HistoryService
from rag.index import forget_persistent_clients

MAX_IMPORT_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class ImportResult:
    counts: dict[str, int]  # rows per table after the import
    passages: int  # passages written to the rebuilt search index

    def summary(self) -> str:
        """'3 interviews, 5 interviewers; indexed 12 passages' in plain words."""
        rows = ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in self.counts.items() if n)
        return f"{rows or 'no records'}; indexed {self.passages} passages"


class DataAdminService:
    """Everything the user stored, as a whole: counts, export, import, delete."""

    def __init__(self, data_dir: Path, history: HistoryService) -> None:
        self.data_dir = data_dir
        self._history = history

    def counts(self) -> dict[str, int]:
        """Rows per table, e.g. {"interviews": 2, "drafts": 5, …}."""
        return self._history.store.counts()

    def export_json(self) -> str:
        """Every record as one JSON document (what Export downloads)."""
        return json.dumps(self._history.store.export_data(), ensure_ascii=False, indent=1)

    def export_to_file(self, destination: Path) -> dict[str, int]:
        """Write every record to one JSON file (atomically); returns the row counts."""
        return export_to_file(self._history.store, destination)

    def import_export(self, data: bytes, *, replace: bool = False) -> ImportResult:
        """Load an export file's bytes (all or nothing), then rebuild the search index from it."""
        counts = self._history.store.import_data(read_export(data), replace=replace)
        return ImportResult(counts, self._history.rebuild_index())

    def rebuild_index(self) -> int:
        """Re-index every record; returns the number of passages written."""
        return self._history.rebuild_index()

    def delete_everything(self) -> list[str]:
        """Close the records, then remove every file Debrief wrote; returns what was removed.

        The services are unusable afterwards: build new ones (the app forgets its services).
        """
        self._history.store.close()
        return delete_everything(self.data_dir)


def export_to_file(store: RecordStore, destination: Path) -> dict[str, int]:
    """Write every record to one JSON file (atomically); returns the row counts."""
    payload = store.export_data()
    destination.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".export-", dir=destination.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(payload, out, ensure_ascii=False, indent=1)
        os.replace(temporary, destination)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return {name: len(rows) for name, rows in payload["tables"].items()}


def read_export(data: bytes) -> dict[str, Any]:
    """Parse an export file's bytes, with a clear message for anything else."""
    if len(data) > MAX_IMPORT_BYTES:
        raise InputError(
            f"The file is larger than {MAX_IMPORT_BYTES // 2**20} MB; it is not a Debrief export."
        )
    try:
        payload = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise InputError("This file is not a Debrief export (it is not JSON).") from None
    if not isinstance(payload, dict):
        raise InputError("This file is not a Debrief export.")
    return payload


def delete_everything(data_dir: Path) -> list[str]:
    """Remove every file Debrief wrote under `data_dir`: records, index, models, caches.

    The caller must have closed its record store (the lock is taken here to make sure no other
    Debrief process is using the directory). Returns what was removed.
    """
    from filelock import FileLock, Timeout

    if not data_dir.exists():
        return []
    lock = FileLock(str(data_dir / LOCK_FILE))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise DebriefError(
            f"Another Debrief is using {data_dir}; nothing was deleted.",
            hint="Close it first, then delete again.",
        ) from None
    forget_persistent_clients()
    removed = []
    try:
        for entry in sorted(data_dir.iterdir()):
            if entry.name == LOCK_FILE:
                continue
            removed.append(entry.name)
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
    finally:
        lock.release()
        (data_dir / LOCK_FILE).unlink(missing_ok=True)
    with contextlib.suppress(OSError):  # not empty: something not ours lives there; keep it
        data_dir.rmdir()
    return removed
