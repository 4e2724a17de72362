"""`python -m debrief` (or `debrief`): prepare, doctor, chat."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from typing import TextIO

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
    from debrief.services.container import build_services
    from debrief.settings import load_settings

    services = build_services(load_settings())
    request = " ".join(args.message) if args.message else sys.stdin.read()
    progress = _ProgressLine()
    try:
        for piece in services.quick_draft.stream(request, progress):
            progress.end()
            sys.stdout.write(piece)
            sys.stdout.flush()
    except LLMStreamIncompleteError:
        sys.stdout.write("\n[incomplete: the answer stopped half-way]\n")
        raise
    sys.stdout.write("\n")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="debrief", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("prepare", help="assemble and verify the embedded model (done by `make run`)")
    sub.add_parser("doctor", help="show the configuration and check the model and endpoint")
    chat = sub.add_parser("chat", help="stream a one-off draft for a request")
    chat.add_argument("message", nargs="*", help="the request (read from stdin when omitted)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    handlers = {"prepare": _cmd_prepare, "doctor": _cmd_doctor, "chat": _cmd_chat}
    try:
        return handlers[args.command](args)
    except DebriefError as exc:
        sys.stderr.write(f"\nerror: {exc.message}\n")
        if exc.hint:
            sys.stderr.write(f"what to do: {exc.hint}\n")
        return 2
    except KeyboardInterrupt:
        return 130
