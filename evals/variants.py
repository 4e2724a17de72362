"""Prompt versions under comparison: the thank_you_note files and the naive floor (naive_note)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from debrief.errors import InputError
from debrief.llm.types import ChatMessage
from debrief.records.models import Interview, Interviewer
from prompts import PromptError, load_parts, load_prompt

NOTE_PROMPT = "thank_you_note"
REVISION_PROMPT = "note_revision"
FRAME_PARTS = "thank_you_note_frame"  # the frame pipeline's note text (thank_you_note v3)
NAIVE = "naive"
# The floor every report can show: what a user gets by asking a chat model in one line.
NAIVE_PROMPT = "naive_note"
_REF = re.compile(rf"^(?:{NOTE_PROMPT}@)?v?(?P<version>\d+)$")


@dataclass(frozen=True)
class PromptVariant:
    """One prompt version as the runner sees it: a label and the hash of everything it sends."""

    label: str  # "thank_you_note@v2" or "naive"
    version: int | None  # None for naive
    prompt_hash: str
    # The repair prompt, which templated versions also send; the frame for v3 ("" for naive).
    revision_hash: str

    @property
    def is_naive(self) -> bool:
        return self.version is None


def naive_variant() -> PromptVariant:
    """The naive floor; its hash covers the template text, not the file's header."""
    # Not `Prompt.content_hash` (the whole file): the recorded naive generations are keyed by the
    # hash of the template line alone, from when that line was a constant in this module.
    template = "\n".join(text for _, text in load_prompt(NAIVE_PROMPT).sections)
    digest = hashlib.sha256(template.encode()).hexdigest()[:16]
    return PromptVariant(NAIVE, None, digest, "")


def parse_variant(text: str) -> PromptVariant:
    """`naive`, `thank_you_note@v2`, `v2` or `2` -> the variant; unknown versions are errors."""
    cleaned = text.strip()
    if cleaned.lower() == NAIVE:
        return naive_variant()
    match = _REF.match(cleaned)
    if match is None:
        raise InputError(
            f"Unknown prompt version {text!r}.",
            hint=f"Use '{NAIVE}' or '{NOTE_PROMPT}@vN' (e.g. {NOTE_PROMPT}@v1).",
        )
    try:
        prompt = load_prompt(NOTE_PROMPT, int(match["version"]))
    except PromptError as exc:
        raise InputError(str(exc)) from None
    if prompt.pipeline == "frame":
        # The frame's text is part of every note it writes: a change to it is a new note.
        frame = load_parts(FRAME_PARTS, prompt.frame or 1)
        return PromptVariant(prompt.ref, prompt.version, prompt.content_hash, frame.content_hash)
    revision = load_prompt(REVISION_PROMPT)
    return PromptVariant(prompt.ref, prompt.version, prompt.content_hash, revision.content_hash)


def latest_variant() -> PromptVariant:
    return parse_variant(str(load_prompt(NOTE_PROMPT).version))


def previous_variant(variant: PromptVariant) -> PromptVariant | None:
    """The version just before `variant`, when there is one (the default baseline)."""
    if variant.version is None or variant.version <= 1:
        return None
    try:
        return parse_variant(str(variant.version - 1))
    except InputError:
        return None


def naive_messages(person: Interviewer, interview: Interview) -> list[ChatMessage]:
    """The one-line request of the naive floor (no system prompt, no research, no repair)."""
    topics = "; ".join(person.topics) or "the interview"
    return load_prompt(NAIVE_PROMPT).render(
        name=person.name,
        title=person.title or "interviewer",
        company=interview.company,
        topics=topics,
    )
