"""How fast the retrieval layer embeds, writes and searches (prints figures, not a test).

  embedding   the real MiniLM embedder on generated short sentences and paragraphs, batch 32
  add         chunks/s into an embedded Chroma PersistentClient in a temporary directory; the
              bulk vectors are synthetic (seeded numpy, clustered around real MiniLM vectors)
              so 100k chunks do not take an hour of model time
  query       p50/p95 over --queries queries, alternated round by round:
                raw       collection.query k=5 (documents, metadatas, distances), random vector
                filtered  the same with where company = X and kind in (reflection, stumble)
                search    RetrievalIndex.search(k=5, SearchFilters(...)): embeds the query text
                          with the real model, fetches candidates with embeddings, runs MMR
Goal: filtered query p95 < 50 ms at 10k chunks.

    python bench/retrieval.py [--sizes 10000 100000] [--queries 200]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from bench.results import write_section
from debrief.records.models import CAUSE_TAGS
from rag.embeddings import DIMENSIONS, MODEL_ID, MiniLMEmbedder
from rag.index import RetrievalIndex, SearchFilters, forget_persistent_clients, make_client

Vector = np.ndarray[Any, np.dtype[np.float32]]

SEED = 20261125
EMBED_BATCH = 32
EMBED_ROUNDS = 3
FILTER_KINDS = ("reflection", "stumble")
# Share of records per kind. Notes and research are long: 1-6 chunks each, the others one, so
# reflections and stumbles are about 31 % of chunks and the filter keeps about 1.6 % of them.
KIND_WEIGHTS = {"interview": 0.1, "interviewer": 0.15, "stumble": 0.3, "reflection": 0.25}
KIND_WEIGHTS["research"] = 1 - sum(KIND_WEIGHTS.values())
CLUSTER_NOISE = 0.04  # per-dimension sd around a real vector: cosine to it about 0.8

COMPANIES = tuple(
    f"{first} {second}"
    for first, second in zip(
        (
            *("Northwind", "Contoso", "Fabrikam", "Initech", "Globex", "Umbrella", "Hooli"),
            *("Vandelay", "Wayne", "Stark", "Acme", "Tyrell", "Cyberdyne", "Soylent", "Wonka"),
            *("Aperture", "Massive", "Pied", "Dunder", "Oscorp"),
        ),
        (
            *("Logistics", "Labs", "Systems", "Health", "Analytics", "Robotics", "Media"),
            *("Bank", "Energy", "Foods", "Cloud", "Pay", "Networks", "Games", "Bio"),
            *("Motors", "Retail", "Security", "Travel", "Insurance"),
        ),
        strict=True,
    )
)

SUBJECTS = (
    "I",
    "the hiring manager",
    "the recruiter",
    "the panel",
    "my interviewer",
    "the staff engineer",
    "the team lead",
    "the VP of engineering",
    "the product manager",
    "the second interviewer",
)
VERBS = (
    "asked about",
    "pushed back on",
    "wanted details of",
    "spent ten minutes on",
    "was impressed by",
    "challenged",
    "kept returning to",
    "skipped over",
    "compared notes on",
    "drew a diagram of",
    "questioned",
    "explained",
)
TOPICS = (
    "the billing migration",
    "on-call rotations",
    "rate limiting for the public API",
    "the Kafka backfill without double charges",
    "my leadership of the payments team",
    "a conflict with a product owner",
    "the monolith split",
    "salary expectations",
    "why I left my last job",
    "a time I missed a deadline",
    "database sharding",
    "the take-home exercise",
    "cache invalidation across regions",
    "hiring and mentoring juniors",
    "the roadmap for the mobile app",
    "observability and tracing",
    "GDPR data deletion",
    "an outage I caused",
    "test flakiness in CI",
    "my side project on embeddings",
    "remote work and time zones",
    "the company's Series C funding",
    "their competitor's pricing",
    "a whiteboard graph problem",
    "the STAR story about the warehouse robots",
    "stakeholder management",
    "zero-downtime schema changes",
    "how they measure engineering impact",
)
MANNERS = (
    "and I answered too quickly",
    "and I lost the thread halfway",
    "which I had prepared well",
    "but I forgot the numbers",
    "and we ran out of time",
    "so I asked for a minute to think",
    "and the rapport felt strong",
    "while I rambled about details",
    "and I should have given an example",
    "which caught me unprepared",
    "and I mixed up two projects",
    "then moved on without follow-up",
)
FILLERS = (
    "honestly",
    "on Tuesday",
    "in the second round",
    "over video",
    "at the whiteboard",
    "near the end",
    "before lunch",
    "after the coding part",
    "during the culture fit chat",
    "on site in Berlin",
    "with the CTO listening",
    "for the third time",
)
QUERY_TEMPLATES = (
    "how did I answer the question about {topic}",
    "what did {subject} at {company} ask about {topic}",
    "where did I stumble on {topic}",
    "what do I wish I had said about {topic}",
    "notes on {topic} from my {company} interview",
    "which interviewer cared about {topic}",
    "research about {company} and {topic}",
    "my reflections on rapport when discussing {topic}",
)


@dataclass(frozen=True)
class Latency:
    p50_ms: float
    p95_ms: float


@dataclass(frozen=True)
class SizeResult:
    chunks: int
    batch: int
    add_s: float
    first_query_ms: float
    reopen_query_ms: float
    disk_mb: float
    selectivity: float
    latencies: dict[str, Latency]

    @property
    def add_rate(self) -> float:
        return self.chunks / self.add_s


# -- generated text ------------------------------------------------------------------------


def sentence(rng: np.random.Generator) -> str:
    """One 10-15 word sentence about an interview, drawn from varied parts."""
    subject = str(rng.choice(SUBJECTS))
    text = f"{subject.capitalize()} {rng.choice(VERBS)} {rng.choice(TOPICS)} {rng.choice(MANNERS)}"
    words = text.split()
    while len(words) < 10 or rng.random() < 0.3:
        words += str(rng.choice(FILLERS)).split()
    return " ".join(words[:15]) + "."


def paragraph(rng: np.random.Generator) -> str:
    """80-120 words: sentences until the target length, with a company and a number thrown in."""
    target = int(rng.integers(80, 121))
    words = [str(rng.choice(COMPANIES)).split()[0], "round", str(int(rng.integers(1, 6))) + ":"]
    while len(words) < target:
        words += sentence(rng).split()
        if rng.random() < 0.3:
            words += str(rng.choice(FILLERS)).split()
    return " ".join(words[:target]).rstrip(".") + "."


def query_text(rng: np.random.Generator) -> str:
    template = str(rng.choice(QUERY_TEMPLATES))
    return template.format(
        topic=rng.choice(TOPICS), subject=rng.choice(SUBJECTS), company=rng.choice(COMPANIES)
    )


def measure_embedding(
    embedder: MiniLMEmbedder, texts: Sequence[str], label: str
) -> tuple[str, float]:
    """Texts per second over EMBED_ROUNDS passes (median, with the range: the machine is shared)."""
    embedder.embed(list(texts[:EMBED_BATCH]))  # warm up: first runs allocate the arena
    rates = [len(texts) / timed(lambda: embedder.embed(list(texts))) for _ in range(EMBED_ROUNDS)]
    rate = float(np.median(rates))
    words = sum(len(text.split()) for text in texts) / len(texts)
    line = (
        f"- {label} ({len(texts)} texts, {words:.0f} words on average): {rate:,.0f} /s "
        f"(median of {EMBED_ROUNDS} passes, range {min(rates):,.0f}-{max(rates):,.0f})"
    )
    return line, rate


# -- synthetic index -----------------------------------------------------------------------


@dataclass(frozen=True)
class Corpus:
    ids: list[str]
    documents: list[str]
    metadatas: list[dict[str, Any]]
    vectors: Vector


def synthetic_corpus(
    size: int, texts: Sequence[str], anchors: Vector, rng: np.random.Generator
) -> Corpus:
    """`size` chunks with metadata shaped like rag.index._metadata and clustered unit vectors."""
    interviews = max(size // 25, len(COMPANIES))
    interview_company = rng.integers(0, len(COMPANIES), interviews)
    interview_day = date(2025, 1, 1).toordinal() + rng.integers(0, 700, interviews)
    kinds = list(KIND_WEIGHTS)
    weights = np.array([KIND_WEIGHTS[kind] for kind in kinds])
    ids: list[str] = []
    documents: list[str] = []
    metadatas: list[dict[str, Any]] = []
    record_id = 0
    while len(ids) < size:
        record_id += 1
        kind = kinds[int(rng.choice(len(kinds), p=weights))]
        interview = int(rng.integers(0, interviews))
        company = COMPANIES[int(interview_company[interview])]
        chunks = int(rng.integers(1, 7)) if kind in ("research", "interview") else 1
        causes = (
            rng.choice(CAUSE_TAGS, size=int(rng.integers(0, 3)), replace=False)
            if kind == "reflection"
            else ()
        )
        start = 0
        for number in range(min(chunks, size - len(ids))):
            text = texts[(record_id * 7 + number) % len(texts)]
            meta: dict[str, Any] = {
                "doc_key": f"{kind}:{record_id}",
                "kind": kind,
                "record_id": record_id,
                "interview_id": interview if kind != "research" or rng.random() < 0.5 else -1,
                "company": company,
                "title": f"{kind.capitalize()}: {company}",
                "start": start,
                "end": start + len(text),
                "tokens": int(len(text.split()) * 1.3),
                "day": int(interview_day[interview]),
            }
            for tag in causes:
                meta[f"cause_{tag}"] = True
            start += len(text) - 120  # chunks overlap, as CHUNK_OVERLAP makes them
            ids.append(f"{kind}:{record_id}#{number}")
            documents.append(text)
            metadatas.append(meta)
    noise = rng.standard_normal((size, DIMENSIONS), dtype=np.float32) * CLUSTER_NOISE
    vectors = anchors[rng.integers(0, len(anchors), size)] + noise
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return Corpus(ids, documents, metadatas, vectors.astype(np.float32))


def random_unit_vectors(count: int, rng: np.random.Generator) -> Vector:
    vectors = rng.standard_normal((count, DIMENSIONS), dtype=np.float32)
    normalised: Vector = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    return normalised


def filtered_where(company: str) -> dict[str, Any]:
    return {"$and": [{"company": company}, {"kind": {"$in": list(FILTER_KINDS)}}]}


def percentiles(samples_s: Sequence[float]) -> Latency:
    values = np.asarray(samples_s) * 1000
    return Latency(float(np.percentile(values, 50)), float(np.percentile(values, 95)))


def timed(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def directory_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def build_index(
    index_dir: Path, corpus: Corpus, embedder: MiniLMEmbedder
) -> tuple[RetrievalIndex, int, float]:
    """The app's RetrievalIndex over `corpus`, added in the largest batches Chroma takes."""
    client = make_client(index_dir)
    index = RetrievalIndex(client, embedder)
    collection = index._collection  # the app's own collection, so search() sees this data
    max_batch: Callable[[], int] = getattr(client, "get_max_batch_size", lambda: 5000)
    size = len(corpus.ids)
    batch = min(int(max_batch()), size)
    started = time.perf_counter()
    for start in range(0, size, batch):
        end = start + batch
        collection.add(
            ids=corpus.ids[start:end],
            documents=corpus.documents[start:end],
            metadatas=corpus.metadatas[start:end],
            embeddings=corpus.vectors[start:end],
        )
    add_s = time.perf_counter() - started
    assert index.count() == size
    return index, batch, add_s


