"""Evaluation commands.

`python -m evals run` compares prompt versions over the eval cases (exit 0 ok, 1 regression,
2 error); `python -m evals specificity < sentences.txt` scores sentences.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from evals.run_options import add_run_arguments
from evals.specificity_cli import run_specificity


def build_parser() -> argparse.ArgumentParser:
    """The `evals` command line with one subcommand per evaluation."""
    parser = argparse.ArgumentParser(prog="python -m evals", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser(
        "specificity",
        help="score sentences read one per line on stdin; print one 0..1 score per line",
        description="Reads UTF-8 sentences, one per line, and prints one score per line "
        "(higher = more specific); empty lines score 0.",
    )
    run = commands.add_parser(
        "run",
        help="draft the eval cases under two prompt versions, score, compare, gate",
        description="Drafts every case under the candidate prompt version, the baseline and the "
        "built-in naive floor (cached on disk), scores them with the specificity checks, writes "
        "Markdown/HTML/JSON reports. Exit codes: 0 ok, 1 regression, 2 error.",
    )
    add_run_arguments(run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the chosen evaluation command and return its exit status."""
    args = build_parser().parse_args(argv)
    if args.command == "specificity":
        return run_specificity()
    if args.command == "run":
        from evals.run import run_command  # imports the services: only when running

        return run_command(args)
    raise AssertionError(f"unhandled command {args.command!r}")  # argparse rejects unknown ones


if __name__ == "__main__":
    sys.exit(main())
