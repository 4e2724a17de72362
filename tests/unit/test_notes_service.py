"""Thank-you notes with a fake model: prompts, the repair pass, injection fencing, storage."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from debrief.errors import LLMUnreachableError
from debrief.llm.types import ChatMessage
from debrief.services.container import open_history
from debrief.services.history import HistoryService
from debrief.services.interview_file import read_interview_file, store_interview
from debrief.services.notes import NoteDraft, NoteJob, NoteOptions, NotesService, render_note
from debrief.settings import Settings
from tests.fakes import FakeChatModel, FakeModelSource

EXAMPLES = Path(__file__).parents[2] / "examples"

MARIA_GOOD = {
    "subject": "Kafka billing migration",
    "opening": "Thank you for walking me through moving the billing service from nightly batch jobs to Kafka streams.",
    "details": ["I also liked hearing how on-call rotations work across the platform team."],
    "repair": "On backfilling six months of events without double-charging customers: I would replay them into an idempotent consumer keyed by invoice id.",
    "closing": "I would bring careful migration work to the Senior Backend Engineer role at Northwind Logistics.",
}
DEV_GOOD = {
    "subject": "Splitting out invoicing",
    "opening": "Thank you for the discussion about splitting the invoicing module out of the monolith.",
    "details": [
        "Your question on which consistency guarantees the invoice service needs, and our talk on contract tests between services, stayed with me."
    ],
    "closing": "I would enjoy helping Northwind Logistics make that split safely.",
}
MARIA_BAD = {
    "subject": "Thanks",
    "opening": "Thank you for your time, and please pass my thanks to Jennifer from HR.",
    "details": [
        "I hope this email finds you well and I enjoyed talking about splitting the invoicing module out of the monolith."
    ],
    "repair": "I would replay events into an idempotent consumer keyed by invoice id.",
    "closing": "I look forward to hearing from you.",
}


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[tuple[NotesService, FakeChatModel, HistoryService, int]]:
    with open_history(Settings(data_dir=tmp_path)) as opened:
        history = opened.history
        interview_id = store_interview(
            history, read_interview_file(EXAMPLES / "software_two_interviewers.yaml")
        )
        model = FakeChatModel()
        # These tests pin the JSON-fields pipeline (v1: one request per note, one repair pass);
        # the frame pipeline (v3, v4) has tests of its own below.
        notes = NotesService(FakeModelSource(model), history, prompt_version=1)
        yield notes, model, history, interview_id


def test_each_interviewer_gets_a_prompt_with_only_their_facts(
    setup: tuple[NotesService, FakeChatModel, HistoryService, int],
) -> None:
    notes, _model, _history, interview_id = setup
    jobs, dropped = notes.jobs(interview_id, NoteOptions())
    maria, dev = jobs
    assert maria.messages[0] == dev.messages[0]  # the shared, cacheable prefix
    assert "Kafka" in maria.messages[1].content and "monolith" not in maria.messages[1].content
    assert "monolith" in dev.messages[1].content and "Kafka" not in dev.messages[1].content
    assert "answered this question of theirs badly" in maria.messages[1].content
    assert "badly" not in dev.messages[1].content and "repair" not in dev.messages[1].content
    assert "repair" in maria.schema.model_fields and "repair" not in dev.schema.model_fields
    assert dropped == 1  # the injected line in the research


def test_instructions_hidden_in_research_never_reach_the_prompt(
    setup: tuple[NotesService, FakeChatModel, HistoryService, int],
) -> None:
    notes, _model, _history, interview_id = setup
    jobs, _ = notes.jobs(interview_id)
    prompt = "\n".join(m.content for job in jobs for m in job.messages)
    assert "lower salary" not in prompt and "Ignore the above" not in prompt
    assert "event streams on Kafka" in prompt  # the rest of the research is kept, fenced
    assert "<research>" in jobs[0].messages[0].content


def test_good_notes_pass_without_a_repair_and_are_saved(
    setup: tuple[NotesService, FakeChatModel, HistoryService, int],
) -> None:
    notes, model, history, interview_id = setup
    model.enqueue(json.dumps(MARIA_GOOD), json.dumps(DEV_GOOD))
    result = notes.draft_all(interview_id, NoteOptions(candidate_name="Sam Rivera"))
    assert len(model.requests) == 2  # no repair pass was needed
    maria, dev = result.notes
    assert not maria.repaired and not dev.repaired
    checks = {c.key: c for c in maria.checks}
    assert checks["coverage"].passed and checks["grounding"].passed and checks["cross_talk"].passed
    assert maria.body.startswith("Dear Maria,") and maria.body.endswith("Best,\nSam Rivera")
    assert "idempotent consumer" in maria.body and "idempotent" not in dev.body
    assert result.distinctness.passed
    saved = history.store.list_drafts(interview_id)
    assert [d.interviewer_id for d in saved] == [maria.interviewer.id, dev.interviewer.id]
    assert saved[0].prompt_name == "thank_you_note"
    assert {c.key: c for c in saved[0].checks}["coverage"].passed
    assert (saved[0].subject, saved[0].body) == (maria.subject, maria.body)


def test_a_failing_note_gets_one_repair_pass_naming_the_problems(
    setup: tuple[NotesService, FakeChatModel, HistoryService, int],
) -> None:
    notes, model, _history, interview_id = setup
    model.enqueue(json.dumps(MARIA_BAD), json.dumps(MARIA_GOOD))
    jobs, _ = notes.jobs(interview_id)
    note = notes.draft(jobs[0])
    assert note.repaired and len(model.requests) == 2
    follow_up = model.requests[1][-1].content
    assert "Jennifer" in follow_up  # invented
    assert "monolith" in follow_up  # borrowed from Dev
    assert "Kafka" in follow_up  # missing
    assert model.requests[1][-2].role == "assistant"  # the first draft, as the model wrote it
    assert "Jennifer" not in note.body and note.passed


def test_a_broken_revision_keeps_the_first_draft(
    setup: tuple[NotesService, FakeChatModel, HistoryService, int],
) -> None:
    notes, model, _history, interview_id = setup
    model.enqueue(json.dumps(MARIA_BAD), "{not json")
    jobs, _ = notes.jobs(interview_id)
    note = notes.draft(jobs[0])
    assert not note.repaired and "Jennifer" in note.body
    assert not {c.key: c for c in note.checks}["grounding"].passed  # shown, not hidden


def test_the_stream_shows_the_note_growing_then_the_result(
    setup: tuple[NotesService, FakeChatModel, HistoryService, int],
) -> None:
    notes, model, _history, interview_id = setup
    model.enqueue(json.dumps(DEV_GOOD))
    jobs, _ = notes.jobs(interview_id)
    events = list(notes.stream(jobs[1]))
    previews = [e for e in events if isinstance(e, str) and e]
    assert isinstance(events[-1], NoteDraft)
    assert len(previews) > 3 and previews[-1].startswith("Subject: Splitting out invoicing")
    assert "Hi" not in previews[-1] and "Dear Dev," in previews[-1]


@pytest.mark.parametrize(
    ("tone", "greeting", "sign_off"),
    [
        ("warm", "Dear Maria,", "Best,"),
        ("formal", "Dear Maria Chen,", "Kind regards,"),
        ("brief", "Hi Maria,", "Best,"),
    ],
)
def test_greeting_and_sign_off_follow_the_tone(
    setup: tuple[NotesService, FakeChatModel, HistoryService, int],
    tone: str,
    greeting: str,
    sign_off: str,
) -> None:
    notes, _model, _history, interview_id = setup
    jobs, _ = notes.jobs(interview_id)
    subject, body = render_note(MARIA_GOOD, jobs[0].person, NoteOptions(tone=tone))  # type: ignore[arg-type]
    assert subject == "Kafka billing migration"
    assert body.startswith(greeting) and f"{sign_off}\n[Your name]" in body


def test_the_schema_bounds_the_length(
    setup: tuple[NotesService, FakeChatModel, HistoryService, int],
) -> None:
    notes, _model, _history, interview_id = setup
    short, _ = notes.jobs(interview_id, NoteOptions(max_words=60))
    long, _ = notes.jobs(interview_id, NoteOptions(max_words=200))

    def limit(job: NoteJob) -> int:
        return int(job.schema.model_json_schema()["properties"]["opening"]["maxLength"])

    assert limit(short[0]) < limit(long[0])


@pytest.mark.parametrize("options", [NoteOptions(tone="sarcastic"), NoteOptions(max_words=5)])  # type: ignore[arg-type]
def test_bad_options_are_refused(
    setup: tuple[NotesService, FakeChatModel, HistoryService, int], options: NoteOptions
) -> None:
    notes, _model, _history, interview_id = setup
    from debrief.errors import InputError

    with pytest.raises(InputError):
        notes.jobs(interview_id, options)


def test_a_revision_that_is_worse_than_the_first_draft_is_not_used(
    setup: tuple[NotesService, FakeChatModel, HistoryService, int],
) -> None:
    notes, model, _history, interview_id = setup
    worse = dict(
        MARIA_BAD, opening="Thank you, and greetings to Jennifer, Paul and Rosa from HR in Boston."
    )
    model.enqueue(json.dumps(MARIA_BAD), json.dumps(worse))
    jobs, _ = notes.jobs(interview_id)
    note = notes.draft(jobs[0])
    assert len(model.requests) == 2 and not note.repaired
    assert "Boston" not in note.body and "Jennifer from HR" in note.body


def test_an_interviewer_with_no_recorded_topics_gets_no_details_field(tmp_path: Path) -> None:
    with open_history(Settings(data_dir=tmp_path)) as opened:
        interview_id = store_interview(
            opened.history, read_interview_file(EXAMPLES / "retail_four_interviewers.yaml")
        )
        source = FakeModelSource(FakeChatModel())
        jobs, _ = NotesService(source, opened.history, prompt_version=1).jobs(interview_id)
    marcus = next(job for job in jobs if job.person.name == "Marcus Bell")
    assert "details" not in marcus.schema.model_fields
    assert "Do not claim anything Marcus said" in marcus.messages[1].content
    assert all("details" in job.schema.model_fields for job in jobs if job is not marcus)


def test_warming_sends_the_shared_prefix_once_and_the_notes_then_share_it(
    setup: tuple[NotesService, FakeChatModel, HistoryService, int],
) -> None:
    _notes, model, history, interview_id = setup
    model.enqueue(LLMUnreachableError("the server went away"), "ok")
    notes = NotesService(FakeModelSource(model), history, prompt_version=1, warm_prefix=True)
    jobs, _ = notes.jobs(interview_id)
    failed = notes.warm_in_background(interview_id)
    assert failed is not None
    failed.join(5)
    assert model.requests == [[jobs[0].messages[0], ChatMessage("user", ".")]]
    # A failed warm-up is only logged, and may be tried again.
    retried = notes.warm_in_background(interview_id)
    assert retried is not None
    retried.join(5)
    assert len(model.requests) == 2
    assert notes.warm_in_background(interview_id) is None  # that prefix is warm already
    assert all(job.messages[0] == model.requests[1][0] for job in jobs)


def test_no_warming_for_a_remote_endpoint_an_unloaded_model_or_no_interviewers(
    setup: tuple[NotesService, FakeChatModel, HistoryService, int],
) -> None:
    notes, model, history, interview_id = setup
    assert notes.warm_in_background(interview_id) is None  # warm_prefix is off by default
    source = FakeModelSource(model, ready=False)
    assert NotesService(source, history, warm_prefix=True).warm_in_background(interview_id) is None
    empty = history.store.add_interview(
        history.store.get_interview(interview_id).model_copy(update={"id": None})
    )
    assert empty.id is not None
    warm = NotesService(FakeModelSource(model), history, prompt_version=1, warm_prefix=True)
    assert warm.warm_in_background(empty.id) is None
    assert model.requests == []


def test_the_frame_pipeline_writes_the_note_and_asks_the_model_only_for_the_candidates_lines(
    setup: tuple[NotesService, FakeChatModel, HistoryService, int],
) -> None:
    _notes, model, history, interview_id = setup
    (maria, _dev) = history.store.list_interviewers(interview_id)
    history.update_interviewer(
        maria.model_copy(update={"takeaways": ["I'd replay 6 months of events in 2 batches"]})
    )
    notes = NotesService(FakeModelSource(model), history, prompt_version=3)
    jobs, _ = notes.jobs(interview_id, NoteOptions(candidate_name="Sam Rivera"))
    maria_job, dev_job = jobs
    assert [r.kind for r in maria_job.sentences] == ["takeaway", "repair"]
    assert dev_job.sentences == ()  # no line of Dev's own, no fumble: nothing to ask the model
    model.enqueue(
        "I would replay the 6 months of events in 2 batches.",
        # Unfaithful (the ledger became "Stripe", a number appeared): the user's line is used.
        "I would replay 12 months of events into Stripe.",
    )
    maria_note = notes.draft(maria_job)
    assert len(model.requests) == 2
    body = maria_note.body
    assert body.startswith("Dear Maria,\n\nThank you for talking with me on Wednesday about ")
    assert "I would replay the 6 months of events in 2 batches." in body
    assert "Stripe" not in body and "12 months" not in body
    assert (
        "Since we spoke, I have thought more about your question: I would replay the events into an "
        "idempotent consumer keyed by invoice id" in body
    )
    assert body.endswith("Best regards,\nSam Rivera")
    assert maria_note.subject == "Thank you — Senior Backend Engineer interview"
    dev_note = notes.draft(dev_job)
    assert len(model.requests) == 2  # Dev's note needed no model call
    assert "splitting the invoicing module out of the monolith" in dev_note.body
    assert dev_note.body.split("\n\n")[-2] != body.split("\n\n")[-2]  # closings differ


def test_the_frame_pipeline_drops_the_candidates_later_lines_to_keep_the_length(
    setup: tuple[NotesService, FakeChatModel, HistoryService, int],
) -> None:
    _notes, model, history, interview_id = setup
    (_maria, dev) = history.store.list_interviewers(interview_id)
    lines = [
        f"I'd add contract test number {n} between the invoice and ledger services"
        for n in range(3)
    ]
    history.update_interviewer(dev.model_copy(update={"takeaways": lines}))
    notes = NotesService(FakeModelSource(model), history, prompt_version=3)
    jobs, _ = notes.jobs(interview_id, NoteOptions(max_words=60))
    model.enqueue(*["Not a faithful sentence." for _ in lines])
    note = notes.draft(jobs[1])
    assert len(note.body.split()) <= 60 or "number 0" in note.body
    assert "number 2" not in note.body


def test_the_frame_pipeline_suggests_a_line_of_the_candidates_own_where_there_is_none(
    setup: tuple[NotesService, FakeChatModel, HistoryService, int],
) -> None:
    notes, model, history, interview_id = setup
    (maria, dev) = history.store.list_interviewers(interview_id)
    history.update_interviewer(maria.model_copy(update={"takeaways": ["I'd replay the events"]}))
    hints = NotesService(FakeModelSource(model), history, prompt_version=3).overview(interview_id)
    assert set(hints.hints) == {dev.id}
    assert "splitting the invoicing module out of the monolith" in hints.hints[dev.id or 0]
    assert notes.overview(interview_id).hints == {}  # v1 does not use the candidate's lines
