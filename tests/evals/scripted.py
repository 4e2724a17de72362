"""A scripted model and two small case files, shared by the evals tests (no model, no network)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from debrief.llm.model_files import ProgressCallback, no_progress
from debrief.llm.types import DEFAULT_SAMPLING, ChatMessage, ChatResult, Sampling, StreamStats
from evals.run import RunConfig
from evals.variants import parse_variant
from tests.fakes import ModelSource

SchemaT = TypeVar("SchemaT", bound=BaseModel)

# --------------------------------------------------------------------------------------------
# A scripted model: writes a note from the facts in its prompt (no canned order to keep in step)
# --------------------------------------------------------------------------------------------


def _facts(messages: Sequence[ChatMessage]) -> tuple[dict[str, str], list[str]]:
    """Company/role from the system message, this interviewer's topics from the first user one."""
    system = messages[0].content
    found = dict(re.findall(r"^(Company|Role): (.+)$", system, re.MULTILINE))
    user = messages[1].content.split("The JSON fields:")[0]
    topics = [line[2:] for line in user.splitlines() if line.startswith("- ")]
    return found, [t for t in topics if not t.startswith('"')]


@dataclass
class ScriptedModel:
    """A ChatModel: good JSON notes from the prompt's facts; a stock email for the naive floor."""

    model_id: str = "scripted"
    naive_reply: str = (
        "Dear {name},\n\nI hope this email finds you well. Thank you for your time.\n\n"
        "Best,\n[Your Name]"
    )
    payload: str = ""  # appended to every templated note (e.g. markup an HTML report must escape)
    calls: list[str] = field(default_factory=list)

    def chat(
        self, messages: Sequence[ChatMessage], sampling: Sampling = DEFAULT_SAMPLING
    ) -> ChatResult:
        self.calls.append("chat")
        name = re.search(r"email to (.+?) \(", messages[-1].content)
        text = self.naive_reply.format(name=name.group(1) if name else "there")
        return ChatResult(text, self.model_id, "stop", None, None, 0.0)

    def stream_chat(
        self,
        messages: Sequence[ChatMessage],
        sampling: Sampling = DEFAULT_SAMPLING,
        stats: StreamStats | None = None,
        json_schema: type[BaseModel] | None = None,
    ) -> Iterator[str]:
        self.calls.append("stream")
        assert json_schema is not None
        facts, topics = _facts(messages)
        fields: dict[str, Any] = {
            "subject": f"About {topics[0][:50]}" if topics else "Thank you",
            "opening": f"Thank you for our conversation about {topics[0]}."
            if topics
            else "Thank you for your time during the interview.",
            "closing": f"I would bring that care to the {facts['Role']} role at "
            f"{facts['Company']}.{self.payload}",
        }
        if "details" in json_schema.model_fields:
            fields["details"] = [f"I also enjoyed discussing {t}." for t in topics[1:3]] or [
                "I enjoyed the conversation."
            ]
        if "repair" in json_schema.model_fields:
            fields["repair"] = "To answer your question better: I would reconcile every total."
        yield json.dumps(fields)

    def structured(
        self,
        messages: Sequence[ChatMessage],
        schema: type[SchemaT],
        sampling: Sampling = DEFAULT_SAMPLING,
    ) -> SchemaT:
        self.calls.append("judge")
        verdict = {"specific": 4, "personal": 4, "truthful": 5, "voice": 3, "reason": "Stiff."}
        return schema.model_validate(verdict)


@dataclass
class ScriptedSource(ModelSource[ScriptedModel]):
    model: ScriptedModel = field(default_factory=ScriptedModel)


class RefusingSource(ScriptedSource):
    """A model that must not be needed (a cached or replayed run)."""

    def get(self, progress: ProgressCallback = no_progress) -> ScriptedModel:
        raise AssertionError("the model was called although everything was stored")


# --------------------------------------------------------------------------------------------
# Small case files
# --------------------------------------------------------------------------------------------

TWO_PEOPLE = """
company: Northwind Logistics
role: Senior Backend Engineer
held_at: 2026-11-18 14:00
candidate_name: Sam Rivera
interviewers:
  - name: Maria Chen
    title: Engineering Manager
    topics: [moving billing to Kafka streams, on-call rotations]
  - name: Dev Patel
    title: Staff Engineer
    topics: [splitting the invoicing module, contract tests]
stumbles:
  - interviewer: Maria Chen
    question: How would you backfill the events?
    what_i_wish: Replay them into an idempotent consumer keyed by invoice id.
research:
  - title: blog
    text: Northwind moves billing to Kafka streams.
expect:
  Maria Chen:
    must_reference: [Kafka streams, on-call rotations]
    must_not_contain: [Dev Patel, invoicing]
  Dev Patel:
    must_reference: [invoicing module, contract tests]
    must_not_contain: [Maria, Kafka]
"""

ONE_PERSON = """
about: a case with one interviewer and no topics
company: Ashgrove Academy
role: Maths Teacher
held_at: 2026-11-05 08:30
interviewers:
  - name: Sophie Turner
expect:
  Sophie Turner:
    must_reference: [Ashgrove Academy]
"""


def write_cases(folder: Path) -> Path:
    """The two small cases as files in `folder` (3 notes per prompt version); returns it."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a_two_people.yaml").write_text(TWO_PEOPLE, encoding="utf-8")
    (folder / "b_one_person.yaml").write_text(ONE_PERSON, encoding="utf-8")
    return folder


def run_config(case_dir: Path, tmp_path: Path, **changes: Any) -> RunConfig:
    """v1 alone (plus naive) over the cases in `case_dir`, cache and reports under `tmp_path`."""
    values: dict[str, Any] = {
        "candidate": parse_variant("thank_you_note@v1"),
        "baseline": None,
        "cases": str(case_dir / "*.yaml"),
        "cache_dir": tmp_path / "cache",
        "report_dir": tmp_path / "reports",
    }
    values.update(changes)
    return RunConfig(**values)
