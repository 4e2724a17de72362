"""`python -m debrief` (or `debrief`): prepare, doctor, chat, and data maintenance."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from debrief.errors import DebriefError, LLMStreamIncompleteError


class _ProgressLine:
    """Progress on one terminal line; a new stage starts a new line."""

    def __init__(self, out: TextIO | None = None) -> None:
        self.out = out or sys.stderr
        self.stage: str | None = None
        self.percent: int | None = None

    def __call__(self, stage: str, fraction: float | None) -> None:
        key = stage.split(" (")[0]
        percent = None if fraction is None else int(fraction * 100)
        if key == self.stage and percent == self.percent:
            return
        if self.stage is not None and key != self.stage:
            self.out.write("\n")
        self.stage, self.percent = key, percent
        self.out.write(f"\r{stage}" + ("" if percent is None else f" {percent:3d}%"))
        self.out.flush()

    def end(self) -> None:
        """Finish the progress line, if one was started."""
        if self.stage is not None:
            self.out.write("\n")
            self.out.flush()
            self.stage = None


def _cmd_prepare(args: argparse.Namespace) -> int:
    from debrief.llm.model_files import resolve_model_file
    from debrief.settings import load_settings

    settings = load_settings()
    if settings.llm_provider != "embedded":
        print(f"Using {settings.llm_base_url}: no embedded model to prepare.")
        return 0
    progress = _ProgressLine()
    found = resolve_model_file(
        settings.data_dir, settings.embedded_model, settings.model_path, progress
    )
    progress.end()
    print(f"Model ready: {found.path}")
    return 0


def _cmd_doctor(args: argparse.Namespace) -> int:
    from debrief.services.doctor import run_doctor
    from debrief.settings import load_settings

    settings = load_settings()
    print("Configuration (secrets hidden):")
    for name, value in settings.public_view().items():
        print(f"  {name:<16} {value}")
    print("Checks:")
    progress = _ProgressLine()
    report = run_doctor(settings, progress)
    progress.end()
    for check in report.checks:
        mark = "ok  " if check.ok else "FAIL"
        took = f" [{check.seconds:.2f} s]" if check.seconds is not None else ""
        print(f"  {mark} {check.name}: {check.detail}{took}")
        if check.hint:
            print(f"       what to do: {check.hint}")
    print("Healthy." if report.healthy else "Not healthy: see the first FAIL above.")
    return 0 if report.healthy else 1


def _cmd_chat(args: argparse.Namespace) -> int:
    from debrief.llm.connection import LLMConnection
    from debrief.services.quick_draft import QuickDraftService
    from debrief.settings import load_settings

    settings = load_settings()
    # Only the model: chatting must work while the app holds the records.
    quick_draft = QuickDraftService(LLMConnection(settings), settings.context_size)
    request = " ".join(args.message) if args.message else sys.stdin.read()
    progress = _ProgressLine()
    try:
        for piece in quick_draft.stream(request, progress):
            progress.end()
            sys.stdout.write(piece)
            sys.stdout.flush()
    except LLMStreamIncompleteError:
        sys.stdout.write("\n[incomplete: the answer stopped half-way]\n")
        raise
    sys.stdout.write("\n")
    return 0


def _cmd_rebuild_index(args: argparse.Namespace) -> int:
    services = _services()
    try:
        started = time.perf_counter()
        chunks = services.data.rebuild_index()
        print(
            f"Rebuilt the search index: {chunks} passages in {time.perf_counter() - started:.1f} s."
        )
    finally:
        services.close()
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    services = _services()
    try:
        counts = services.data.export_to_file(Path(args.file))
    finally:
        services.close()
    summary = ", ".join(f"{n} {name}" for name, n in counts.items() if n)
    print(f"Exported to {args.file}: {summary or 'no records'}.")
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    data = Path(args.file).read_bytes()
    services = _services()
    try:
        result = services.data.import_export(data, replace=args.replace)
    finally:
        services.close()
    print(f"Imported {result.summary()}.")
    return 0


def _cmd_delete_all(args: argparse.Namespace) -> int:
    from debrief.services.data_admin import delete_everything
    from debrief.settings import load_settings

    data_dir = load_settings().data_dir
    if not args.yes:
        answer = input(
            f"Delete everything under {data_dir}? This cannot be undone. Type 'delete': "
        )
        if answer.strip() != "delete":
            print("Nothing was deleted.")
            return 1
    removed = delete_everything(data_dir)
    print(f"Deleted {', '.join(removed) or 'nothing (it was empty)'} from {data_dir}.")
    return 0


def _services() -> Any:
    from debrief.services.container import build_services
    from debrief.settings import load_settings

    services = build_services(load_settings())
    for notice in services.notices:
        print(notice)
    return services


def _print_checks(checks: Sequence[Any]) -> None:
    for check in checks:
        mark = "ok  " if check.passed else "FAIL"
        print(f"    {mark} {check.key:<13} {check.score:.2f}  {check.comment}")


def _cmd_draft(args: argparse.Namespace) -> int:
    from debrief.services.exports import note_text
    from debrief.services.interview_file import read_interview_file
    from debrief.services.notes import NoteOptions

    spec = read_interview_file(Path(args.file)) if args.file else None
    services = _services()
    try:
        interview_id = services.interviews.add_from_spec(spec) if spec else args.interview
        if interview_id is None:
            print("error: give an interview file or --interview ID", file=sys.stderr)
            return 2
        options = NoteOptions(
            tone=args.tone,
            max_words=args.max_words,
            candidate_name=(spec.candidate_name if spec else "") or args.name,
        )
        progress = _ProgressLine()

        def show(note: Any) -> None:
            progress.end()
            repaired = " (after one repair pass)" if note.repaired else ""
            print(f"\n=== {note.interviewer.name} — {note.seconds:.1f} s{repaired}\n")
            print(note_text(note.subject, note.body))
            print("\n  checks:")
            _print_checks(note.checks)

        result = services.notes.draft_all(interview_id, options, progress, on_note=show)
        print(f"\n=== across the {len(result.notes)} notes")
        _print_checks([result.distinctness])
        print(f"\nInterview {interview_id}: {len(result.notes)} notes in {result.seconds:.1f} s.")
    finally:
        services.close()
    return 0


def _cmd_ask(args: argparse.Namespace) -> int:
    from debrief.services.ask import Answer

    services = _services()
    try:
        answer: Answer | None = None
        for event in services.ask.stream(" ".join(args.question)):
            if isinstance(event, Answer):
                answer = event
            else:
                sys.stdout.write(event)
                sys.stdout.flush()
        assert answer is not None
        print()
        for number in answer.cited:
            citation = answer.source(number).citation
            print(f"  [{number}] {citation.title} ({citation.kind} #{citation.record_id})")
        if answer.cause_counts:
            counts = ", ".join(f"{t} {n}" for t, n in answer.cause_counts.items())
            print(f"Causes across {answer.interviews_counted} interviews: {counts}")
    finally:
        services.close()
    return 0


def _cmd_plan(args: argparse.Namespace) -> int:
    services = _services()
    try:
        result = services.plan.make_plan(args.interview)
        names = services.plan.cause_names()
        for number, step in enumerate(result.plan.steps, start=1):
            print(f"{number}. [{step.due_date:%a %d %b}] {step.action}")
            print(f"   done when: {step.done_when}   (for: {names[step.cause]})")
        _print_checks([result.check])
    finally:
        services.close()
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="debrief", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("prepare", help="assemble and verify the embedded model (done by `make run`)")
    sub.add_parser("doctor", help="show the configuration and check the model and endpoint")
    chat = sub.add_parser("chat", help="stream a one-off draft for a request")
    chat.add_argument("message", nargs="*", help="the request (read from stdin when omitted)")
    draft = sub.add_parser("draft", help="draft a thank-you note per interviewer, with checks")
    draft.add_argument("file", nargs="?", help="an interview as YAML or JSON (see examples/)")
    draft.add_argument("--interview", type=int, help="draft for a stored interview by id")
    draft.add_argument("--tone", choices=["warm", "formal", "brief"], default="warm")
    draft.add_argument("--max-words", type=int, default=150)
    draft.add_argument("--name", default="", help="your name, for the sign-off")
    ask = sub.add_parser("ask", help="ask across all your past interviews")
    ask.add_argument("question", nargs="+")
    plan = sub.add_parser("plan", help="make a dated action plan from an interview's reflection")
    plan.add_argument("--interview", type=int, required=True)
    sub.add_parser("rebuild-index", help="rebuild the search index from the records")
    export = sub.add_parser("export", help="write all records to one JSON file")
    export.add_argument("file")
    load = sub.add_parser("import", help="load records from an export file")
    load.add_argument("file")
    load.add_argument("--replace", action="store_true", help="replace the records that exist")
    delete = sub.add_parser("delete-all", help="delete all records, the index and the model")
    delete.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    handlers = {
        "prepare": _cmd_prepare,
        "doctor": _cmd_doctor,
        "chat": _cmd_chat,
        "draft": _cmd_draft,
        "ask": _cmd_ask,
        "plan": _cmd_plan,
        "rebuild-index": _cmd_rebuild_index,
        "export": _cmd_export,
        "import": _cmd_import,
        "delete-all": _cmd_delete_all,
    }
    try:
        return handlers[args.command](args)
    except DebriefError as exc:
        sys.stderr.write(f"\nerror: {exc.message}\n")
        if exc.hint:
            sys.stderr.write(f"what to do: {exc.hint}\n")
        return 2
    except KeyboardInterrupt:
        return 130
