"""Domain records: what the user tells Debrief about their interviews, and what it drafts."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    field_validator,
)

from debrief.checks.types import CheckResult, check_from_json, check_to_json
from debrief.text_safety import clean_user_text

CauseTag = Literal[
    "unprepared_question",
    "work_history",
    "rapport",
    "company_research",
    "narrative",
    "logistics",
    "other",
]
CAUSE_TAGS: tuple[CauseTag, ...] = (
    "unprepared_question",
    "work_history",
    "rapport",
    "company_research",
    "narrative",
    "logistics",
    "other",
)


def one_of(values: tuple[str, ...]) -> Any:
    """`Literal[...]` of values known at run time: an enum in a JSON schema built at run time."""
    return Literal.__getitem__(values)


class InterviewFormat(StrEnum):
    ONSITE = "on-site"
    VIDEO = "video"
    PHONE = "phone"


class Outcome(StrEnum):
    PENDING = "pending"
    REJECTED = "rejected"
    NEXT_ROUND = "next round"
    OFFER = "offer"


class DraftKind(StrEnum):
    THANK_YOU = "thank-you"
    PLAN = "plan"
    REFRAME = "reframe"
    ANSWER = "answer"


class DraftStatus(StrEnum):
    DRAFTED = "drafted"
    EDITED = "edited"
    SENT = "sent"


class Record(BaseModel):
    """Base: text fields are cleaned of invisible characters on the way in."""

    model_config = ConfigDict(validate_assignment=True, extra="forbid")

    id: int | None = None

    @field_validator("*", mode="before")
    @classmethod
    def _clean_text(cls, value: Any) -> Any:
        if isinstance(value, str):
            return clean_user_text(value)
        if isinstance(value, list):
            return [clean_user_text(v) if isinstance(v, str) else v for v in value]
        return value


class Interview(Record):
    company: str = Field(min_length=1, max_length=200)
    role: str = Field(min_length=1, max_length=200)
    stage: str = Field(default="", max_length=100, description="e.g. 'second round'")
    held_at: datetime
    format: InterviewFormat = InterviewFormat.VIDEO
    outcome: Outcome = Outcome.PENDING
    next_interview_at: datetime | None = None
    notes: str = Field(default="", max_length=20_000)
    created_at: datetime | None = None
    updated_at: datetime | None = None


class Interviewer(Record):
    interview_id: int
    name: str = Field(min_length=1, max_length=120)
    title: str = Field(default="", max_length=200)
    email: str | None = Field(default=None, max_length=254)
    topics: list[Annotated[str, Field(max_length=1_000)]] = Field(
        default_factory=list, max_length=50, description="what was discussed with this person"
    )
    questions: list[Annotated[str, Field(max_length=2_000)]] = Field(
        default_factory=list, max_length=50, description="questions they asked"
    )
    takeaways: list[Annotated[str, Field(max_length=1_000)]] = Field(
        default_factory=list,
        max_length=20,
        description="in the candidate's own words: what stuck with them, what they would add",
    )
    rapport_notes: str = Field(default="", max_length=5_000)

    @field_validator("topics", "questions", "takeaways")
    @classmethod
    def _drop_blank(cls, items: list[str]) -> list[str]:
        return [item for item in items if item]


class Stumble(Record):
    interview_id: int
    interviewer_id: int | None = None
    question: str = Field(min_length=1, max_length=2_000)
    what_i_said: str = Field(default="", max_length=5_000)
    what_i_wish: str = Field(default="", max_length=5_000)


class Reflection(Record):
    interview_id: int
    unprepared_question: str = Field(
        default="", max_length=5_000, description="caught unprepared by"
    )
    work_history: str = Field(
        default="", max_length=5_000, description="where the history stumbled"
    )
    rapport: str = Field(default="", max_length=5_000)
    company_knowledge: str = Field(default="", max_length=5_000)
    narrative_stall: str = Field(
        default="", max_length=5_000, description="where the story stalled"
    )
    free_text: str = Field(default="", max_length=20_000)
    cause_tags: list[CauseTag] = Field(default_factory=list)
    confidence: int = Field(default=3, ge=1, le=5)
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @field_validator("cause_tags")
    @classmethod
    def _unique_tags(cls, tags: list[CauseTag]) -> list[CauseTag]:
        return list(dict.fromkeys(tags))


class CompanyResearch(Record):
    interview_id: int | None = None
    company: str = Field(default="", max_length=200)
    title: str = Field(min_length=1, max_length=300)
    source: str = Field(
        min_length=1, max_length=2_000, description="'pasted', a file name or a URL"
    )
    source_kind: Literal["pasted", "file", "url"] = "pasted"
    text: str = Field(min_length=1, max_length=100_000)
    fetched_at: datetime | None = None
    created_at: datetime | None = None


# A check as a draft keeps it: JSON with the evidence as a plain dict, read back by the check's key
# (so rows and exports written before evidence was typed, or by a newer version, still load).
StoredCheck = Annotated[
    CheckResult,
    PlainValidator(check_from_json, json_schema_input_type=dict[str, Any]),
    PlainSerializer(check_to_json, return_type=dict[str, Any]),
]


class Draft(Record):
    interview_id: int
    kind: DraftKind
    interviewer_id: int | None = None
    prompt_name: str
    prompt_version: int
    prompt_hash: str
    model_id: str
    subject: str = Field(default="", description="a note's email subject; empty for other kinds")
    body: str
    checks: list[StoredCheck] = Field(
        default_factory=list, description="the checks of this text (re-run when it is edited)"
    )
    status: DraftStatus = DraftStatus.DRAFTED
    version: int = 1
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @field_validator("checks", mode="before")
    @classmethod
    def _checks_by_key(cls, value: Any) -> Any:
        # Databases and exports before schema 3 keep the checks as {key: check}.
        return list(value.values()) if isinstance(value, dict) else value


class DraftVersion(BaseModel):
    """An earlier text of a draft, kept when the draft is edited."""

    draft_id: int
    version: int
    subject: str = ""
    body: str
    status: DraftStatus
    saved_at: datetime


class PlanStep(Record):
    plan_id: int | None = None
    position: int = 0
    action: str = Field(min_length=1, max_length=1_000)
    due_date: date
    done_when: str = Field(min_length=1, max_length=1_000)
    cause: CauseTag = "other"
    done: bool = False


class ActionPlan(Record):
    interview_id: int
    steps: list[PlanStep] = Field(default_factory=list)
    created_at: datetime | None = None
