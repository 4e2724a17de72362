"""The Chroma index: derived from SQLite, rebuildable, searched with filters, MMR and a budget."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from debrief.tokens import count_tokens
from rag.chunking import chunk_text
from rag.documents import IndexDocument
from rag.embeddings import MODEL_ID, MiniLMEmbedder, MiniLMEmbeddingFunction, get_embedder

log = logging.getLogger(__name__)

COLLECTION = "debrief"
CHUNK_TOKENS = 200
CHUNK_OVERLAP = 40
NEAR_DUPLICATE = 0.95  # cosine similarity above which two hits say the same thing
_ADD_BATCH = 256


@dataclass(frozen=True)
class Citation:
    """Where a hit comes from: the SQLite record and the character span inside its text."""

    kind: str
    record_id: int
    interview_id: int | None
    start: int
    end: int
    title: str


@dataclass(frozen=True)
class Hit:
    text: str
    score: float  # cosine similarity to the query, -1..1
    tokens: int
    citation: Citation


@dataclass(frozen=True)
class SearchFilters:
    interview_id: int | None = None
    company: str | None = None
    kinds: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    cause: str | None = None

    def where(self) -> dict[str, Any] | None:
        clauses: list[dict[str, Any]] = []
        if self.interview_id is not None:
            clauses.append({"interview_id": self.interview_id})
        if self.company:
            clauses.append({"company": self.company})
        if self.kinds:
            clauses.append({"kind": {"$in": list(self.kinds)}})
        if self.date_from:
            clauses.append({"day": {"$gte": self.date_from.toordinal()}})
        if self.date_to:
            clauses.append({"day": {"$lte": self.date_to.toordinal()}})
        if self.cause:
            clauses.append({f"cause_{self.cause}": True})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def make_client(index_dir: Path, host: str | None = None, port: int | None = None) -> Any:
    """Embedded PersistentClient in the data directory, or HttpClient for a Chroma server."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=True)
    if host:
        return chromadb.HttpClient(host=host, port=port or 8000, settings=chroma_settings)
    index_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(index_dir), settings=chroma_settings)


def forget_persistent_clients() -> None:
    """Drop Chroma's cached clients, so a deleted or rebuilt directory is opened afresh."""
    from chromadb.api.shared_system_client import SharedSystemClient

    SharedSystemClient.clear_system_cache()