@dataclass(frozen=True)
class QueryRun:
    latencies: dict[str, Latency]
    first_query_ms: float
    sample_query: str
    sample_company: str


def query_latencies(
    index: RetrievalIndex, embedder: MiniLMEmbedder, queries: int, rng: np.random.Generator
) -> QueryRun:
    """Every query path, alternated round by round so drift in machine load hits all alike."""
    collection = index._collection
    probe = random_unit_vectors(queries + 1, rng)
    first_query_s = timed(
        lambda: collection.query(
            query_embeddings=probe[-1:], n_results=5, where=filtered_where(COMPANIES[0])
        )
    )
    companies = [COMPANIES[int(i)] for i in rng.integers(0, len(COMPANIES), queries)]
    texts = [query_text(rng) for _ in range(queries)]
    include = ["documents", "metadatas", "distances"]
    paths: dict[str, Callable[[int], object]] = {
        "raw": lambda i: collection.query(
            query_embeddings=probe[i : i + 1], n_results=5, include=include
        ),
        "filtered": lambda i: collection.query(
            query_embeddings=probe[i : i + 1],
            n_results=5,
            where=filtered_where(companies[i]),
            include=include,
        ),
        "search": lambda i: index.search(
            texts[i], k=5, filters=SearchFilters(company=companies[i], kinds=FILTER_KINDS)
        ),
        "search_unfiltered": lambda i: index.search(texts[i], k=5),
        # The parts of search(), to see where its time goes.
        "embed": lambda i: embedder.embed([texts[i]]),
        "count": lambda i: index.count(),
        "candidates": lambda i: collection.query(
            query_embeddings=probe[i : i + 1],
            n_results=20,
            where=filtered_where(companies[i]),
            include=["documents", "metadatas", "embeddings", "distances"],
        ),
    }
    for warm in range(3):
        for run in paths.values():
            run(warm)
    samples: dict[str, list[float]] = {name: [] for name in paths}
    for i in range(queries):
        for name, run in paths.items():
            begun = time.perf_counter()
            run(i)
            samples[name].append(time.perf_counter() - begun)
    hits = index.search(texts[0], k=5, filters=SearchFilters(company=companies[0]))
    assert hits, "search() found nothing for a company that has chunks"
    return QueryRun(
        latencies={name: percentiles(values) for name, values in samples.items()},
        first_query_ms=first_query_s * 1000,
        sample_query=texts[0],
        sample_company=companies[0],
    )


