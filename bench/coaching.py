"""How long Ask, the diagnosis, the Plan and the reframe take on the default model (goal ≤ 45 s).

Stores one eval history (`evals/grounded/histories/`, six interviews) in a scratch data directory
with the assembled model linked in, starts the embedded server once (not timed), then times each
service call as the app makes it, `--rounds` times: a pattern question (answered by code), up
to two questions code cannot answer (the model, then the sentence checks), "Suggest causes"
for the newest reflection, a plan and a reframe for the newest interview. Prints the median and
the worst. Not a test: it prints figures and updates bench/results.md.

    python -m bench.coaching [--history priya_data_analyst] [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.results import RESULTS, reuse_assembled_model, write_section
from debrief.llm.embedded import stop_all_embedded_servers
from debrief.llm.types import ChatMessage, Sampling
from debrief.services.container import build_services, open_history
from debrief.settings import Settings
from evals.histories import load_histories, store_history

GOAL_SECONDS = 45.0
MODEL = "qwen2.5-coder-1.5b"


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.coaching", description=__doc__)
    parser.add_argument("--history", default="priya_data_analyst")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    history = load_histories()[args.history]
    questions = [q.question for q in history.questions]
    with tempfile.TemporaryDirectory(prefix="debrief-bench-coaching-") as folder:
        data_dir = Path(folder)
        reuse_assembled_model(data_dir, MODEL)
        settings = Settings(data_dir=data_dir)
        opened = open_history(settings)
        services = build_services(settings, opened=opened)
        try:
            _refs, ids = store_history(history, opened.history)
            reflected = max(
                (ids[i.key] for i in history.interviews if i.reflection is not None),
            )
            reflection = services.reflection.get(reflected)
            assert reflection is not None
            # The questions code cannot answer go to the model: those are the ones to time.
            open_questions = [q for q in questions if services.ask.prepare(q).answer is None][:2]
            # Start the server and load the model: not timed.
            services.llm.get().chat([ChatMessage(role="user", content="Say OK.")], Sampling(4))
            calls: dict[str, Callable[[], Any]] = {
                "Ask: pattern question (code)": lambda: services.ask.ask(questions[0]),
                **{
                    f"Ask (model): “{q}”": (lambda q=q: services.ask.ask(q))  # type: ignore[misc]
                    for q in open_questions
                },
                "Suggest causes": lambda: services.reflection.propose(reflection),
                "Plan": lambda: services.plan.make_plan(reflected),
                "Reframe": lambda: services.reframe.reframe(reflected),
            }
            timings: dict[str, list[float]] = {name: [] for name in calls}
            for _ in range(args.rounds):
                for name, call in calls.items():
                    started = time.perf_counter()
                    call()
                    timings[name].append(time.perf_counter() - started)
        finally:
            services.close()
            stop_all_embedded_servers()
    lines = [
        f"## Coaching answers ({MODEL}, 2 cores, history {args.history}, {args.rounds} rounds)",
        "",
        "What the user waits for after pressing the button; the goal is 45 s each.",
        "",
        "| call | median s | worst s | within 45 s |",
        "|---|---:|---:|---|",
    ]
    for name, values in timings.items():
        worst = max(values)
        lines.append(
            f"| {name} | {statistics.median(values):.1f} | {worst:.1f} | "
            f"{'yes' if worst <= GOAL_SECONDS else 'no'} |"
        )
    section = "\n".join(lines) + "\n"
    print(section)
    write_section(RESULTS, "Coaching answers", section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
