"""Exports: what other programs read back from Debrief's .eml, mailto:, .ics and Markdown."""

from __future__ import annotations

import email
import re
from datetime import UTC, date, datetime, timedelta, timezone
from email import policy
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from icalendar import Calendar, Event
from pydantic import ValidationError

from debrief.records.models import ActionPlan, Interview, Interviewer, PlanStep
from debrief.services.exports import (
    PRODID,
    note_eml,
    note_eml_filename,
    note_mailto,
    note_text,
    plan_ics,
    plan_ics_filename,
    plan_markdown,
    plan_markdown_filename,
)

NOW = datetime(2026, 11, 19, 8, 30, 15, tzinfo=UTC)
AWKWARD_ACTIONS = [
    "Research Northwind, its rota; and its clients",
    "Rehearse the pitch\nthen record it\nand listen back",
    r"Fix C:\notes\pitch.md and the \n in it",
    "Practise the 🎤 elevator pitch 🚀 with Zoë",
    "Read the engineering blog " + "and take notes " * 12 + "x" * 5,
    'Quote "exactly", then; \\ escape\r\nall of it, 😀',
]
assert len(AWKWARD_ACTIONS[4]) >= 200


def an_interview(**changes: object) -> Interview:
    base: dict[str, object] = {
        "id": 42,
        "company": "Northwind Logistics",
        "role": "Senior Backend Engineer",
        "held_at": datetime(2026, 11, 18, 14, 0),
    }
    return Interview.model_validate(base | changes)


def a_step(
    action: str, *, step_id: int | None = 1, position: int = 0, **changes: object
) -> PlanStep:
    base: dict[str, object] = {
        "id": step_id,
        "plan_id": 5 if step_id is not None else None,
        "position": position,
        "action": action,
        "due_date": date(2026, 11, 20),
        "done_when": "Said aloud twice, under 2 minutes, to a friend",
    }
    return PlanStep.model_validate(base | changes)


def events_of(ics: bytes) -> list[Event]:
    calendar = Calendar.from_ical(ics)
    return [event for event in calendar.walk("VEVENT") if isinstance(event, Event)]


# -- .ics ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("action", AWKWARD_ACTIONS)
def test_a_step_round_trips_through_a_calendar_parser(action: str) -> None:
    done_when = f"Done, checked; {action[:30]}"
    step = a_step(action, step_id=9, due_date=date(2026, 11, 21), done_when=done_when)
    ics = plan_ics(an_interview(), ActionPlan(id=5, interview_id=42, steps=[step]), now=NOW)

    (event,) = events_of(ics)
    assert str(event["SUMMARY"]) == step.action
    assert str(event["DESCRIPTION"]) == f"Done when: {step.done_when}"
    assert event.decoded("DTSTART") == date(2026, 11, 21)
    assert event.decoded("DTEND") == date(2026, 11, 22)
    assert str(event["UID"]) == "debrief-42-9@localhost"
    assert event.decoded("DTSTAMP") == NOW
    assert str(event["TRANSP"]) == "TRANSPARENT"


def test_the_file_is_folded_and_uses_crlf() -> None:
    steps = [
        a_step(action, step_id=i, done_when=action) for i, action in enumerate(AWKWARD_ACTIONS)
    ]
    ics = plan_ics(an_interview(), ActionPlan(interview_id=42, steps=steps), now=NOW)

    assert ics.endswith(b"\r\n")
    lines = ics.split(b"\r\n")[:-1]
    assert b"\n" not in b"".join(lines) and b"\r" not in b"".join(lines)
    assert max(len(line) for line in lines) <= 75
    for line in lines:
        line.decode("utf-8")  # folding never splits a multi-byte character
    assert b"DTSTART;VALUE=DATE:20261120" in ics
    assert b"DTSTAMP:20261119T083015Z" in ics


def test_the_calendar_says_who_made_it() -> None:
    calendar = Calendar.from_ical(
        plan_ics(an_interview(), ActionPlan(interview_id=42, steps=[a_step("Call")]), now=NOW)
    )
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]) == PRODID


