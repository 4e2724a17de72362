"""What the history indexes: one text document per record, with the metadata filters need."""

from __future__ import annotations

from datetime import date

from debrief.records.models import (
    CompanyResearch,
    Interview,
    Interviewer,
    Reflection,
    Stumble,
)
from prompts import load_reflection_questions
from rag.documents import IndexDocument

# The kinds of record the history indexes; search filters select by them.
KINDS = ("reflection", "stumble", "interviewer", "research", "interview")


def _lines(*pairs: tuple[str, str]) -> str:
    return "\n".join(f"{label}: {value}" for label, value in pairs if value)


def _day(interview: Interview) -> str:
    held = interview.held_at.date()
    return f"{held.day} {held.strftime('%b %Y')}"


def record_title(kind: str, interview: Interview | None, detail: str = "") -> str:
    """The title a user reads beside a citation: "Reflection — Brightwater Energy, 24 Nov 2026"."""
    detail = " ".join(detail.split())
    if len(detail) > 60:
        detail = detail[:60].rsplit(" ", 1)[0] + "…"
    if interview is None:
        return f"Research — {detail}" if detail else kind.capitalize()
    where = f"{interview.company}, {_day(interview)}"
    if kind == "reflection":
        return f"Reflection — {where}"
    if kind == "stumble":
        return f"Stumble — {where}: “{detail}”" if detail else f"Stumble — {where}"
    if kind == "interviewer":
        return f"{detail} — {where}" if detail else f"Interviewer — {where}"
    if kind == "research":
        return f"Research — {detail} ({interview.company})" if detail else f"Research — {where}"
    return f"Your notes — {where}"


def stumble_lines(stumble: Stumble) -> str:
    """A stumble as the index and the answers read it."""
    return _lines(
        ("Question I stumbled on", stumble.question),
        ("What I said", stumble.what_i_said),
        ("What I wish I had said", stumble.what_i_wish),
    )


def reflection_lines(reflection: Reflection) -> str:
    """A reflection's answers, each after its label."""
    return _lines(
        *[(q.index_label, getattr(reflection, q.field)) for q in load_reflection_questions()]
    )


def interview_document(interview: Interview) -> IndexDocument | None:
    if not interview.notes or interview.id is None:
        return None
    return IndexDocument(
        kind="interview",
        record_id=interview.id,
        text=_lines(("Notes", interview.notes)),
        title=record_title("interview", interview),
        interview_id=interview.id,
        company=interview.company,
        day=interview.held_at.date(),
    )


def interviewer_document(person: Interviewer, interview: Interview) -> IndexDocument:
    assert person.id is not None
    return IndexDocument(
        kind="interviewer",
        record_id=person.id,
        text=_lines(
            ("Interviewer", f"{person.name}, {person.title}".strip(", ")),
            ("Topics discussed", "; ".join(person.topics)),
            ("Questions asked", "; ".join(person.questions)),
            ("In my own words", "; ".join(person.takeaways)),
            ("Rapport", person.rapport_notes),
        ),
        title=record_title("interviewer", interview, person.name),
        interview_id=interview.id,
        company=interview.company,
        day=interview.held_at.date(),
    )


def stumble_document(stumble: Stumble, interview: Interview) -> IndexDocument:
    assert stumble.id is not None
    return IndexDocument(
        kind="stumble",
        record_id=stumble.id,
        text=stumble_lines(stumble),
        title=record_title("stumble", interview, stumble.question),
        interview_id=interview.id,
        company=interview.company,
        day=interview.held_at.date(),
    )


def reflection_document(reflection: Reflection, interview: Interview) -> IndexDocument:
    assert reflection.id is not None
    return IndexDocument(
        kind="reflection",
        record_id=reflection.id,
        text=reflection_lines(reflection) or f"Reflection on {interview.company}",
        title=record_title("reflection", interview),
        interview_id=interview.id,
        company=interview.company,
        day=interview.held_at.date(),
        cause_tags=tuple(reflection.cause_tags),
    )


def research_document(research: CompanyResearch, interview: Interview | None) -> IndexDocument:
    assert research.id is not None
    return IndexDocument(
        kind="research",
        record_id=research.id,
        text=f"{research.title}\n\n{research.text}",
        title=record_title("research", interview, research.title),
        interview_id=research.interview_id,
        company=research.company or (interview.company if interview else ""),
        # Filters ask "which interviews": research follows its interview's date when it has one.
        day=interview.held_at.date() if interview else _day_of(research),
    )


def _day_of(research: CompanyResearch) -> date | None:
    moment = research.fetched_at or research.created_at
    return moment.date() if moment else None
