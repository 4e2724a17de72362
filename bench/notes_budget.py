"""The drafting time budget: every note of a 3-interviewer interview within 90 s of the click.

From cold (a fresh embedded server, nothing cached), with the shipped prompt version, on an
interview from the eval cases (takeaways, a fumble, research with an injected line); reports the
time per note, the total, and how many of the notes the reader's-standard check passes.
Not a test: it prints figures and replaces its own section of bench/results.md.

    .venv/bin/python -m bench.notes_budget [--case pharmacy_hospital_pharmacist_three]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from bench.results import RESULTS, reuse_assembled_model, write_section
from debrief.llm.embedded import stop_all_embedded_servers
from debrief.llm.model_files import PACKAGED_MODELS
from debrief.services.container import build_services
from debrief.services.notes import NoteOptions
from debrief.settings import Settings
from evals.cases import load_cases

BUDGET_S = 90.0


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--case", default="pharmacy_hospital_pharmacist_three")
    parser.add_argument("--model", default="qwen2.5-coder-1.5b", choices=list(PACKAGED_MODELS))
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    case = next(c for c in load_cases() if c.case_id == args.case)

    with tempfile.TemporaryDirectory(prefix="debrief-bench-") as tmp:
        data_dir = Path(tmp)
        reuse_assembled_model(data_dir, args.model)
        services = build_services(Settings(data_dir=data_dir, embedded_model=args.model))
        try:
            interview_id = services.interviews.add_from_spec(case.spec)
            services.llm.get()  # the model loads before the click, as on the Start page
            options = NoteOptions(
                tone=case.options.tone,
                max_words=case.options.max_words,
                candidate_name=case.options.candidate_name,
            )
            started = time.perf_counter()
            result = services.notes.draft_all(interview_id, options)
            total = time.perf_counter() - started
        finally:
            services.close()
            stop_all_embedded_servers()

    sendable = [next(c for c in note.checks if c.key == "sendable").passed for note in result.notes]
    lines = [
        f"## Drafting time budget ({args.model}, {os.cpu_count()} cores, "
        f"{result.notes[0].prompt_ref}, case {args.case})",
        "",
        "| note | seconds | sendable check |",
        "|---|---:|---|",
        *(
            f"| {note.interviewer.name} | {note.seconds:.1f} | {'passed' if ok else 'failed'} |"
            for note, ok in zip(result.notes, sendable, strict=True)
        ),
        "",
        f"All {len(result.notes)} notes from the click, cold prefix: {total:.1f} s "
        f"(budget {BUDGET_S:.0f} s: {total / BUDGET_S:.2f} of it). "
        f"Sendable by the check: {sum(sendable)} of {len(sendable)}.",
        f"Run on {time.strftime('%Y-%m-%d')}.",
    ]
    report = "\n".join(lines)
    print(report)
    write_section(args.output, "Drafting time budget", report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
