"""Drafting all notes of an interview vs one note: does the shared prompt prefix pay off?

Builds an interview with three interviewers and a long shared context (company research), then
on the default model measures, for the app's own request path (NotesService.jobs → the same
messages and JSON schema the app sends):

  1. all three notes in a row: the first finds a cold prefix (the server has not seen this
     interview), the 2nd and 3rd reuse the cached prefix;
  2. the same three with the server's prompt cache switched off (`cache_prompt: false`).

Prints prompt tokens per note, time per note, and the ratio all-three / one (goal ≤ 1.4).
Not a test: it prints figures and updates bench/results.md.

    python -m bench.drafting [--model qwen2.5-coder-1.5b]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

from bench.results import RESULTS, reuse_assembled_model, write_section
from debrief.llm.connection import embedded_config
from debrief.llm.embedded import get_embedded_server, stop_all_embedded_servers
from debrief.llm.model_files import PACKAGED_MODELS
from debrief.records.models import Interview, Interviewer
from debrief.services.container import build_services
from debrief.services.notes import RESEARCH_TOKENS
from debrief.settings import Settings
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
    # More pages, as a user pastes them: the retrieval budget decides how much reaches a prompt.
    "Northwind was founded in Rotterdam in 1998 as a two-truck haulier and grew through the "
    "acquisition of three regional carriers; it now runs 38 cross-dock sites and 2,100 trucks. "
    "Revenue last year was 1.2 billion euros, a fifth of it from contract logistics for grocers.",
    "The engineering organisation has about 260 people in 31 teams. Teams own their services end "
    "to end, from design reviews to on-call, and a platform group provides Kubernetes clusters, "
    "a shared Kafka installation, observability with OpenTelemetry and a paved-road service "
    "template in Go and Kotlin.",
    "The 2025 annual report names three priorities: real-time shipment visibility for retailers, "
    "a 30 percent cut in empty truck kilometres through better load planning, and moving billing "
    "off the monolith before its hardware leaves support at the end of 2027.",
    "A conference talk by the head of platform described the move to event streams: topics are "
    "partitioned by customer, consumers must be idempotent, and every event carries a schema "
    "version checked against a registry in CI. Replays are rate limited after the March outage.",
    "Engineers describe the culture as calm and written: decisions go into short design docs, "
    "reviews happen asynchronously across the Lisbon and Toronto offices, and incident reviews "
    "are blameless. Interviews include a system design round and a conversation with product.",
    "The invoice dispute squad shipped a first version of the self-service page in September. "
    "Early numbers showed 41 percent of disputes closed online and a median time-to-resolution "
    "down from nine days to four; the next step is letting customers attach proof of delivery.",
    "Northwind's pricing engine computes freight charges from distance, weight, pallet count and "
    "fuel surcharges. It is a separate service already, and its results feed the invoicing "
    "module, which is why contract tests between the two are a release gate.",
    "Job ads for the platform team ask for experience with PostgreSQL at scale, Kafka or another "
    "log-based broker, and migrating batch systems to streaming without downtime; they mention "
    "a four-day on-call week once every six weeks and a yearly learning budget.",
]


@dataclass
class Timed:
    name: str
    seconds: float
    prompt_tokens: int
    cached_tokens: int
    completion_tokens: int
    prompt_ms: float  # the server's own timings: prompt processing…
    predicted_ms: float  # …and generation
    drafted: int  # speculative tokens proposed…
    accepted: int  # …and kept


def _setup(data_dir: Path, model: str) -> tuple[Any, int]:
    settings = Settings(data_dir=data_dir, embedded_model=model, context_size=4096)
    services = build_services(settings)
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
    interview = services.interviews.save(
        Interview(
            company="Northwind Logistics",
            role="Senior Backend Engineer",
            stage="second round",
            held_at=datetime(2026, 11, 18, 14, 0),
        ),
        [
            Interviewer(interview_id=0, name=name, title=title, topics=topics)
            for name, title, topics in people
        ],
        [],
    )
    assert interview.id is not None
    for text in RESEARCH:
        services.interviews.add_pasted_research(interview.id, text)
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
    timings = response.get("timings", {})
    return Timed(
        job.person.name,
        time.perf_counter() - started,
        int(usage.get("prompt_tokens", 0)),
        int((usage.get("prompt_tokens_details") or {}).get("cached_tokens", 0)),
        int(usage.get("completion_tokens", 0)),
        float(timings.get("prompt_ms", 0.0)),
        float(timings.get("predicted_ms", 0.0)),
        int(timings.get("draft_n", 0)),
        int(timings.get("draft_n_accepted", 0)),
    )


def _hello(base_url: str) -> None:
    """Warm the model itself on an unrelated request, so "cold" means a cold prefix only."""
    httpx.post(
        base_url + "/chat/completions",
        json={"messages": [{"role": "user", "content": "Hello"}], "max_tokens": 4},
        timeout=120,
        trust_env=False,
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", default="qwen2.5-coder-1.5b", choices=list(PACKAGED_MODELS))
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument(
        "--speculative",
        default="none",
        type=str,
        choices=["none", "ngram_simple", "ngram_map_k", "ngram_mod"],
        help="n-gram speculative decoding on the embedded server (off in the app: it measured "
        "slower here, see bench/results.md)",
    )
    parser.add_argument("--ngram-n", type=int, default=4, help="n-gram looked up (speculative)")
    parser.add_argument("--ngram-m", type=int, default=16, help="most tokens drafted at once")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="debrief-bench-") as tmp:
        data_dir = Path(tmp)
        reuse_assembled_model(data_dir, args.model)
        services, interview_id = _setup(data_dir, args.model)
        # This benchmark times the JSON-fields version (one long shared prompt per interview, the
        # server's prompt cache); the shipped frame version is timed by bench.notes_budget.
        jobs, _ = services.notes.with_prompt_version(1).jobs(interview_id)
        config = dataclasses.replace(
            embedded_config(services.settings),
            speculative=args.speculative,
            ngram_n=args.ngram_n,
            ngram_m=args.ngram_m,
        )
        server = get_embedded_server(config)
        shared = jobs[0].messages[0].content
        available = sum(count_tokens(text) for text in RESEARCH)
        # The research block is the last <research> … </research> (the instructions name the tags).
        sent = count_tokens(shared.rsplit("<research>", 1)[1].split("</research>")[0])
        per_note = [count_tokens(shared) + count_tokens(j.messages[1].content) for j in jobs]
        everything = [n - sent + available for n in per_note]
        budget_line = (
            f"Research: {available} tokens stored, {sent} sent per note (the retrieval token "
            f"budget is {RESEARCH_TOKENS}): prompt tokens per note {per_note} (cl100k estimate), "
            f"against {everything} were all of it sent."
        )
        print(budget_line)
        print(
            f"shared prefix: {count_tokens(shared)} tokens (cl100k estimate); "
            f"per-note part: {[count_tokens(j.messages[1].content) for j in jobs]}"
        )
        _hello(server.base_url)

        # Cache on first: its first note finds nothing of this interview in the slot (a cache-off
        # run before it would leave the shared prefix there and flatter the "cold" note).
        with_cache = [_send(server.base_url, job, cache=True) for job in jobs]
        without = [_send(server.base_url, job, cache=False) for job in jobs]
        # 3. As the app does it: the Notes page warms the shared prefix while the user reads it
        # (NotesService.warm_in_background), then "Draft all notes". A restarted server starts
        # with nothing cached; the clock for the notes starts at the click.
        stop_all_embedded_servers()
        server = get_embedded_server(config)
        _hello(server.base_url)
        started = time.perf_counter()
        httpx.post(
            server.base_url + "/chat/completions",
            json={
                "messages": [
                    {"role": "system", "content": shared},
                    {"role": "user", "content": "."},
                ],
                "max_tokens": 1,
                "temperature": 0.0,
            },
            timeout=600,
            trust_env=False,
        )
        warm_seconds = time.perf_counter() - started
        warmed = [_send(server.base_url, job, cache=True) for job in jobs]
        services.close()

    first = with_cache[0]  # the first note pays for the whole prefix
    assert first.cached_tokens < 50, "the first note was meant to find a cold prefix"
    lines = [
        f"## Drafting an interview ({args.model}, {os.cpu_count()} cores, 3 interviewers, "
        f"speculative decoding: {args.speculative}"
        + (f", n={args.ngram_n}, m={args.ngram_m})" if args.speculative != "none" else ")"),
        "",
        "| run | note | prompt tokens | of them cached | prompt (s) | output tokens "
        "| generation tok/s | drafted / accepted | seconds |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, runs in (("cache on", with_cache), ("cache off", without), ("warmed", warmed)):
        lines += [
            f"| {label} | {r.name} | {r.prompt_tokens} | {r.cached_tokens} "
            f"| {r.prompt_ms / 1000:.1f} | {r.completion_tokens} "
            f"| {r.completion_tokens / max(r.predicted_ms / 1000, 1e-9):.1f} "
            f"| {r.drafted} / {r.accepted} | {r.seconds:.1f} |"
            for r in runs
        ]
    total_on = sum(r.seconds for r in with_cache)
    total_off = sum(r.seconds for r in without)
    # "One note of the same output length": the cold note, its generation scaled to the mean
    # output length of the three (notes differ by tens of tokens, which is seconds here).
    mean_out = statistics.mean(r.completion_tokens for r in with_cache)
    one_same_length = (
        first.seconds
        - first.predicted_ms / 1000
        + first.predicted_ms / 1000 * mean_out / max(1, first.completion_tokens)
    )
    lines += [
        "",
        f"All three notes: {total_on:.1f} s with the prefix cache, {total_off:.1f} s without "
        f"({total_off / total_on:.2f}x faster with it).",
        f"All three / one note (cold prefix): {total_on / first.seconds:.2f} as measured, "
        f"{total_on / one_same_length:.2f} against one note of the mean output length "
        f"({mean_out:.0f} tokens) (goal ≤ 1.4).",
        f"With the prefix warmed while the page is read ({warm_seconds:.1f} s, in the "
        f"background): {sum(r.seconds for r in warmed):.1f} s from the click to all three notes, "
        f"{sum(r.seconds for r in warmed) / first.seconds:.2f}x one cold note as measured, "
        f"{sum(r.seconds for r in warmed) / one_same_length:.2f}x against one of the mean "
        "output length.",
        f"Shared prefix: {first.prompt_tokens - first.cached_tokens} prompt tokens processed "
        f"for the first note, {with_cache[1].cached_tokens} of them reused by the next.",
        budget_line,
    ]
    report = "\n".join(lines)
    print(report)
    write_section(args.output, "Drafting an interview", report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
