"""What a note's checks read: the user's facts about the interview and each interviewer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

FactKind = Literal["name", "title", "company", "role", "topic", "question", "clarification"]


@dataclass(frozen=True)
class PersonFacts:
    """One interviewer as the user described them."""

    name: str
    title: str = ""
    topics: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()


@dataclass(frozen=True)
class NoteInputs:
    """Everything the user told us that one interviewer's note may use."""

    company: str
    role: str
    interviewer: PersonFacts
    others: tuple[PersonFacts, ...] = ()  # the other interviewers of the same interview
    interview_date: date | None = None
    stage: str = ""
    fumbled_question: str = ""  # the question fumbled with THIS interviewer (may be empty)
    clarification: str = ""  # what they wish they had said (may be empty)
    candidate_name: str = ""
    context: str = ""  # other text the model was shown (research, notes): allowed for grounding
    max_words: int = 150
    takeaways: tuple[str, ...] = ()  # the candidate's own lines about this conversation
    must_mention: tuple[str, ...] = ()  # facts the note must cite; empty: topics + clarification


@dataclass(frozen=True)
class Fact:
    """One thing a note to this interviewer should reference."""

    kind: FactKind
    text: str


def note_facts(inputs: NoteInputs) -> list[Fact]:
    """This interviewer's facts: name, title, company, role, topics, questions, clarification."""
    person = inputs.interviewer
    facts = [
        Fact("name", person.name),
        Fact("title", person.title),
        Fact("company", inputs.company),
        Fact("role", inputs.role),
        *(Fact("topic", topic) for topic in person.topics),
        *(Fact("question", question) for question in person.questions),
        Fact("clarification", inputs.clarification),
    ]
    return [Fact(fact.kind, fact.text.strip()) for fact in facts if fact.text.strip()]
