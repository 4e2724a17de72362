"""Drafting all notes of an interview vs one note: does the shared prompt prefix pay off?

Builds an interview with three interviewers and a long shared context (company research), then
on the default model measures, for the app's own request path (NotesService.jobs → the same
messages and JSON schema the app sends):

  1. one note with a cold prefix (the server has not seen this interview);
  2. all three notes in a row (the 2nd and 3rd reuse the cached prefix);
  3. the same three with the server's prompt cache switched off (`cache_prompt: false`).

Prints prompt tokens per note, time per note, and the ratio all-three / one (goal ≤ 1.4).
Not a test: it prints figures and updates bench/results.md.

    python -m bench.drafting [--model qwen2.5-coder-1.5b]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

from bench.results import RESULTS, write_section
from debrief.llm.connection import embedded_config
from debrief.llm.embedded import get_embedded_server
from debrief.llm.model_files import PACKAGED_MODELS, models_dir
from debrief.records.models import CompanyResearch, Interview, Interviewer
from debrief.services.container import build_services
from debrief.services.notes import RESEARCH_TOKENS
from debrief.settings import Settings, default_data_dir
from debrief.tokens import count_tokens

RESEARCH = [
    "Northwind Logistics moves freight for 1,400 retailers across Europe. Its billing platform was "
    "built in 2014 as nightly batch jobs over a PostgreSQL monolith, and it is being replaced by "
    "event streams on Kafka so that customers see charges within minutes instead of a day later.",
    "The platform team runs a follow-the-sun on-call rotation across Lisbon and Toronto and "
    "publishes every post-mortem on its engineering blog, including the March outage in which a "
    "replayed topic produced duplicate invoices for about 300 customers.",
    "Invoicing is the first module to leave the monolith. The team uses consumer-driven contract "
    "tests between services and keeps a ledger service as the single source of truth for money.",
    "Customer-facing invoice disputes are handled by a product squad that wants a self-service "
    "dispute page; the squad measures time-to-resolution and the share of disputes closed online.",
]


@dataclass
class Timed:
    name: str
    seconds: float
    prompt_tokens: int
    cached_tokens: int
    completion_tokens: int


def _setup(data_dir: Path, model: str) -> tuple[Any, int]:
    settings = Settings(data_dir=data_dir, embedded_model=model, context_size=4096)
    services = build_services(settings)
    history = services.history
    interview = history.add_interview(
        Interview(
            company="Northwind Logistics",
            role="Senior Backend Engineer",
            stage="second round",
            held_at=datetime(2026, 11, 18, 14, 0),
        )
    )
    assert interview.id is not None
    people = [
        (
            "Maria Chen",
            "Engineering Manager",
            ["moving billing from nightly batches to Kafka streams", "the on-call rotation"],
        ),
        (
            "Dev Patel",
            "Staff Engineer",
            ["splitting invoicing out of the monolith", "contract tests between services"],
        ),
        (
            "Priya Raman",
            "Product Lead",
            ["self-service invoice disputes", "measuring time-to-resolution"],
        ),
    ]
    for name, title, topics in people:
        history.add_interviewer(
            Interviewer(interview_id=interview.id, name=name, title=title, topics=topics)
        )
    for n, text in enumerate(RESEARCH):
        history.add_research(
            CompanyResearch(
                interview_id=interview.id,
                company="Northwind Logistics",
                title=f"Research {n + 1}",
                source="pasted",
                text=text,
            )
        )
    return services, interview.id


def _send(base_url: str, job: Any, cache: bool) -> Timed:
    body = {
        "model": "bench",
        "messages": [{"role": m.role, "content": m.content} for m in job.messages],
        "max_tokens": 600,
        "temperature": 0.0,
        "seed": 7,
        "cache_prompt": cache,
        "response_format": {
            "type": "json_schema",
            "json_schema": {"name": "ThankYouNote", "schema": job.schema.model_json_schema()},
        },
    }
    started = time.perf_counter()
    response = httpx.post(
        base_url + "/chat/completions", json=body, timeout=600, trust_env=False
    ).json()
    usage = response.get("usage", {})
    return Timed(
        job.person.name,
        time.perf_counter() - started,
        int(usage.get("prompt_tokens", 0)),
        int((usage.get("prompt_tokens_details") or {}).get("cached_tokens", 0)),
        int(usage.get("completion_tokens", 0)),
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", default="qwen2.5-coder-1.5b", choices=list(PACKAGED_MODELS))
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="debrief-bench-") as tmp:
        data_dir = Path(tmp)
        source = models_dir(Path(os.environ.get("DEBRIEF_DATA_DIR") or default_data_dir()))
        target = models_dir(data_dir)
        target.mkdir(parents=True)
        for existing in source.glob(PACKAGED_MODELS[args.model].file_name + "*"):
            os.link(existing, target / existing.name)  # reuse an assembled model, if any
        services, interview_id = _setup(data_dir, args.model)
        jobs, _ = services.notes.jobs(interview_id)
        server = get_embedded_server(embedded_config(services.settings))
        shared = jobs[0].messages[0].content
        available = sum(count_tokens(text) for text in RESEARCH)
        sent = count_tokens(shared.split("<research>")[1].split("</research>")[0])
        budget_line = (
            f"Research: {available} tokens stored, {sent} sent per note "
            f"(the retrieval token budget is {RESEARCH_TOKENS})."
        )
        print(budget_line)
        print(
            f"shared prefix: {count_tokens(shared)} tokens (cl100k estimate); "
            f"per-note part: {[count_tokens(j.messages[1].content) for j in jobs]}"
        )
        # Warm the model itself on an unrelated request so "cold" means a cold prefix only.
        httpx.post(
            server.base_url + "/chat/completions",
            json={"messages": [{"role": "user", "content": "Hello"}], "max_tokens": 4},
            timeout=120,
            trust_env=False,
        )

        without = [_send(server.base_url, job, cache=False) for job in jobs]
        with_cache = [_send(server.base_url, job, cache=True) for job in jobs]
        services.close()

    one = with_cache[0].seconds  # the first note pays for the whole prefix
    lines = [
        f"## Drafting an interview ({args.model}, {os.cpu_count()} cores, 3 interviewers)",
        "",
        "| run | note | prompt tokens | of them cached | output tokens | seconds |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for label, runs in (("cache off", without), ("cache on", with_cache)):
        lines += [
            f"| {label} | {r.name} | {r.prompt_tokens} | {r.cached_tokens} "
            f"| {r.completion_tokens} | {r.seconds:.1f} |"
            for r in runs
        ]
    total_on = sum(r.seconds for r in with_cache)
    total_off = sum(r.seconds for r in without)
    per_token = statistics.mean(r.seconds / max(1, r.completion_tokens) for r in with_cache[1:])
    lines += [
        "",
        f"All three notes: {total_on:.1f} s with the prefix cache, {total_off:.1f} s without "
        f"({total_off / total_on:.2f}x faster with it).",
        f"All three / one note (cold prefix): {total_on / one:.2f} (goal ≤ 1.4).",
        f"Notes 2 and 3 cost {per_token * 1000:.0f} ms per output token, prompt included.",
        budget_line,
    ]
    report = "\n".join(lines)
    print(report)
    write_section(args.output, "Drafting an interview", report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