class RetrievalIndex:
    """One Chroma collection holding chunks of every indexed record."""

    def __init__(self, client: Any, embedder: MiniLMEmbedder | None = None) -> None:
        self._client = client
        self._embedder = embedder or get_embedder()
        self._collection = self._open_collection()

    def _open_collection(self) -> Any:
        return self._client.get_or_create_collection(
            COLLECTION,
            embedding_function=MiniLMEmbeddingFunction(),
            metadata={"hnsw:space": "cosine", "embedding_model": MODEL_ID, "revision": -1},
        )

    # -- bookkeeping ----------------------------------------------------------------------

    @property
    def revision(self) -> int:
        """The record-store revision this index was last brought up to (-1: never)."""
        metadata = self._collection.metadata or {}
        return int(metadata.get("revision", -1))

    def mark_revision(self, revision: int) -> None:
        metadata = dict(self._collection.metadata or {})
        metadata.pop("hnsw:space", None)  # fixed at creation; Chroma refuses to modify it
        metadata["revision"] = revision
        self._collection.modify(metadata=metadata)

    def count(self) -> int:
        return int(self._collection.count())

    # -- writing --------------------------------------------------------------------------

    def replace_documents(
        self,
        documents: Iterable[IndexDocument],
        *,
        interview_id: int | None = None,
        keys: Sequence[str] = (),
    ) -> int:
        """Remove the chunks of an interview (or of the given record keys), then add `documents`."""
        if interview_id is not None:
            self._collection.delete(where={"interview_id": interview_id})
        for key in keys:
            self._collection.delete(where={"doc_key": key})
        return self.add_documents(documents)

    def add_documents(self, documents: Iterable[IndexDocument]) -> int:
        """Chunk, embed and add; returns the number of chunks written."""
        ids: list[str] = []
        texts: list[str] = []
        metadatas: list[dict[str, Any]] = []
        for document in documents:
            for number, chunk in enumerate(chunk_text(document.text, CHUNK_TOKENS, CHUNK_OVERLAP)):
                ids.append(f"{document.key}#{number}")
                texts.append(chunk.text)
                metadatas.append(_metadata(document, chunk.start, chunk.end, chunk.tokens))
        for start in range(0, len(ids), _ADD_BATCH):
            end = start + _ADD_BATCH
            vectors = self._embedder.embed(texts[start:end])
            self._collection.upsert(
                ids=ids[start:end],
                documents=texts[start:end],
                metadatas=metadatas[start:end],
                embeddings=[row for row in vectors],
            )
        return len(ids)

    def rebuild(self, documents: Iterable[IndexDocument], revision: int) -> int:
        """Drop everything and index `documents` afresh."""
        try:
            self._client.delete_collection(COLLECTION)
        except Exception:  # absent or unreadable: either way we start over
            log.info("no collection to delete before the rebuild")
        self._collection = self._open_collection()
        written = self.add_documents(documents)
        self.mark_revision(revision)
        return written

    # -- reading --------------------------------------------------------------------------

    def search(
        self,
        query: str,
        *,
        k: int = 5,
        filters: SearchFilters | None = None,
        token_budget: int | None = None,
        diversity: float = 0.3,
    ) -> list[Hit]:
        """Up to `k` relevant, non-redundant hits (MMR), fitting in `token_budget` tokens."""
        if not query.strip():
            return []
        # No count() first: it scans the collection (10 ms at 100k chunks); an empty collection
        # simply returns no documents.
        query_vector = self._embedder.embed([query])[0]
        found = self._collection.query(
            query_embeddings=[query_vector],
            n_results=max(k * 4, 20),
            where=(filters or SearchFilters()).where(),
            include=["documents", "metadatas", "embeddings", "distances"],
        )
        documents = found["documents"][0]
        if not documents:
            return []
        vectors = np.asarray(found["embeddings"][0], dtype=np.float32)
        relevance = vectors @ query_vector
        chosen = _mmr(relevance, vectors, k, diversity)
        hits: list[Hit] = []
        used = 0
        for index in chosen:
            meta = found["metadatas"][0][index]
            tokens = int(meta.get("tokens") or count_tokens(documents[index]))
            if token_budget is not None and used + tokens > token_budget:
                continue
            used += tokens
            hits.append(Hit(documents[index], float(relevance[index]), tokens, _citation(meta)))
        return hits


def _mmr(
    relevance: np.ndarray[Any, Any], vectors: np.ndarray[Any, Any], k: int, diversity: float
) -> list[int]:
    """Maximal marginal relevance, skipping near-duplicates of hits already chosen."""
    chosen: list[int] = []
    candidates = list(range(len(relevance)))
    while candidates and len(chosen) < k:
        if chosen:
            redundancy = (vectors[candidates] @ vectors[chosen].T).max(axis=1)
        else:
            redundancy = np.zeros(len(candidates))
        scores = (1 - diversity) * relevance[candidates] - diversity * redundancy
        best = int(np.argmax(scores))
        pick = candidates.pop(best)
        if chosen and redundancy[best] > NEAR_DUPLICATE:
            continue
        chosen.append(pick)
    return chosen


def _metadata(document: IndexDocument, start: int, end: int, tokens: int) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "doc_key": document.key,
        "kind": document.kind,
        "record_id": document.record_id,
        "interview_id": document.interview_id if document.interview_id is not None else -1,
        "company": document.company,
        "title": document.title,
        "start": start,
        "end": end,
        "tokens": tokens,
    }
    if document.day is not None:
        meta["day"] = document.day.toordinal()
    for tag in document.cause_tags:
        meta[f"cause_{tag}"] = True
    return meta


def _citation(meta: dict[str, Any]) -> Citation:
    interview_id = int(meta["interview_id"])
    return Citation(
        kind=str(meta["kind"]),
        record_id=int(meta["record_id"]),
        interview_id=None if interview_id < 0 else interview_id,
        start=int(meta["start"]),
        end=int(meta["end"]),
        title=str(meta["title"]),
    )


def remove_index_dir(index_dir: Path) -> None:
    forget_persistent_clients()
    shutil.rmtree(index_dir, ignore_errors=True)