def measure_size(
    size: int, queries: int, embedder: MiniLMEmbedder, texts: Sequence[str], anchors: Vector
) -> SizeResult:
    rng = np.random.default_rng(SEED + size)
    corpus = synthetic_corpus(size, texts, anchors, rng)
    per_company = [
        sum(1 for m in corpus.metadatas if m["company"] == c and m["kind"] in FILTER_KINDS)
        for c in COMPANIES
    ]
    index_dir = Path(tempfile.mkdtemp(prefix="debrief-bench-retrieval-"))
    try:
        index, batch, add_s = build_index(index_dir, corpus, embedder)
        print(f"{size:,} chunks: added in {add_s:.1f} s ({size / add_s:,.0f} chunks/s)")
        run = query_latencies(index, embedder, queries, rng)
        disk_mb = directory_mb(index_dir)
        # A restarted app opens the directory afresh and loads the index from disk.
        del index
        forget_persistent_clients()
        started = time.perf_counter()
        reopened = RetrievalIndex(make_client(index_dir), embedder)
        reopened.search(run.sample_query, k=5, filters=SearchFilters(company=run.sample_company))
        reopen_query_s = time.perf_counter() - started
        del reopened
    finally:
        forget_persistent_clients()
        shutil.rmtree(index_dir, ignore_errors=True)
    return SizeResult(
        chunks=size,
        batch=batch,
        add_s=add_s,
        first_query_ms=run.first_query_ms,
        reopen_query_ms=reopen_query_s * 1000,
        disk_mb=disk_mb,
        selectivity=sum(per_company) / len(per_company) / size,
        latencies=run.latencies,
    )


