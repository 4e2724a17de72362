"""How much the app's client path adds over calling llama.cpp directly (prints figures, not a test).

Three paths to the same embedded server, same request, alternated round by round:
  direct  xllamacpp's in-process `handle_chat_completions` with a streaming callback (no HTTP)
  http    a raw httpx streaming POST to the server's /v1/chat/completions
  client  debrief's LLMClient.stream_chat (openai SDK over HTTP), as the app uses it
Goal: client adds < 5 % to the time of a whole draft, compared with direct.

    python bench/llm_overhead.py [--model qwen2.5-coder-1.5b|gemma-3-270m] [--rounds 5]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from bench.results import write_section
from debrief.llm.client import LLMClient
from debrief.llm.connection import embedded_config
from debrief.llm.embedded import get_embedded_server
from debrief.llm.types import ChatMessage, Sampling, StreamStats
from debrief.settings import Settings, default_data_dir

SYSTEM = (
    "You help a job seeker after an interview. Write a short, specific thank-you email. "
    "Use only the facts given; no filler phrases."
)
USER = (
    "Interviewer: Maria Chen, Engineering Manager at Northwind Logistics. Role: Senior Backend "
    "Engineer, second round, video call on 18 November. We discussed moving the billing service "
    "from nightly batch jobs to Kafka streams, how the team handles on-call rotations, and the "
    "plan to split the monolith's invoicing module. She asked how I would backfill six months of "
    "events without double-charging customers. I froze on that question; what I meant to say is "
    "that I would replay into an idempotent consumer keyed by invoice id and compare totals "
    "against the ledger before switching over. Write the email in under 120 words."
)


@dataclass
class Run:
    first_token_s: float
    total_s: float
    tokens: int


def run_direct(server: object, max_tokens: int) -> Run:
    started = time.perf_counter()
    first: list[float] = []
    pieces: list[str] = []

    def on_chunk(chunk: dict[str, Any]) -> bool:
        choices = chunk.get("choices") or [{}]
        content = choices[0].get("delta", {}).get("content")
        if content:
            if not first:
                first.append(time.perf_counter() - started)
            pieces.append(content)
        return False  # False: keep streaming

    request = request_body(max_tokens, stream=True)
    server.handle_chat_completions(request, on_chunk)  # type: ignore[attr-defined]
    return Run(first[0], time.perf_counter() - started, len(pieces))


def run_http(base_url: str, max_tokens: int) -> Run:
    started = time.perf_counter()
    first: float | None = None
    tokens = 0
    with (
        httpx.Client(timeout=300, trust_env=False) as http,
        http.stream(
            "POST", base_url + "/chat/completions", json=request_body(max_tokens, stream=True)
        ) as response,
    ):
        for line in response.iter_lines():
            if not line.startswith("data: ") or line == "data: [DONE]":
                continue
            choices = json.loads(line[6:]).get("choices") or [{}]
            if choices[0].get("delta", {}).get("content"):
                first = first if first is not None else time.perf_counter() - started
                tokens += 1
    return Run(first or 0.0, time.perf_counter() - started, tokens)


def run_client(client: LLMClient, max_tokens: int) -> Run:
    stats = StreamStats()
    messages = [ChatMessage("system", SYSTEM), ChatMessage("user", USER)]
    tokens = sum(
        1 for _ in client.stream_chat(messages, Sampling(max_tokens=max_tokens, seed=7), stats)
    )
    return Run(stats.first_token_s or 0.0, stats.total_s or 0.0, tokens)


def request_body(max_tokens: int, *, stream: bool) -> dict[str, object]:
    return {
        "model": "bench",
        "messages": [{"role": "system", "content": SYSTEM}, {"role": "user", "content": USER}],
        "max_tokens": max_tokens,
        "temperature": 0.0,
        "seed": 7,
        "stream": stream,
    }


def summarise(name: str, runs: list[Run]) -> dict[str, float]:
    total = statistics.median(r.total_s for r in runs)
    first = statistics.median(r.first_token_s for r in runs)
    tokens = statistics.median(r.tokens for r in runs)
    gen_rate = statistics.median(
        (r.tokens - 1) / (r.total_s - r.first_token_s) for r in runs if r.tokens > 1
    )
    return {"ttft_ms": first * 1000, "total_s": total, "tokens": tokens, "gen_tok_s": gen_rate}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--model", default="qwen2.5-coder-1.5b", choices=["qwen2.5-coder-1.5b", "gemma-3-270m"]
    )
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--max-tokens", type=int, default=96)
    parser.add_argument("--output", type=Path, default=Path(__file__).with_name("results.md"))
    args = parser.parse_args()

    data_dir = Path(os.environ.get("DEBRIEF_DATA_DIR") or default_data_dir())
    if not os.access(data_dir.parent if not data_dir.exists() else data_dir, os.W_OK):
        data_dir = Path(tempfile.mkdtemp(prefix="debrief-bench-"))
    settings = Settings(data_dir=data_dir, embedded_model=args.model, context_size=2048)
    started = time.perf_counter()
    server = get_embedded_server(embedded_config(settings))
    ready_s = time.perf_counter() - started
    print(f"model {args.model} ready in {ready_s:.1f} s (load {server.load_seconds:.1f} s)")
    client = LLMClient(
        base_url=server.base_url, model=server.model_id, max_retries=0, use_env_proxies=False
    )

    paths: dict[str, Callable[[], Run]] = {
        "direct": lambda: run_direct(server._server, args.max_tokens),
        "http": lambda: run_http(server.base_url, args.max_tokens),
        "client": lambda: run_client(client, args.max_tokens),
    }
    for run in paths.values():  # warm up: the prompt is cached from here on for every path
        run()
    results: dict[str, list[Run]] = {name: [] for name in paths}
    for _ in range(args.rounds):
        for name, run in paths.items():
            results[name].append(run())

    rows = {name: summarise(name, runs) for name, runs in results.items()}
    base = rows["direct"]
    lines = [
        f"## LLM client overhead ({args.model}, {os.cpu_count()} cores, {args.rounds} rounds, "
        f"{args.max_tokens} max tokens, prompt cached)",
        "",
        "| path | first token (ms) | whole answer (s) | tokens | generation tok/s "
        "| total vs direct |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, row in rows.items():
        ratio = row["total_s"] / base["total_s"]
        lines.append(
            f"| {name} | {row['ttft_ms']:.0f} | {row['total_s']:.2f} | {row['tokens']:.0f} | "
            f"{row['gen_tok_s']:.1f} | {ratio:.3f} |"
        )
    overhead = rows["client"]["total_s"] / base["total_s"] - 1
    lines += ["", f"Client overhead over direct: {overhead * 100:+.1f} % (goal: < 5 %)."]
    print("\n".join(lines))
    lines += ["", f"Run on {time.strftime('%Y-%m-%d')}."]
    write_section(args.output, "LLM client overhead", "\n".join(lines))
    print(f"\nwrote its section of {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
