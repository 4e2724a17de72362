"""An interview described in a YAML or JSON file (the `draft` command and the eval cases)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from debrief.errors import InputError
from debrief.records.models import (
    CompanyResearch,
    Interview,
    Interviewer,
    InterviewFormat,
    Stumble,
)
from debrief.services.history import HistoryService


class PersonSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    title: str = ""
    email: str | None = None
    topics: list[str] = Field(default_factory=list)
    questions: list[str] = Field(default_factory=list)
    takeaways: list[str] = Field(default_factory=list)  # the candidate's own lines
    rapport_notes: str = ""


class StumbleSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    question: str
    interviewer: str | None = None  # a name from `interviewers`
    what_i_said: str = ""
    what_i_wish: str = ""


class ResearchSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str
    text: str
    source: str = "pasted"


class InterviewSpec(BaseModel):
    """The file format. Unknown keys are errors, so a typo never goes unnoticed."""

    model_config = ConfigDict(extra="allow")  # eval cases add their own keys (expectations)
    company: str
    role: str
    stage: str = ""
    held_at: datetime
    format: InterviewFormat = InterviewFormat.VIDEO
    next_interview_at: datetime | None = None
    notes: str = ""
    candidate_name: str = ""
    interviewers: list[PersonSpec] = Field(min_length=1)
    stumbles: list[StumbleSpec] = Field(default_factory=list)
    research: list[ResearchSpec] = Field(default_factory=list)


def read_interview_file(path: Path) -> InterviewSpec:
    """Parse and validate; every problem becomes an `InputError` naming the file."""
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"Cannot read {path}: {exc}.") from None
    try:
        data: Any = json.loads(raw) if path.suffix == ".json" else yaml.safe_load(raw)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise InputError(
            f"{path} is not valid {path.suffix.lstrip('.').upper() or 'YAML'}: {exc}"
        ) from None
    except ValueError as exc:  # YAML reads 2026-02-30 as a date, then fails to build it
        raise InputError(f"{path} has an impossible date: {exc}.") from None
    try:
        spec = InterviewSpec.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise InputError(f"{path} does not describe an interview: {problems}.") from None
    names = [p.name for p in spec.interviewers]
    for stumble in spec.stumbles:
        if stumble.interviewer is not None and stumble.interviewer not in names:
            raise InputError(
                f"{path}: the stumble names an unknown interviewer {stumble.interviewer!r}."
            )
    return spec


def store_interview(history: HistoryService, spec: InterviewSpec) -> int:
    """Save the interview with its people, stumbles and research; returns the interview id."""
    interview = history.add_interview(
        Interview(
            company=spec.company,
            role=spec.role,
            stage=spec.stage,
            held_at=spec.held_at,
            format=spec.format,
            next_interview_at=spec.next_interview_at,
            notes=spec.notes,
        )
    )
    assert interview.id is not None
    ids: dict[str, int | None] = {}
    for person in spec.interviewers:
        saved = history.add_interviewer(
            Interviewer(interview_id=interview.id, **person.model_dump())
        )
        ids[person.name] = saved.id
    for stumble in spec.stumbles:
        history.add_stumble(
            Stumble(
                interview_id=interview.id,
                interviewer_id=ids.get(stumble.interviewer) if stumble.interviewer else None,
                question=stumble.question,
                what_i_said=stumble.what_i_said,
                what_i_wish=stumble.what_i_wish,
            )
        )
    for research in spec.research:
        history.add_research(
            CompanyResearch(
                interview_id=interview.id,
                company=spec.company,
                title=research.title,
                source=research.source,
                text=research.text,
            )
        )
    return interview.id
