"""What the pages call: interviews, note edits, plan edits and data admin, through the services."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from debrief.errors import InputError
from debrief.records.models import (
    DraftStatus,
    Interview,
    Interviewer,
    PlanStep,
    Reflection,
    Stumble,
)
from debrief.services.container import Services, build_services
from debrief.services.notes import NoteOptions, defects_to_fix
from debrief.settings import Settings
from tests.fakes import FakeChatModel, FakeModelSource


def _save_interview(services: Services) -> Interview:
    return services.interviews.save(
        Interview(company="Northwind", role="Backend Engineer", held_at=datetime(2026, 11, 18, 10)),
        [
            Interviewer(
                interview_id=0,
                name="Maria Chen",
                topics=["moving billing to Kafka streams"],
                questions=["How would you backfill events without double-charging?"],
                takeaways=["I'd replay 6 months of events into a consumer keyed by invoice id"],
            ),
            Interviewer(interview_id=0, name="Dev Patel", topics=["contract tests"]),
        ],
        [(Stumble(interview_id=0, question="Why leave now?"), "Dev Patel")],
    )


def test_an_interview_is_saved_read_and_deleted_with_everything_it_holds(
    world: tuple[Services, FakeChatModel],
) -> None:
    services, _ = world
    saved = _save_interview(services)
    assert saved.id is not None
    details = services.interviews.details(saved.id)
    assert [p.name for p in details.people] == ["Maria Chen", "Dev Patel"]
    assert details.people[0].takeaways == [
        "I'd replay 6 months of events into a consumer keyed by invoice id"
    ]
    (stumble,) = details.stumbles
    assert stumble.interviewer_id == details.people[1].id
    research = services.interviews.add_pasted_research(saved.id, "Northwind ships parcels.")
    assert research.company == "Northwind"
    assert [r.id for r in services.interviews.details(saved.id).research] == [research.id]
    assert services.interviews.companies() == ["Northwind"]
    services.interviews.delete_research(research.id or 0)
    assert services.interviews.details(saved.id).research == ()
    services.interviews.delete(saved.id)
    assert services.interviews.all() == []
    assert services.data.counts()["interviewers"] == 0


def test_research_from_a_bad_file_is_refused_and_nothing_is_stored(
    world: tuple[Services, FakeChatModel],
) -> None:
    services, _ = world
    saved = _save_interview(services)
    with pytest.raises(InputError):
        services.interviews.add_research_file(saved.id or 0, "notes.exe", b"MZ\x00\x01")
    assert services.interviews.details(saved.id or 0).research == ()


def _draft_maria(services: Services, model: FakeChatModel) -> tuple[int, int]:
    saved = _save_interview(services)
    assert saved.id is not None
    jobs, _ = services.notes.jobs(saved.id)
    # The shipped version asks the model only for Maria's own line (her takeaway).
    model.enqueue("I'd replay 6 months of events into a consumer keyed by invoice id.")
    note = services.notes.save(services.notes.draft(jobs[0]))
    assert note.draft_id is not None
    return saved.id, note.draft_id


def test_an_edit_is_a_new_version_with_the_checks_of_the_new_text(
    world: tuple[Services, FakeChatModel],
) -> None:
    services, model = world
    interview_id, draft_id = _draft_maria(services, model)
    overview = services.notes.overview(interview_id)
    maria, dev = overview.people
    drafted = overview.latest[maria.id or 0]
    assert drafted is not None and overview.latest[dev.id or 0] is None
    assert overview.distinctness is None  # one note: nothing to compare
    before = {c.key: c for c in drafted.checks}
    assert before["coverage"].passed

    edited = services.notes.revise(
        draft_id, " Thanks ", "Dear Maria,\n\nThank you for your time.\n\nBest,\nSam\n"
    )
    assert (edited.version, edited.status) == (2, DraftStatus.EDITED)
    assert (edited.subject, edited.body) == (
        "Thanks",
        "Dear Maria,\n\nThank you for your time.\n\nBest,\nSam",
    )
    after = {c.key: c for c in edited.checks}
    assert not after["coverage"].passed and after["coverage"].evidence.findings
    (earlier,) = services.notes.versions(draft_id)
    assert (earlier.subject, earlier.body) == (drafted.subject, drafted.body)

    # Putting the facts back makes the checks pass again: they follow the text, not the version.
    restored = services.notes.revise(draft_id, drafted.subject, drafted.body)
    assert {c.key: c for c in restored.checks}["coverage"].passed


@pytest.mark.parametrize(
    ("subject", "body", "message"),
    [
        ("Thanks", "   ", "empty"),
        ("x" * 201, "Dear Maria,", "subject"),
        ("Thanks", "x" * 10_001, "longer"),
    ],
)
def test_a_bad_edit_is_refused_and_the_note_is_kept(
    world: tuple[Services, FakeChatModel], subject: str, body: str, message: str
) -> None:
    services, model = world
    interview_id, draft_id = _draft_maria(services, model)
    with pytest.raises(InputError, match=message):
        services.notes.revise(draft_id, subject, body)
    kept = services.notes.overview(interview_id).latest
    assert [d.version for d in kept.values() if d] == [1]


def test_an_edit_is_checked_against_the_length_the_user_chose(
    world: tuple[Services, FakeChatModel],
) -> None:
    services, model = world
    _, draft_id = _draft_maria(services, model)
    body = "Dear Maria,\n\n" + "Moving billing to Kafka streams was a fine topic. " * 12
    long_ok = services.notes.revise(draft_id, "Kafka", body, NoteOptions(max_words=250))
    too_long = services.notes.revise(draft_id, "Kafka", body, NoteOptions(max_words=60))
    assert {c.key: c for c in long_ok.checks}["length"].passed
    assert not {c.key: c for c in too_long.checks}["length"].passed


def test_marking_a_note_sent_keeps_its_text(world: tuple[Services, FakeChatModel]) -> None:
    services, model = world
    _, draft_id = _draft_maria(services, model)
    sent = services.notes.mark_sent(draft_id)
    assert sent.status == DraftStatus.SENT and sent.version == 1 and sent.updated_at is not None


def _reflected(services: Services) -> int:
    saved = _save_interview(services)
    assert saved.id is not None
    services.reflection.save(
        Reflection(interview_id=saved.id, unprepared_question="Backfill", cause_tags=["rapport"])
    )
    return saved.id


def _steps(done_when: str = "One page written") -> list[PlanStep]:
    return [
        PlanStep(
            action=action,
            due_date=date(2026, 11, 20 + n),
            done_when=done_when,
            cause="rapport",
        )
        for n, action in enumerate(
            [
                "Write a backfill design",
                "Ask Maria two questions about the Kafka move",
                "Run a mock interview with a friend",
            ]
        )
    ]


def test_an_edited_plan_is_saved_in_order_and_checked(
    world: tuple[Services, FakeChatModel],
) -> None:
    services, _ = world
    interview_id = _reflected(services)
    assert services.plan.view(interview_id) is None
    good = services.plan.save_edited(interview_id, _steps())
    assert good.check.passed, good.check.comment
    assert [s.position for s in good.plan.steps] == [0, 1, 2]
    vague = services.plan.save_edited(interview_id, _steps("I feel confident"))
    assert not vague.check.passed and "nothing you could check" in vague.check.comment
    viewed = services.plan.view(interview_id)
    assert viewed is not None and viewed.check == vague.check  # the check follows the saved steps
    ticked = services.plan.set_done(interview_id, 1, True)
    assert [s.done for s in ticked.plan.steps] == [False, True, False]
    with pytest.raises(InputError):
        services.plan.set_done(interview_id, 7, True)


def test_an_empty_plan_is_refused(world: tuple[Services, FakeChatModel]) -> None:
    services, _ = world
    interview_id = _reflected(services)
    services.plan.save_edited(interview_id, _steps())
    with pytest.raises(InputError, match="at least one step"):
        services.plan.save_edited(interview_id, [])
    kept = services.plan.view(interview_id)
    assert kept is not None and len(kept.plan.steps) == 3


def test_export_then_import_into_a_fresh_directory_rebuilds_the_index(
    world: tuple[Services, FakeChatModel], tmp_path: Path
) -> None:
    services, model = world
    _draft_maria(services, model)
    exported = services.data.export_json().encode()
    counts = services.data.counts()
    other = build_services(Settings(data_dir=tmp_path / "other"), llm=FakeModelSource(model))
    try:
        result = other.data.import_export(exported)
        assert result.counts == counts and result.passages > 0
        assert "1 interviews" in result.summary() and "passages" in result.summary()
        with pytest.raises(InputError, match="records already"):
            other.data.import_export(exported)
    finally:
        other.close()


def test_delete_everything_closes_the_records_and_removes_the_files(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    services = build_services(Settings(data_dir=data_dir), llm=FakeModelSource(FakeChatModel()))
    _save_interview(services)
    removed = services.data.delete_everything()
    assert "debrief.sqlite3" in removed and "index" in removed
    assert not data_dir.exists()
    services.close()  # closing again is harmless


NARRATED = {
    "subject": "Kafka billing migration",
    "opening": "Thank you for walking me through moving billing to Kafka streams.",
    "details": ["Maria mentioned that the migration took 9 months and saved 40% on costs."],
    "closing": "I would bring careful migration work to the Backend Engineer role at Northwind.",
}


def _draft_narrated(services: Services, model: FakeChatModel) -> tuple[int, str]:
    saved = _save_interview(services)
    v1 = services.notes.with_prompt_version(1)  # the JSON-fields version, which narrated
    jobs, _ = v1.jobs(saved.id or 0)
    model.enqueue(json.dumps(NARRATED), json.dumps(NARRATED))  # the repair pass changes nothing
    note = v1.save(v1.draft(jobs[0]))
    (drafted,) = [d for d in services.notes.overview(saved.id or 0).latest.values() if d]
    sendable = next(c for c in drafted.checks if c.key == "sendable")
    assert not sendable.passed
    narrated = next(d for d in defects_to_fix(drafted) if d.key == "third_person")
    assert note.draft_id is not None
    return note.draft_id, narrated.span


def test_a_flagged_sentence_is_rewritten_when_the_rewrite_is_clean(
    world: tuple[Services, FakeChatModel],
) -> None:
    services, model = world
    draft_id, span = _draft_narrated(services, model)
    model.enqueue("I would move billing to Kafka streams one service at a time.")
    revised = services.notes.rewrite_sentence(draft_id, span, "It narrates Maria.")
    assert revised.version == 2
    assert "Maria mentioned" not in revised.body
    assert "I would move billing to Kafka streams one service at a time." in revised.body
    assert "third_person" not in {d.key for d in defects_to_fix(revised)}


@pytest.mark.parametrize(
    "reply",
    [
        "I would move billing to Kafka streams in 12 weeks.",  # a number nobody gave
        "Maria said the move to Kafka streams went well.",  # still narrates her
        "",
    ],
)
def test_a_rewrite_that_adds_or_keeps_a_defect_is_refused(
    world: tuple[Services, FakeChatModel], reply: str
) -> None:
    services, model = world
    draft_id, span = _draft_narrated(services, model)
    model.enqueue(reply)
    with pytest.raises(InputError, match="could not rewrite"):
        services.notes.rewrite_sentence(draft_id, span, "It narrates Maria.")
    assert [v.version for v in services.notes.versions(draft_id)] == []  # nothing saved
