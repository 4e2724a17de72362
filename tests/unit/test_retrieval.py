"""Retrieval over a real SQLite store and a real Chroma index in a temporary data directory."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from debrief.records.models import CompanyResearch, Reflection
from debrief.services.container import open_history
from debrief.services.history import HistoryService
from debrief.settings import Settings
from rag.index import SearchFilters
from tests.fixtures import retrieval_corpus as corpus


def load_corpus(history: HistoryService) -> dict[str, str]:
    """Store the fixture history; returns fixture key -> index document key."""
    keys: dict[str, str] = {}
    ids: dict[str, int] = {}
    for name, interview in corpus.INTERVIEWS.items():
        saved = history.add_interview(interview)
        assert saved.id is not None
        ids[name] = saved.id
    for name, (owner, person) in corpus.INTERVIEWERS.items():
        saved_person = history.add_interviewer(
            person.model_copy(update={"interview_id": ids[owner]})
        )
        keys[f"interviewer:{name}"] = f"interviewer:{saved_person.id}"
    for name, (owner, stumble) in corpus.STUMBLES.items():
        saved_stumble = history.add_stumble(stumble.model_copy(update={"interview_id": ids[owner]}))
        keys[f"stumble:{name}"] = f"stumble:{saved_stumble.id}"
    for owner, reflection in corpus.REFLECTIONS.items():
        saved_reflection = history.save_reflection(
            reflection.model_copy(update={"interview_id": ids[owner]})
        )
        keys[f"reflection:{owner}"] = f"reflection:{saved_reflection.id}"
    for name, (owner, research) in corpus.RESEARCH.items():
        saved_research = history.add_research(
            research.model_copy(update={"interview_id": ids[owner]})
        )
        keys[f"research:{name}"] = f"research:{saved_research.id}"
    keys.update({f"interview:{name}": str(i) for name, i in ids.items()})
    return keys


def opened_history(data_dir: Path) -> tuple[HistoryService, str]:
    opened = open_history(Settings(data_dir=data_dir))
    return opened.history, opened.notice


@pytest.fixture(scope="module")
def loaded(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[HistoryService, dict[str, str]]]:
    history, _ = opened_history(tmp_path_factory.mktemp("retrieval"))
    keys = load_corpus(history)
    yield history, keys
    history.store.close()


def key_of(hit_kind: str, record_id: int) -> str:
    return f"{hit_kind}:{record_id}"


def test_the_right_record_is_in_the_top_three_for_nearly_every_question(
    loaded: tuple[HistoryService, dict[str, str]],
) -> None:
    history, keys = loaded
    misses = []
    for question, expected in corpus.QUESTIONS:
        hits = history.search(question, k=3)
        found = [key_of(h.citation.kind, h.citation.record_id) for h in hits]
        if keys[expected] not in found:
            misses.append((question, expected, [h.citation.title for h in hits]))
    assert len(corpus.QUESTIONS) >= 10
    assert len(misses) <= len(corpus.QUESTIONS) // 10, misses


def test_every_hit_cites_its_record_and_span(loaded: tuple[HistoryService, dict[str, str]]) -> None:
    history, _ = loaded
    documents = {d.key: d for d in history.documents()}
    hits = history.search("double-charging customers during a backfill", k=5)
    assert hits
    for hit in hits:
        cited = documents[key_of(hit.citation.kind, hit.citation.record_id)]
        assert cited.text[hit.citation.start : hit.citation.end] == hit.text
        assert hit.citation.interview_id == cited.interview_id


@pytest.mark.parametrize(
    ("filters", "check"),
    [
        (SearchFilters(kinds=("stumble",)), lambda h: h.citation.kind == "stumble"),
        (SearchFilters(cause="rapport"), lambda h: h.citation.kind == "reflection"),
        (SearchFilters(date_from=date(2026, 10, 1)), lambda h: h.citation.interview_id is not None),
    ],
)
def test_filters_restrict_the_hits(
    loaded: tuple[HistoryService, dict[str, str]], filters: SearchFilters, check: object
) -> None:
    history, _ = loaded
    hits = history.search("what went wrong in the interview", k=10, filters=filters)
    assert hits
    assert all(check(hit) for hit in hits)  # type: ignore[operator]


def test_company_and_date_filters_match_the_records(
    loaded: tuple[HistoryService, dict[str, str]],
) -> None:
    history, keys = loaded
    northwind = int(keys["interview:northwind"])
    hits = history.search(
        "what happened", k=20, filters=SearchFilters(company="Northwind Logistics")
    )
    assert hits and {h.citation.interview_id for h in hits} == {northwind}
    recent = history.search(
        "what happened", k=20, filters=SearchFilters(date_from=date(2026, 10, 1))
    )
    old_ones = {int(keys["interview:brightside"]), int(keys["interview:ledgerly"])}
    assert recent and not {h.citation.interview_id for h in recent} & old_ones
    rapport = history.search("interview", k=20, filters=SearchFilters(cause="rapport"))
    assert [key_of(h.citation.kind, h.citation.record_id) for h in rapport] == [
        keys["reflection:stmarys"]
    ]


def test_the_token_budget_is_respected(loaded: tuple[HistoryService, dict[str, str]]) -> None:
    history, _ = loaded
    unlimited = history.search("interview problems", k=8)
    budget = sum(h.tokens for h in unlimited[:2])
    limited = history.search("interview problems", k=8, token_budget=budget)
    assert sum(h.tokens for h in limited) <= budget
    assert 1 <= len(limited) < len(unlimited)


def test_near_duplicates_are_returned_once(tmp_path: Path) -> None:
    history, _ = opened_history(tmp_path)
    text = "Northwind is replacing nightly billing batches with event streams on Kafka."
    for source in ("pasted", "copy.txt", "again.md"):
        history.add_research(CompanyResearch(title="Kafka plans", source=source, text=text))
    history.add_research(
        CompanyResearch(title="Other", source="x", text="The team runs on-call weekly.")
    )
    hits = history.search("Kafka event streams", k=3)
    assert sum(1 for h in hits if "Kafka" in h.text) == 1
    history.store.close()


def test_writes_keep_the_index_in_step(tmp_path: Path) -> None:
    history, _ = opened_history(tmp_path)
    keys = load_corpus(history)
    ledgerly = int(keys["interview:ledgerly"])
    history.save_reflection(
        Reflection(
            interview_id=ledgerly, free_text="I mixed up IRR and NPV under pressure.", confidence=2
        )
    )
    assert "IRR" in history.search("IRR and NPV", k=1)[0].text
    assert history.index.revision == history.store.revision
    history.delete_interview(ledgerly)
    assert all(
        h.citation.interview_id != ledgerly for h in history.search("eighteen month gap", k=10)
    )
    history.store.close()


def test_an_index_behind_the_records_is_rebuilt_and_the_user_told(tmp_path: Path) -> None:
    history, notice = opened_history(tmp_path)
    assert notice == ""  # a new, empty data directory needs no message
    load_corpus(history)
    history.index.mark_revision(1)  # as if the app died between a write and its indexing
    history.store.close()
    reopened, notice = opened_history(tmp_path)
    assert "brought up to date" in notice
    assert reopened.index.revision == reopened.store.revision
    assert reopened.search("catheterisation lab", k=1)[0].citation.kind == "research"
    reopened.store.close()


def test_an_index_that_cannot_be_opened_is_rebuilt(tmp_path: Path) -> None:
    history, _ = opened_history(tmp_path)
    load_corpus(history)
    history.store.close()
    from rag.index import forget_persistent_clients

    forget_persistent_clients()
    index_db = tmp_path / "index" / "chroma.sqlite3"
    index_db.write_bytes(b"this is not a database" * 100)
    reopened, notice = opened_history(tmp_path)
    assert "could not be opened" in notice
    assert reopened.search("Brightside stores", k=1)[0].citation.kind == "research"
    reopened.store.close()


def test_research_from_intake_is_stored_and_found(tmp_path: Path) -> None:
    from debrief.intake import research_from_file

    history, _ = opened_history(tmp_path)
    page = (
        b"<html><head><title>Acme careers</title></head><body><p>Acme builds solar inverters.</p>"
    )
    saved = history.add_research_text(research_from_file("acme.html", page), company="Acme")
    assert (saved.title, saved.source, saved.source_kind) == ("Acme careers", "acme.html", "file")
    (hit,) = history.search("solar inverters", k=1)
    assert hit.citation.record_id == saved.id and "solar inverters" in hit.text
    history.store.close()