# -- report --------------------------------------------------------------------------------


ROWS = (
    ("raw", "raw query k=5, unfiltered"),
    ("filtered", "raw query k=5, where company + kind"),
    ("search", "`RetrievalIndex.search` k=5, same filter (full path)"),
    ("search_unfiltered", "`RetrievalIndex.search` k=5, no filter"),
    ("embed", "… of which: embed the query text"),
    ("count", "… of which: `collection.count()`"),
    ("candidates", "… of which: fetch 20 candidates with embeddings, filtered"),
)


def size_section(result: SizeResult, queries: int) -> list[str]:
    lines = [
        f"### {result.chunks:,} chunks",
        "",
        f"Add: {result.add_rate:,.0f} chunks/s ({result.add_s:.1f} s, `collection.add` in "
        f"batches of {result.batch:,}, synthetic vectors). On disk: {result.disk_mb:,.0f} MB. "
        f"Filter selects {result.selectivity * 100:.1f} % of chunks on average.",
        "",
        f"| query ({queries} each) | p50 (ms) | p95 (ms) |",
        "|---|---:|---:|",
    ]
    for key, label in ROWS:
        latency = result.latencies[key]
        lines.append(f"| {label} | {latency.p50_ms:.1f} | {latency.p95_ms:.1f} |")
    lines += [
        f"| first filtered query right after the build | {result.first_query_ms:.1f} | |",
        f"| reopen the directory + first search (app restart) | {result.reopen_query_ms:.1f} | |",
        "",
    ]
    return lines


