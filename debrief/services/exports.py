"""Every file or link Debrief hands to another program: .eml, mailto:, .ics and Markdown.

Pure functions over typed records, so the pages only offer the result for download. The wire
formats come from well-kept libraries (the `email` package, `icalendar`): quoting, escaping,
line folding and line endings are theirs to get right, not ours.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime, timedelta
from email import policy
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from urllib.parse import quote

from icalendar import Calendar, Event

from debrief.honorifics import split_title
from debrief.records.models import ActionPlan, Interview, Interviewer, PlanStep

PRODID = "-//Debrief//Plan//EN"

# Titles skipped when a file name is made from the first name ("Dr. Ana Ruiz" → "ana").
_NOT_WORD = re.compile(r"[\W_]+")
_MAX_SLUG = 40


def _one_line(text: str) -> str:
    """Header values may not hold line breaks (the email package refuses them)."""
    return " ".join(text.split())


def note_text(subject: str, body: str) -> str:
    """The note as plain text to copy or print: a "Subject:" line (when there is a subject), a
    blank line, then the body."""
    return f"Subject: {_one_line(subject)}\n\n{body}" if subject.strip() else body


def _recipient(person: Interviewer) -> Address | None:
    """The interviewer's address when it is one a mail program accepts, else None.

    The address is typed by the user and not validated on the way in: a typo must leave the
    recipient blank (the user fills it in), not break the page that offers the download.
    """
    if not person.email:
        return None
    local, at, domain = person.email.strip().rpartition("@")
    if not (local and at and domain):
        return None  # also keeps "maria@" from the parser, which raises IndexError on it
    try:
        if not domain.isascii():
            domain = domain.encode("idna").decode("ascii")  # zoë@exämple.com → xn--exmple-cua
        address = Address(display_name=_one_line(person.name), addr_spec=f"{local}@{domain}")
    except (ValueError, HeaderParseError):  # the email package's defects are ValueErrors
        return None
    return address if address.domain and address.addr_spec.isascii() else None


def has_recipient(person: Interviewer) -> bool:
    """True when the note's e-mail would be addressed: the interviewer has a usable address."""
    return _recipient(person) is not None


def note_eml(person: Interviewer, subject: str, body: str) -> bytes:
    """The note as an unsent e-mail file (RFC 5322, CRLF line endings), addressed when possible.

    `To:` is set only when the interviewer has a usable address; the display name is quoted
    and, when not ASCII, encoded by the email package, so "Ruiz, Ana" or "Zoë" stay one
    recipient.
    """
    message = EmailMessage(policy=policy.SMTP)
    if (recipient := _recipient(person)) is not None:
        message["To"] = recipient
    message["Subject"] = _one_line(subject)
    # Outlook opens a file marked unsent as a draft with a Send button; others ignore it.
    message["X-Unsent"] = "1"
    message.set_content(body)
    return message.as_bytes()


def note_mailto(person: Interviewer, subject: str, body: str) -> str:
    """A mailto: link (RFC 6068) that opens the note in the user's e-mail app.

    Every reserved character is percent-encoded, so a comma or `&` cannot add a recipient or a
    header; line breaks go out as %0D%0A as the RFC asks.
    """
    recipient = _recipient(person)
    to = quote(recipient.addr_spec if recipient else "", safe="@")
    crlf_body = "\r\n".join(body.splitlines())
    subject_part = quote(_one_line(subject), safe="")
    return f"mailto:{to}?subject={subject_part}&body={quote(crlf_body, safe='')}"


def _uid_keys(plan: ActionPlan) -> list[str]:
    """Stored steps are keyed by id; an unsaved plan by position in the list (ids are all or
    nothing, so the two kinds of key never mix within one file)."""
    ids = [step.id for step in plan.steps]
    if all(step_id is not None for step_id in ids):
        return [str(step_id) for step_id in ids]
    return [str(index) for index in range(len(plan.steps))]


def _plan_event(step: PlanStep, uid: str, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", step.due_date)
    # An all-day event lasts until the next day (exclusive); some clients need DTEND to say so.
    event.add("dtend", step.due_date + timedelta(days=1))
    event.add("summary", step.action)
    event.add("description", f"Done when: {step.done_when}")
    # A step is a reminder, not a meeting: it must not mark the whole day as busy.
    event.add("transp", "TRANSPARENT")
    return event


def plan_ics(interview: Interview, plan: ActionPlan, now: datetime | None = None) -> bytes:
    """The plan as an iCalendar file: one all-day event on each step's due date.

    UIDs are `debrief-<interview id>-<step id>@localhost`, so importing the same plan again
    updates the events instead of duplicating them. `now` (default: the current time) becomes
    DTSTAMP, in UTC; a naive `now` is taken as UTC.
    """
    if interview.id is None:
        raise ValueError("Only a saved interview has a plan to export.")
    moment = now or datetime.now(UTC)
    stamp = (moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)).replace(
        microsecond=0
    )
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    for step, key in zip(plan.steps, _uid_keys(plan), strict=True):
        uid = f"debrief-{interview.id}-{key}@localhost"
        calendar.add_component(_plan_event(step, uid, stamp))
    ics: bytes = calendar.to_ical()
    return ics


def plan_markdown(interview: Interview, plan: ActionPlan) -> str:
    """The plan as a Markdown checklist, one line per step."""
    out = [f"# Plan after {interview.company} ({interview.held_at:%d %b %Y})", ""]
    out += [
        f"- [{'x' if s.done else ' '}] **{s.due_date:%a %d %b}** {s.action}"
        f" — done when: {s.done_when} ({s.cause})"
        for s in plan.steps
    ]
    return "\n".join(out) + "\n"


def _slug(text: str) -> str:
    """Lower-case letters and digits of any script joined by '-': safe in a file name on every
    system (no path separators, reserved characters, dots or spaces)."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _NOT_WORD.sub("-", folded).strip("-")[:_MAX_SLUG].strip("-")


def _first_name(name: str) -> str:
    _, comma, after_comma = name.partition(",")
    if comma and after_comma.strip():  # "Ruiz, Ana": the given name follows the comma
        name = after_comma
    _, untitled = split_title(name)  # "Sgt. Ann Bell" → Ann
    words = [slug for word in untitled if (slug := _slug(word))]
    return (words or [""])[0]


def note_eml_filename(person: Interviewer) -> str:
    """`thank-you-<first name>.eml`, or `thank-you.eml` when the name has no letter or digit."""
    first = _first_name(person.name)
    return f"thank-you-{first}.eml" if first else "thank-you.eml"


def _plan_stem(interview: Interview) -> str:
    company = _slug(interview.company)
    day = f"{interview.held_at:%Y-%m-%d}"
    return f"debrief-plan-{company}-{day}" if company else f"debrief-plan-{day}"


def plan_ics_filename(interview: Interview) -> str:
    """`debrief-plan-<company>-<interview date>.ics`."""
    return f"{_plan_stem(interview)}.ics"


def plan_markdown_filename(interview: Interview) -> str:
    """`debrief-plan-<company>-<interview date>.md`."""
    return f"{_plan_stem(interview)}.md"
