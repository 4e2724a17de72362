"""The interview history: records in SQLite, kept in step with the retrieval index."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from debrief.intake import ResearchText
from debrief.records.models import (
    CompanyResearch,
    Interview,
    Interviewer,
    Reflection,
    Stumble,
)
from debrief.records.store import RecordNotFoundError, RecordStore
from debrief.services.history_documents import (
    interview_document,
    interviewer_document,
    reflection_document,
    research_document,
    stumble_document,
)
from debrief.settings import Settings
from rag.documents import IndexDocument
from rag.index import Hit, RetrievalIndex, SearchFilters, make_client, remove_index_dir

log = logging.getLogger(__name__)

INDEX_DIR = "index"


@dataclass(frozen=True)
class IndexStatus:
    chunks: int
    rebuilt: bool
    notice: str = ""


def open_index(settings: Settings, store: RecordStore) -> tuple[RetrievalIndex, IndexStatus]:
    """Open the index; rebuild it from SQLite when it cannot be opened or is behind."""
    index_dir = settings.data_dir / INDEX_DIR
    try:
        index = RetrievalIndex(make_client(index_dir, settings.chroma_host, settings.chroma_port))
        damaged = False
    except Exception:
        if settings.chroma_host:
            raise  # a server we do not own: never delete anything there
        log.exception("the search index at %s could not be opened; rebuilding it", index_dir)
        remove_index_dir(index_dir)
        index = RetrievalIndex(make_client(index_dir))
        damaged = True
    history = HistoryService(store, index)
    previous = index.revision
    if not damaged and previous == store.revision:
        return index, IndexStatus(index.count(), rebuilt=False)
    chunks = history.rebuild_index()
    if not damaged and previous < 0 and chunks == 0:
        return index, IndexStatus(0, rebuilt=False)  # a new, empty data directory
    if damaged:
        notice = (
            "The search index could not be opened, so it was rebuilt from your records "
            f"({chunks} passages)."
        )
    else:
        notice = (
            "The search index was behind your records and has been brought up to date "
            f"({chunks} passages)."
        )
    return index, IndexStatus(chunks, rebuilt=True, notice=notice)


class HistoryService:
    """Writes go to SQLite first (the truth), then the affected index documents are refreshed.

    If refreshing the index fails, the records are still saved; the index stays marked as
    behind and is rebuilt on the next start.
    """

    def __init__(self, store: RecordStore, index: RetrievalIndex) -> None:
        self.store = store
        self.index = index

    # -- writes ---------------------------------------------------------------------------

    def add_interview(self, interview: Interview) -> Interview:
        before = self.store.revision
        saved = self.store.add_interview(interview)
        self._refresh(before, saved.id)
        return saved

    def update_interview(self, interview: Interview) -> Interview:
        before = self.store.revision
        saved = self.store.update_interview(interview)
        self._refresh(before, saved.id)
        return saved

    def delete_interview(self, interview_id: int) -> None:
        before = self.store.revision
        self.store.delete_interview(interview_id)
        self._refresh(before, interview_id)

    def save_interview_with_people(
        self,
        interview: Interview,
        people: Sequence[Interviewer],
        stumbles: Sequence[tuple[Stumble, str | None]],
    ) -> Interview:
        """Save an interview as the form shows it: people and stumbles not listed are removed.

        `stumbles` pairs each stumble with the name of the interviewer it belongs to (or None).
        Every record is validated before this is called, so a write does not fail half-way on
        bad input; the index is refreshed once at the end.
        """
        store = self.store
        before = store.revision
        saved = (
            store.update_interview(interview) if interview.id else store.add_interview(interview)
        )
        assert saved.id is not None
        kept: dict[str, int] = {}
        existing = {p.id for p in store.list_interviewers(saved.id)}
        for person in people:
            person = person.model_copy(update={"interview_id": saved.id})
            if person.id in existing:
                store.update_interviewer(person)
                existing.discard(person.id)
                assert person.id is not None
                kept[person.name] = person.id
            else:
                added = store.add_interviewer(person.model_copy(update={"id": None}))
                assert added.id is not None
                kept[person.name] = added.id
        for stale in existing:
            if stale is not None:
                store.delete_interviewer(stale)
        for old in store.list_stumbles(saved.id):
            assert old.id is not None
            store.delete_stumble(old.id)
        for stumble, owner in stumbles:
            store.add_stumble(
                stumble.model_copy(
                    update={
                        "id": None,
                        "interview_id": saved.id,
                        "interviewer_id": kept.get(owner or ""),
                    }
                )
            )
        self._refresh(before, saved.id)
        return saved

    def add_interviewer(self, interviewer: Interviewer) -> Interviewer:
        before = self.store.revision
        saved = self.store.add_interviewer(interviewer)
        self._refresh(before, saved.interview_id)
        return saved

    def update_interviewer(self, interviewer: Interviewer) -> None:
        before = self.store.revision
        self.store.update_interviewer(interviewer)
        self._refresh(before, interviewer.interview_id)

    def add_stumble(self, stumble: Stumble) -> Stumble:
        before = self.store.revision
        saved = self.store.add_stumble(stumble)
        self._refresh(before, saved.interview_id)
        return saved

    def save_reflection(self, reflection: Reflection) -> Reflection:
        before = self.store.revision
        saved = self.store.save_reflection(reflection)
        self._refresh(before, saved.interview_id)
        return saved

    def add_research(self, research: CompanyResearch) -> CompanyResearch:
        before = self.store.revision
        saved = self.store.add_research(research)
        if saved.interview_id is not None:
            self._refresh(before, saved.interview_id)
        else:
            self._refresh(
                before,
                None,
                keys=[f"research:{saved.id}"],
                documents=[research_document(saved, None)],
            )
        return saved

    def add_research_text(
        self, research: ResearchText, *, interview_id: int | None = None, company: str = ""
    ) -> CompanyResearch:
        """Store research brought in by `debrief.intake` (pasted, a file or a URL)."""
        return self.add_research(
            CompanyResearch(
                interview_id=interview_id,
                company=company,
                title=research.title,
                source=research.source,
                source_kind=research.source_kind,
                text=research.text,
                fetched_at=research.fetched_at,
            )
        )

    def delete_research(self, research_id: int) -> None:
        research = self.store.get_research(research_id)
        before = self.store.revision
        self.store.delete_research(research_id)
        if research.interview_id is not None:
            self._refresh(before, research.interview_id)
        else:
            self._refresh(before, None, keys=[f"research:{research_id}"], documents=[])

    # -- the index ------------------------------------------------------------------------

    def documents(self, interview_id: int | None = None) -> Iterator[IndexDocument]:
        """Every indexable document (of one interview, when given), built from SQLite."""
        interviews = (
            [self.store.get_interview(interview_id)]
            if interview_id is not None
            else self.store.list_interviews()
        )
        by_id = {i.id: i for i in interviews}
        for interview in interviews:
            document = interview_document(interview)
            if document:
                yield document
        for person in self.store.list_interviewers(interview_id):
            yield interviewer_document(person, by_id[person.interview_id])
        for stumble in self.store.list_stumbles(interview_id):
            yield stumble_document(stumble, by_id[stumble.interview_id])
        reflections = (
            [r for r in [self.store.get_reflection(interview_id)] if r is not None]
            if interview_id is not None
            else self.store.list_reflections()
        )
        for reflection in reflections:
            yield reflection_document(reflection, by_id[reflection.interview_id])
        for research in self.store.list_research(interview_id):
            yield research_document(research, by_id.get(research.interview_id))

    def rebuild_index(self) -> int:
        """Re-index everything from SQLite; returns the number of passages written."""
        revision = self.store.revision
        return self.index.rebuild(self.documents(), revision)

    def search(
        self,
        query: str,
        *,
        k: int = 5,
        filters: SearchFilters | None = None,
        token_budget: int | None = None,
    ) -> list[Hit]:
        return self.index.search(query, k=k, filters=filters, token_budget=token_budget)

    def _refresh(
        self,
        before: int,
        interview_id: int | None,
        *,
        keys: Sequence[str] = (),
        documents: Sequence[IndexDocument] = (),
    ) -> None:
        """Re-index what one write touched; keep the index marked behind if anything failed."""
        try:
            if interview_id is not None:
                try:
                    documents = list(self.documents(interview_id))
                except RecordNotFoundError:
                    documents = []  # the interview was deleted: its chunks go too
            self.index.replace_documents(documents, interview_id=interview_id, keys=keys)
            # Only an index that was current before this write is current after it.
            if self.index.revision == before:
                self.index.mark_revision(self.store.revision)
        except Exception:
            log.exception("refreshing the index after a write failed; it will be rebuilt")
