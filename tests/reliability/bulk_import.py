"""Run as a separate process by test_durability.py (and killed with SIGKILL part-way).

`python -m tests.reliability.bulk_import import DATA_DIR TOTAL BATCH` imports TOTAL reflections
(each with its interview) BATCH per transaction, keeping the search index in step after each
batch as HistoryService does, and prints `committed N` after every commit.
With PAUSE_IN_BATCH=N it stops half-way through batch N, inside the open transaction, and
prints `in transaction` (so the test can kill it there).
`python -m tests.reliability.bulk_import hold DATA_DIR` opens the data directory and waits.
Both open the records and the index as the app does (`open_history`).
"""

from __future__ import annotations

import os
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from debrief.records.models import Interview, Reflection
from debrief.records.store import _INTERVIEWS, _REFLECTIONS
from debrief.services.container import open_history
from debrief.services.history_documents import reflection_document
from debrief.settings import Settings

CAUSES = ("unprepared_question", "work_history", "rapport", "company_research", "narrative")


def reflection_text(n: int) -> str:
    return f"Interview {n}: I was caught unprepared by question {n % 17} about system design."


def bulk_import(data_dir: Path, total: int, batch: int) -> None:
    opened = open_history(Settings(data_dir=data_dir))
    store, index = opened.history.store, opened.history.index
    stamp = datetime(2026, 1, 1, tzinfo=UTC)
    pause_in = int(os.environ.get("PAUSE_IN_BATCH", "-1"))
    for start in range(0, total, batch):
        before = store.revision
        documents = []
        # The store's own row writer, `batch` rows to a transaction (it has no public batch API).
        with store.transaction() as db:
            for n in range(start, start + batch):
                interview = store._insert(
                    db,
                    _INTERVIEWS,
                    Interview(
                        company=f"Company {n}",
                        role="Engineer",
                        held_at=stamp + timedelta(days=n),
                        created_at=stamp,
                        updated_at=stamp,
                    ),
                )
                assert interview.id is not None
                reflection = store._insert(
                    db,
                    _REFLECTIONS,
                    Reflection(
                        interview_id=interview.id,
                        unprepared_question=reflection_text(n),
                        cause_tags=[CAUSES[n % len(CAUSES)]],
                        confidence=1 + n % 5,
                        created_at=stamp,
                        updated_at=stamp,
                    ),
                )
                documents.append(reflection_document(reflection, interview))
                if start // batch == pause_in and n == start + batch // 2:
                    print("in transaction", flush=True)
                    time.sleep(60)
        print(f"committed {start + batch}", flush=True)
        # Then the index, as HistoryService._refresh does: only an index that was current
        # before the write is marked current after it.
        index.add_documents(documents)
        if index.revision == before:
            index.mark_revision(store.revision)
    print("done", flush=True)
    opened.close()


def hold(data_dir: Path) -> None:
    with open_history(Settings(data_dir=data_dir)):
        print("holding", flush=True)
        time.sleep(120)


if __name__ == "__main__":
    command, directory = sys.argv[1], Path(sys.argv[2])
    if command == "import":
        bulk_import(directory, int(sys.argv[3]), int(sys.argv[4]))
    else:
        hold(directory)
