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


def interview_document(interview: Interview) -> IndexDocument | None:
    if not interview.notes or interview.id is None:
        return None
    return IndexDocument(
        kind="interview",
        record_id=interview.id,
        text=_lines(("Notes", interview.notes)),
        title=f"Notes: {interview.company}, {interview.role}",
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
        title=f"{person.name} ({interview.company})",
        interview_id=interview.id,
        company=interview.company,
        day=interview.held_at.date(),
    )


def stumble_document(stumble: Stumble, interview: Interview) -> IndexDocument:
    assert stumble.id is not None
    return IndexDocument(
        kind="stumble",
        record_id=stumble.id,
        text=_lines(
            ("Question I stumbled on", stumble.question),
            ("What I said", stumble.what_i_said),
            ("What I wish I had said", stumble.what_i_wish),
        ),
        title=f"Stumble at {interview.company}: {stumble.question[:60]}",
        interview_id=interview.id,
        company=interview.company,
        day=interview.held_at.date(),
    )


def reflection_document(reflection: Reflection, interview: Interview) -> IndexDocument:
    assert reflection.id is not None
    answers = [(q.index_label, getattr(reflection, q.field)) for q in load_reflection_questions()]
    return IndexDocument(
        kind="reflection",
        record_id=reflection.id,
        text=_lines(*answers) or f"Reflection on {interview.company}",
        title=f"Reflection: {interview.company}, {interview.role}",
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
        title=f"Research: {research.title}",
        interview_id=research.interview_id,
        company=research.company or (interview.company if interview else ""),
        # Filters ask "which interviews": research follows its interview's date when it has one.
        day=interview.held_at.date() if interview else _day_of(research),
    )


def _day_of(research: CompanyResearch) -> date | None:
    moment = research.fetched_at or research.created_at
    return moment.date() if moment else None