def report(
    embedding_lines: Sequence[str],
    paragraph_rate: float,
    results: Sequence[SizeResult],
    queries: int,
    total_s: float,
) -> str:
    import chromadb

    largest = max(result.chunks for result in results)

    lines = [
        f"## Retrieval ({os.cpu_count()} cores, {MODEL_ID}, Chroma {chromadb.__version__})",
        "",
        f"Written by `python bench/retrieval.py` on {time.strftime('%Y-%m-%d')} "
        f"in {total_s / 60:.1f} min.",
        "",
        f"Embedding throughput, real model, batch {EMBED_BATCH}:",
        "",
        *embedding_lines,
        "",
        "Index vectors are synthetic: seeded noise around real MiniLM vectors of generated "
        f"texts, unit length (embedding {largest:,} chunks with the model would take about "
        f"{largest / paragraph_rate / 60:.0f} min here). "
        "Metadata is shaped like the app's (kind, interview, company, day, record, span, tokens, "
        "title, doc_key, cause flags). Raw queries use random unit vectors; the full path embeds "
        "real query strings with the model. Filter: `company = X` and "
        f"`kind in {FILTER_KINDS}`, X varying per query.",
        "",
    ]
    for result in results:
        lines += size_section(result, queries)
    at_10k = [r for r in results if r.chunks == 10_000]
    if at_10k:
        p95 = at_10k[0].latencies["filtered"].p95_ms
        verdict = "met" if p95 < 50 else "NOT met"
        lines.append(f"Goal: filtered query p95 < 50 ms at 10k chunks: {verdict} ({p95:.1f} ms).")
    else:
        lines.append("Goal: filtered query p95 < 50 ms at 10k chunks: not measured (no 10k size).")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--output", type=Path, default=Path(__file__).with_name("results.md"))
    args = parser.parse_args()

    started = time.perf_counter()
    rng = np.random.default_rng(SEED)
    embedder = MiniLMEmbedder(batch_size=EMBED_BATCH)  # as get_embedder() builds it, batch explicit
    sentences = [sentence(rng) for _ in range(384)]
    paragraphs = [paragraph(rng) for _ in range(256)]
    short_line, _ = measure_embedding(embedder, sentences, "short sentences")
    long_line, paragraph_rate = measure_embedding(embedder, paragraphs, "paragraphs")
    print(short_line, long_line, sep="\n")
    anchors = embedder.embed(paragraphs + sentences)

    results = [
        measure_size(size, args.queries, embedder, paragraphs, anchors) for size in args.sizes
    ]
    elapsed = time.perf_counter() - started
    section = report([short_line, long_line], paragraph_rate, results, args.queries, elapsed)
    print()
    print(section)
    write_section(args.output, "Retrieval", section)
    print(f"\nwrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
