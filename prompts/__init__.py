"""Prompt templates: one Markdown file per prompt and version, loaded as ChatPromptTemplates.

File layout (`<name>.v<N>.md`)::

    ---
    purpose: one line saying what the prompt is for
    variables: a, b
    ---
    ## system
    ...text with {a}...
    ## user
    ...text with {b}...

Templates use f-string syntax. Values are substituted once and never re-parsed, so user text with
braces reaches the model literally. Declared variables must match the ones used, exactly.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

from langchain_core.prompts import ChatPromptTemplate

from debrief.llm.types import ChatMessage

_FILE_NAME = re.compile(r"^(?P<name>[a-z0-9_]+)\.v(?P<version>\d+)\.md$")
_SECTION = re.compile(r"^## (system|user|assistant)\s*$", re.MULTILINE)
_ROLE_FOR_LANGCHAIN = {"system": "system", "user": "human", "assistant": "ai"}


class PromptError(ValueError):
    """A prompt file is malformed, or was rendered with missing or unknown variables."""


@dataclass(frozen=True)
class Prompt:
    name: str
    version: int
    purpose: str
    variables: frozenset[str]
    sections: tuple[tuple[Literal["system", "user", "assistant"], str], ...]
    content_hash: str
    template: ChatPromptTemplate

    @property
    def ref(self) -> str:
        """`name@vN`, the label drafts and evals record."""
        return f"{self.name}@v{self.version}"

    def render(self, **values: str) -> list[ChatMessage]:
        """Fill the template; a missing or unexpected variable is an error, not a blank."""
        given = set(values)
        missing = self.variables - given
        unknown = given - self.variables
        if missing or unknown:
            raise PromptError(
                f"{self.ref}: missing variables {sorted(missing)}, "
                f"unknown variables {sorted(unknown)}"
            )
        messages = self.template.format_messages(**values)
        roles = [role for role, _ in self.sections]
        return [
            ChatMessage(role=role, content=str(message.content))
            for role, message in zip(roles, messages, strict=True)
        ]


def _parse(file_name: str, text: str) -> Prompt:
    match = _FILE_NAME.match(file_name)
    if not match:
        raise PromptError(f"{file_name}: prompt files are named <name>.v<N>.md")
    if not text.startswith("---\n"):
        raise PromptError(f"{file_name}: must start with a '---' header")
    header, _, body = text[4:].partition("\n---\n")
    meta: dict[str, str] = {}
    for line in header.splitlines():
        key, sep, value = line.partition(":")
        if not sep:
            raise PromptError(f"{file_name}: header line {line!r} is not 'key: value'")
        meta[key.strip()] = value.strip()
    declared = frozenset(v.strip() for v in meta.get("variables", "").split(",") if v.strip())
    pieces = _SECTION.split(body)
    if pieces[0].strip():
        raise PromptError(f"{file_name}: text before the first '## system|user' section")
    sections: list[tuple[Literal["system", "user", "assistant"], str]] = []
    for role, content in zip(pieces[1::2], pieces[2::2], strict=True):
        if not content.strip():
            raise PromptError(f"{file_name}: section '## {role}' is empty")
        sections.append((role, content.strip()))  # type: ignore[arg-type]
    if not sections:
        raise PromptError(f"{file_name}: no '## system' or '## user' section")
    template = ChatPromptTemplate.from_messages(
        [(_ROLE_FOR_LANGCHAIN[role], content) for role, content in sections],
        template_format="f-string",
    )
    used = frozenset(template.input_variables)
    if used != declared:
        raise PromptError(
            f"{file_name}: declared variables {sorted(declared)} but the text uses {sorted(used)}"
        )
    return Prompt(
        name=match["name"],
        version=int(match["version"]),
        purpose=meta.get("purpose", ""),
        variables=declared,
        sections=tuple(sections),
        content_hash=hashlib.sha256(text.encode()).hexdigest()[:16],
        template=template,
    )


def prompt_files() -> list[str]:
    """Every prompt file shipped in this package."""
    return sorted(
        entry.name for entry in resources.files(__name__).iterdir() if _FILE_NAME.match(entry.name)
    )


@cache
def load_prompt(name: str, version: int | None = None) -> Prompt:
    """A prompt by name; the highest version unless one is asked for."""
    versions = sorted(
        int(m["version"])
        for f in prompt_files()
        if (m := _FILE_NAME.match(f)) and m["name"] == name
    )
    if not versions:
        raise PromptError(f"no prompt named {name!r}")
    chosen = versions[-1] if version is None else version
    if chosen not in versions:
        raise PromptError(f"prompt {name!r} has versions {versions}, not {chosen}")
    file_name = f"{name}.v{chosen}.md"
    text = resources.files(__name__).joinpath(file_name).read_text(encoding="utf-8")
    return _parse(file_name, text)
