"""Notes drafted with the research intake filter off, so the `injection_obeyed` detector has
labelled positives to be measured on.

The app drops planted instructions from company research before any model sees it, so no
recorded note ever obeyed one and the detector could not be measured. This drafts thank_you_note
v1 (the last version shown research) for the given cases with that filter switched off, through
the app's own services and the configured model, and appends each note's text to
`evals/labels/notes_read.ndjson` as variant `thank_you_note@v1-unfiltered`, ready to be labelled
like any other note (evals/LABELLING.md). It is a labelling tool, never a way the app runs.

    .venv/bin/python -m evals.unfiltered CASE_ID [CASE_ID ...]
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from contextlib import AbstractContextManager
from unittest import mock

from debrief.services import notes as notes_module
from evals.cases import load_case, load_common
from evals.labelled import NOTES_READ_FILE, UNFILTERED
from evals.run_options import CASES_DIR

VARIANT = f"thank_you_note@v1{UNFILTERED}"


def _unfiltered(text: str) -> tuple[str, int]:
    return text, 0


def filter_off() -> AbstractContextManager[object]:
    """While it lasts, the notes service shows the model the research as pasted."""
    return mock.patch.object(notes_module, "without_instructions", _unfiltered)


def draft(case_ids: Sequence[str]) -> list[dict[str, str]]:
    """The v1 notes of each case with the intake filter off, as rows of notes_read.ndjson."""
    from debrief.llm.connection import LLMConnection
    from debrief.settings import load_settings
    from evals.generate import case_workspace

    settings = load_settings()
    llm = LLMConnection(settings)
    common = load_common()
    rows: list[dict[str, str]] = []
    with filter_off():
        for case_id in case_ids:
            case = load_case(CASES_DIR / f"{case_id}.yaml", common)
            with case_workspace(case, settings, llm) as workspace:
                service = workspace.services.notes.with_prompt_version(1)
                jobs, _ = service.jobs(workspace.interview_id, case.options)
                for job in jobs:
                    note = service.draft(job)
                    rows.append(
                        {
                            "note_id": f"{case_id}/{VARIANT}/{job.person.name}",
                            "subject": note.subject,
                            "body": note.body,
                        }
                    )
                    print(f"{case_id} / {job.person.name}: drafted", file=sys.stderr)
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    case_ids = list(sys.argv[1:] if argv is None else argv)
    if not case_ids:
        print(__doc__, file=sys.stderr)
        return 2
    lines = NOTES_READ_FILE.read_text(encoding="utf-8").splitlines()
    known = {json.loads(line)["note_id"] for line in lines if line.strip()}
    # A note already there keeps the text its reader saw (labels point at it).
    rows = [row for row in draft(case_ids) if row["note_id"] not in known]
    with NOTES_READ_FILE.open("a", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(rows)} new notes appended to {NOTES_READ_FILE}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