def test_uids_are_unique_and_the_same_on_every_export() -> None:
    steps = [a_step(f"Step {n}", step_id=n + 10, position=n) for n in range(4)]
    plan = ActionPlan(id=5, interview_id=42, steps=steps)
    first = [str(e["UID"]) for e in events_of(plan_ics(an_interview(), plan, now=NOW))]
    later = NOW + timedelta(days=3)
    again = [str(e["UID"]) for e in events_of(plan_ics(an_interview(), plan, now=later))]

    assert first == again == [f"debrief-42-{n}@localhost" for n in (10, 11, 12, 13)]


def test_an_unsaved_plan_is_keyed_by_position() -> None:
    steps = [a_step(f"Step {n}", step_id=None) for n in range(3)]  # all at position 0
    uids = [
        str(e["UID"])
        for e in events_of(plan_ics(an_interview(), ActionPlan(interview_id=42, steps=steps)))
    ]
    assert uids == ["debrief-42-0@localhost", "debrief-42-1@localhost", "debrief-42-2@localhost"]


@pytest.mark.parametrize(
    ("now", "stamp"),
    [
        (datetime(2026, 11, 19, 10, 0, tzinfo=timezone(timedelta(hours=2))), b"20261119T080000Z"),
        (datetime(2026, 11, 19, 8, 0, 0, 999_999), b"20261119T080000Z"),  # naive: taken as UTC
        (datetime(2026, 11, 19, 23, 30, tzinfo=timezone(timedelta(hours=-3))), b"20261120T023000Z"),
    ],
)
def test_dtstamp_is_in_utc(now: datetime, stamp: bytes) -> None:
    ics = plan_ics(an_interview(), ActionPlan(interview_id=42, steps=[a_step("Call")]), now=now)
    assert b"DTSTAMP:" + stamp + b"\r\n" in ics


def test_dtstamp_defaults_to_now() -> None:
    ics = plan_ics(an_interview(), ActionPlan(interview_id=42, steps=[a_step("Call")]))
    stamp = events_of(ics)[0].decoded("DTSTAMP")
    assert abs(datetime.now(UTC) - stamp) < timedelta(minutes=1)


def test_an_empty_plan_is_an_empty_calendar() -> None:
    ics = plan_ics(an_interview(), ActionPlan(interview_id=42), now=NOW)
    assert events_of(ics) == []
    assert Calendar.from_ical(ics)["PRODID"] == PRODID


def test_an_unsaved_interview_has_no_stable_uids() -> None:
    with pytest.raises(ValueError, match="saved interview"):
        plan_ics(an_interview(id=None), ActionPlan(interview_id=1, steps=[a_step("Call")]))


# -- Markdown -----------------------------------------------------------------------------------


def test_markdown_is_a_checklist_in_plan_order() -> None:
    plan = ActionPlan(
        interview_id=42,
        steps=[
            a_step(
                "Research Northwind's rota",
                due_date=date(2026, 11, 20),
                done_when="3 facts written down",
                cause="company_research",
                done=True,
            ),
            a_step(
                "Rehearse the pitch",
                due_date=date(2026, 11, 23),
                done_when="said aloud twice",
                cause="narrative",
            ),
        ],
    )
    assert plan_markdown(an_interview(), plan) == (
        "# Plan after Northwind Logistics (18 Nov 2026)\n"
        "\n"
        "- [x] **Fri 20 Nov** Research Northwind's rota"
        " — done when: 3 facts written down (company_research)\n"
        "- [ ] **Mon 23 Nov** Rehearse the pitch — done when: said aloud twice (narrative)\n"
    )


def test_markdown_of_an_empty_plan_is_the_heading() -> None:
    assert plan_markdown(an_interview(), ActionPlan(interview_id=42)) == (
        "# Plan after Northwind Logistics (18 Nov 2026)\n\n"
    )


# -- .eml ---------------------------------------------------------------------------------------


