"""Evaluation commands.

`python -m evals run` compares prompt versions over the eval cases (exit 0 ok, 1 regression,
2 error); `python -m evals specificity < sentences.txt` scores sentences; `python -m evals
detectors` measures the defect detectors against the labelled notes; `python -m evals injection`
measures the intake filter on the multilingual attack table and ordinary research; `python -m
evals answers` measures Ask over the interview histories (retrieval recall, or answers to label);
`python -m evals diagnosis` the cause tagger against the labelled reflections; `python -m evals
reframes` the reframe defect detector against the labelled reframes.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from evals.answers_options import add_answers_arguments
from evals.diagnosis import add_diagnosis_arguments, run_diagnosis
from evals.injection import add_injection_arguments, run_injection
from evals.labelled import add_detector_arguments, run_detectors
from evals.reframes import add_reframe_arguments, run_reframes
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
    detectors = commands.add_parser(
        "detectors",
        help="measure the defect detectors against the labelled notes (precision, recall)",
        description="Replays every defect detector on the recorded notes labelled in "
        "evals/labels/*.jsonl and prints, per defect class, labelled positives, true and false "
        "positives, false negatives, precision and recall on one split, and how often 'no "
        "defect found' agrees with the reader's 'sendable'. Exit 2 on bad labels or recordings.",
    )
    add_detector_arguments(detectors)
    injection = commands.add_parser(
        "injection",
        help="measure the intake filter on the multilingual attack table and ordinary research",
        description="Runs the instruction filter over evals/injection/attacks/<lang>.yaml (one "
        "split) and evals/injection/benign/<lang>.yaml; prints per language the attacks dropped "
        "and every ordinary line dropped. Exit 2 on a malformed file.",
    )
    add_injection_arguments(injection)
    answers = commands.add_parser(
        "answers",
        help="Ask over the interview histories: gold-record recall, or answers to label",
        description="Stores each history of evals/grounded/histories/ in a fresh data directory. "
        "--retrieval prints, per question, how many of its gold records reach the answer's "
        "context before and now; --generate FILE answers every question with the configured "
        "model and writes answers, sources and detector findings for labelling.",
    )
    add_answers_arguments(answers)
    diagnosis = commands.add_parser(
        "diagnosis",
        help="measure the cause tagger against the labelled reflections (precision, recall)",
        description="Tags every reflection of evals/grounded/reflections/<split>.yaml with the "
        "rules of debrief/services/causes.py and prints, per cause tag, gold positives, true and "
        "false positives, false negatives, precision and recall, then micro and macro averages. "
        "Exit 2 on a malformed file.",
    )
    add_diagnosis_arguments(diagnosis)
    reframes = commands.add_parser(
        "reframes",
        help="measure the reframe defect detector against the labelled reframes",
        description="Runs debrief/checks/reframe.py over evals/grounded/reframes/labelled.jsonl "
        "(one split) and prints precision and recall per defect class.",
    )
    add_reframe_arguments(reframes)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the chosen evaluation command and return its exit status."""
    args = build_parser().parse_args(argv)
    if args.command == "specificity":
        return run_specificity()
    if args.command == "run":
        from evals.run import run_command  # imports the services: only when running

        return run_command(args)
    if args.command == "detectors":
        return run_detectors(args)
    if args.command == "injection":
        return run_injection(args)
    if args.command == "answers":
        from evals.answers import run_answers  # imports the services: only when running

        return run_answers(args)
    if args.command == "diagnosis":
        return run_diagnosis(args)
    if args.command == "reframes":
        return run_reframes(args)
    raise AssertionError(f"unhandled command {args.command!r}")  # argparse rejects unknown ones


if __name__ == "__main__":
    sys.exit(main())
