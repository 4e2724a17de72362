"""Plans made over the labelling reflections (evals/grounded/plans/reflections.yaml), as YAML.

    python evals/plan_samples.py OUT.yaml [--only CASE ...]

Each reflection is stored with its eval case's interview (people, stumbles) in a fresh data
directory, and the services' plan is made the day after the interview. Run it as a file with
PYTHONPATH pointing at another checkout to sample that checkout's PlanService (the labelled set's
"old model" plans came from main's model-driven service this way).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from debrief.errors import DebriefError
from debrief.records.models import Reflection
from debrief.services.container import build_services, open_history
from debrief.services.interview_file import read_interview_file, store_interview
from debrief.settings import load_settings

ROOT = Path(__file__).resolve().parent
REFLECTIONS = ROOT / "grounded" / "plans" / "reflections.yaml"
CASES = ROOT / "cases"


def load_scenarios(path: Path = REFLECTIONS) -> list[dict[str, Any]]:
    """The labelling reflections, each with its case's name."""
    loaded: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return loaded


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--only", nargs="*", default=None)
    parser.add_argument("--source", default="model")
    args = parser.parse_args(argv)
    plans: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(data_dir=Path(tmp) / "data")
        opened = open_history(settings)
        services = build_services(settings, opened=opened)
        history = opened.history
        try:
            for scenario in load_scenarios():
                if args.only and scenario["case"] not in args.only:
                    continue
                spec = read_interview_file(CASES / f"{scenario['case']}.yaml")
                if "next_interview_at" in scenario:
                    nxt = scenario["next_interview_at"]
                    spec.next_interview_at = (
                        datetime.fromisoformat(str(nxt)) if nxt is not None else None
                    )
                interview_id = store_interview(history, spec)
                history.save_reflection(
                    Reflection(interview_id=interview_id, **scenario["reflection"])
                )
                started = time.monotonic()
                try:
                    result = services.plan.make_plan(
                        interview_id, today=spec.held_at.date() + timedelta(days=1)
                    )
                except DebriefError as exc:
                    print(scenario["case"], "failed:", exc, file=sys.stderr, flush=True)
                    continue
                plans.append(
                    {
                        "id": f"{args.source}-{scenario['case']}",
                        "source": args.source,
                        "case": scenario["case"],
                        "kept": list(scenario["reflection"]["cause_tags"]),
                        "interview_date": spec.held_at.date().isoformat(),
                        "next_date": spec.next_interview_at.date().isoformat()
                        if spec.next_interview_at
                        else None,
                        "seconds": round(time.monotonic() - started, 1),
                        "steps": [
                            {
                                "action": s.action,
                                "done_when": s.done_when,
                                "cause": s.cause,
                                "due": s.due_date.isoformat(),
                            }
                            for s in result.plan.steps
                        ],
                    }
                )
                print(scenario["case"], plans[-1]["seconds"], file=sys.stderr, flush=True)
                args.out.write_text(
                    yaml.safe_dump(plans, sort_keys=False, allow_unicode=True, width=100),
                    encoding="utf-8",
                )
        finally:
            services.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