def parsed(eml: bytes) -> EmailMessage:
    message = email.message_from_bytes(eml, policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


@pytest.mark.parametrize(
    ("name", "subject", "body"),
    [
        ("Maria Chen", "Thank you for Tuesday", "Dear Maria,\n\nThank you.\n\nBest,\nSam\n"),
        ("Chen, Maria", "Kafka, billing; and on-call", "Dear Maria,\n\nThanks.\n"),
        ("Zoë Ødegaard", "Merci — à bientôt", "Chère Zoë,\n\nMerci beaucoup ☕\n"),
        ("李明", "谢谢您的时间", "李明您好\n\n谢谢。\n"),
        ('Tom "TJ" O\'Neill', "Re: the rota", "Dear Tom,\n\n" + "A long line of thanks. " * 30),
        ("Ana Ruiz", "A subject that goes on " * 10, "Dear Ana,\n\nThanks.\n"),
    ],
)
def test_an_eml_round_trips(name: str, subject: str, body: str) -> None:
    person = Interviewer(interview_id=42, name=name, email="someone@example.com")
    message = parsed(note_eml(person, subject, body))

    (address,) = message["To"].addresses
    assert address.display_name == name
    assert address.addr_spec == "someone@example.com"
    assert message["Subject"] == subject.strip()
    # The file is in RFC 5322's CRLF form, body included; a reader sees the same lines.
    assert message.get_content().replace("\r\n", "\n").rstrip("\n") == body.rstrip("\n")
    assert message.get_content_type() == "text/plain"


def test_an_eml_without_an_address_has_no_recipient() -> None:
    message = parsed(note_eml(Interviewer(interview_id=42, name="Maria Chen"), "Thanks", "Hi.\n"))
    assert "To" not in message
    assert message["Subject"] == "Thanks"
    assert message["X-Unsent"] == "1"  # opens as a draft to send


@pytest.mark.parametrize(
    ("typed", "recipient"),
    [
        (" maria@example.com ", "maria@example.com"),
        ("o'neill+jobs@example.com", "o'neill+jobs@example.com"),
        ("maria@exämple.com", "maria@xn--exmple-cua.com"),  # IDNA, not an encoded word
        ("maria", None),
        ("maria@", None),
        ("@example.com", None),
        ("a@b@example.com", None),
        ("maria chen@example.com", None),
        ("maria@example.com, boss@example.com", None),
        ("zoë@example.com", None),  # a UTF-8 local part needs SMTPUTF8, which few files carry
    ],
)
def test_only_a_usable_address_becomes_the_recipient(typed: str, recipient: str | None) -> None:
    """Addresses are not validated on entry; a typo leaves the recipient blank, never raises."""
    person = Interviewer(interview_id=42, name="Maria Chen", email=typed)
    message = parsed(note_eml(person, "Thanks", "Hi.\n"))
    link = note_mailto(person, "Thanks", "Hi.")

    if recipient is None:
        assert "To" not in message
        assert link.startswith("mailto:?subject=")
    else:
        assert message["To"].addresses[0].addr_spec == recipient
        assert unquote(urlsplit(link).path) == recipient


def test_a_line_break_in_the_subject_cannot_add_a_header() -> None:
    person = Interviewer(interview_id=42, name="Maria Chen", email="maria@example.com")
    message = parsed(note_eml(person, "Thanks\nBcc: everyone@example.com", "Hi.\n"))
    assert "Bcc" not in message
    assert message["Subject"] == "Thanks Bcc: everyone@example.com"


def test_an_eml_uses_crlf_and_short_header_lines() -> None:
    person = Interviewer(interview_id=42, name="Zoë Ødegaard", email="zoe@example.com")
    eml = note_eml(person, "Merci pour la discussion sur la logistique " * 4, "Bonjour\nZoë\n")
    lines = eml.split(b"\r\n")
    assert b"\n" not in b"".join(lines)
    header_block = eml.split(b"\r\n\r\n", 1)[0]
    assert max(len(line) for line in header_block.split(b"\r\n")) <= 78
    assert header_block.isascii()


# -- plain text ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("subject", "body", "text"),
    [
        ("Thank you", "Dear Maria,\n\nThanks.", "Subject: Thank you\n\nDear Maria,\n\nThanks."),
        ("Thank\nyou ", "Hi.", "Subject: Thank you\n\nHi."),
        ("", "Hi.", "Hi."),
        ("  ", "Hi.", "Hi."),
    ],
)
def test_note_text(subject: str, body: str, text: str) -> None:
    assert note_text(subject, body) == text


