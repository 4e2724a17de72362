"""Reframes (and diagnoses) of the scenarios in evals/grounded/reframes/scenarios.yaml.

Each scenario is stored in a fresh data directory (earlier interviews first, then this one with
its interviewers, stumbles, reflection and plan) and the reframe service writes its reframe; one
JSON line per scenario goes to stdout. Used to collect reframes for labelling, from this code or
an older checkout (run it with that checkout first on PYTHONPATH):

    python -m evals.reframe_samples [--diagnosis] [--only s01,s02] > out.jsonl
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import yaml

from debrief.errors import DebriefError
from debrief.llm.connection import LLMConnection
from debrief.records.models import (
    ActionPlan,
    Interview,
    Interviewer,
    PlanStep,
    Reflection,
    Stumble,
)
from debrief.services.container import Services, build_services
from debrief.settings import Settings
from evals.no_model import NoModel

SCENARIOS = Path(__file__).parent / "grounded" / "reframes" / "scenarios.yaml"


def load_scenarios(path: Path = SCENARIOS) -> list[dict[str, Any]]:
    """The scenarios as plain mappings (the file is data written by hand)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, list)
    return data


def _day(value: Any) -> datetime:
    held = value if isinstance(value, date) else date.fromisoformat(str(value))
    return datetime.combine(held, time(10))


def seed(services: Services, scenario: dict[str, Any]) -> int:
    """Store one scenario; return the id of its (latest) interview."""
    history = services.reflection._history  # a sampling tool, not app code
    for earlier in scenario.get("earlier", []):
        past = history.add_interview(
            Interview(
                company=earlier["company"], role=earlier["role"], held_at=_day(earlier["held_at"])
            )
        )
        assert past.id is not None
        history.save_reflection(
            Reflection(
                interview_id=past.id,
                cause_tags=earlier.get("cause_tags", []),
                confidence=earlier.get("confidence", 3),
                free_text=earlier.get("free_text", ""),
            )
        )
    interview = history.add_interview(
        Interview(
            company=scenario["company"],
            role=scenario["role"],
            stage=scenario.get("stage", ""),
            held_at=_day(scenario["held_at"]),
        )
    )
    assert interview.id is not None
    for person in scenario.get("interviewers", []):
        history.add_interviewer(Interviewer(interview_id=interview.id, **person))
    for stumble in scenario.get("stumbles", []):
        history.add_stumble(Stumble(interview_id=interview.id, **stumble))
    history.save_reflection(
        Reflection(
            interview_id=interview.id,
            cause_tags=scenario.get("cause_tags", []),
            confidence=scenario.get("confidence", 3),
            **scenario.get("reflection", {}),
        )
    )
    steps = scenario.get("plan", [])
    if steps:
        due = interview.held_at.date()
        history.store.save_plan(
            ActionPlan(
                interview_id=interview.id,
                steps=[
                    PlanStep(
                        position=n,
                        action=step["action"],
                        due_date=due + timedelta(days=n + 1),
                        done_when="done",
                        done=step.get("done", False),
                    )
                    for n, step in enumerate(steps)
                ],
            )
        )
    return interview.id


def _plan_row(services: Services, interview_id: int, scenario: dict[str, Any]) -> dict[str, Any]:
    made = _day(scenario["held_at"]).date() + timedelta(days=1)
    result = services.plan.make_plan(interview_id, today=made)
    return {
        "kept": list(scenario.get("cause_tags", [])),
        "interview_date": _day(scenario["held_at"]).date().isoformat(),
        "made_on": made.isoformat(),
        "steps": [
            {"action": s.action, "done_when": s.done_when, "cause": s.cause, "due": str(s.due_date)}
            for s in result.plan.steps
        ],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.reframe_samples")
    parser.add_argument("--diagnosis", action="store_true", help="also propose causes")
    parser.add_argument("--only", default="", help="comma-separated scenario ids")
    parser.add_argument("--scenarios", type=Path, default=SCENARIOS)
    parser.add_argument(
        "--template", action="store_true", help="no model: the code's sentences only"
    )
    parser.add_argument(
        "--plan",
        action="store_true",
        help="write each scenario's plan (made the day after, without the scenario's own "
        "plan) instead of its reframe",
    )
    args = parser.parse_args(argv)
    only = {s for s in args.only.split(",") if s}
    settings = Settings()
    # The model in the user's data directory, started once; --template: a source that fails.
    llm: Any = NoModel("no model in --template runs") if args.template else LLMConnection(settings)
    for scenario in load_scenarios(args.scenarios):
        if only and scenario["id"] not in only:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            scoped = settings.model_copy(update={"data_dir": Path(tmp)})
            services = build_services(scoped, llm=llm)
            try:
                if args.plan:
                    scenario = {k: v for k, v in scenario.items() if k != "plan"}
                interview_id = seed(services, scenario)
            except Exception:
                services.close()
                raise
            try:
                row: dict[str, Any] = {"id": scenario["id"]}
                if args.diagnosis:
                    saved = services.reflection.get(interview_id)
                    assert saved is not None
                    proposal = services.reflection.propose(saved)
                    row["tags"] = list(proposal.cause_tags)
                    row["diagnosis"] = proposal.diagnosis
                if args.plan:
                    row.update(_plan_row(services, interview_id, scenario))
                else:
                    reframe = services.reframe.reframe(interview_id)
                    row["reframe"] = reframe.text
                    row["facts"] = list(reframe.evidence)
                    row["rephrased"] = getattr(reframe, "rephrased", None)
            except DebriefError as exc:  # a slow or busy model: note it, go on
                row["error"] = str(exc)
            finally:
                services.close()
        print(json.dumps(row, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