# -- mailto: ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "subject", "body"),
    [
        ("maria@example.com", "Thank you", "Dear Maria,\n\nThanks.\nSam"),
        ("maria@example.com", "Kafka & billing? 100% / yes", "a=b&c=d#frag, cc=x@example.com"),
        ("o'neill+jobs@example.com", "Merci — Zoë ☕", "Ligne 1\nLigne 2 😀"),
        (None, "No address", "Body with spaces"),
    ],
)
def test_mailto_quotes_everything(address: str | None, subject: str, body: str) -> None:
    person = Interviewer(interview_id=42, name="Maria Chen", email=address)
    link = note_mailto(person, subject, body)

    assert re.fullmatch(
        r"mailto:[A-Za-z0-9@%._\-~]*\?subject=[A-Za-z0-9%._\-~]*&body=[A-Za-z0-9%._\-~]*", link
    )
    parts = urlsplit(link)
    assert unquote(parts.path) == (address or "")
    fields = dict(pair.split("=", 1) for pair in parts.query.split("&"))
    assert set(fields) == {"subject", "body"}
    assert unquote(fields["subject"]) == subject
    assert unquote(fields["body"]) == body.replace("\n", "\r\n")


def test_mailto_line_breaks_are_crlf() -> None:
    link = note_mailto(Interviewer(interview_id=42, name="Ana"), "Hi", "one\ntwo\r\nthree")
    assert link.endswith("&body=one%0D%0Atwo%0D%0Athree")


# -- file names ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "file_name"),
    [
        ("Maria Chen", "thank-you-maria.eml"),
        ("Dr. Maria Chen", "thank-you-maria.eml"),
        ("Sgt. Ann Bell", "thank-you-ann.eml"),
        ("Chen, Maria", "thank-you-maria.eml"),
        ("Zoë Ødegaard", "thank-you-zoë.eml"),
        ("李明", "thank-you-李明.eml"),
        ("Jean-Luc Picard", "thank-you-jean-luc.eml"),
        ("../../etc/passwd", "thank-you-etc-passwd.eml"),
        ('CON:"?*|<>', "thank-you-con.eml"),
        ("???", "thank-you.eml"),
        ("Dr.", "thank-you-dr.eml"),
    ],
)
def test_note_file_names(name: str, file_name: str) -> None:
    assert note_eml_filename(Interviewer(interview_id=42, name=name)) == file_name


@given(st.text(min_size=1, max_size=120))
def test_any_name_gives_a_safe_file_name(name: str) -> None:
    try:
        person = Interviewer(interview_id=42, name=name)
    except ValidationError:
        assume(False)
        return
    file_name = note_eml_filename(person)
    assert re.fullmatch(r"thank-you(-[^\W_]+)*\.eml", file_name)
    assert len(file_name) <= 60


@pytest.mark.parametrize(
    ("company", "ics", "md"),
    [
        ("Northwind Logistics", "debrief-plan-northwind-logistics-2026-11-18.ics", None),
        ("Acme, Inc. / R&D", "debrief-plan-acme-inc-r-d-2026-11-18.ics", None),
        ("Café Zoë", "debrief-plan-café-zoë-2026-11-18.ics", None),
        ("!!!", "debrief-plan-2026-11-18.ics", "debrief-plan-2026-11-18.md"),
    ],
)
def test_plan_file_names(company: str, ics: str, md: str | None) -> None:
    interview = an_interview(company=company)
    assert plan_ics_filename(interview) == ics
    assert plan_markdown_filename(interview) == (md or ics.removesuffix(".ics") + ".md")
