"""Prompt text: one Markdown file per prompt and version, loaded by kind.

Every file is `<name>.v<N>.md` and starts with a header::

    ---
    purpose: one line saying what the file is for
    kind: chat          # chat (the default), parts or table
    variables: a, b     # chat and parts: every variable the text uses, no more
    ---

`chat` — a prompt sent as messages (`load_prompt` → `Prompt`, ChatPromptTemplates)::

    ## system
    ...text with {a}...
    ## user
    ...text with {b}...

`parts` — named pieces of prompt text that code puts together, e.g. one line of facts, or one
problem for a repair pass (`load_parts` → `PromptParts`, `render(part, **values) -> str`)::

    ## interviewer_name
    Name: {a}
    ## no_notes
    You have no notes on what you discussed with {b}.

`table` — one Markdown table of short texts, e.g. the reflection questions and their labels
(`load_table` → `PromptTable`; cells cannot contain `|`).

Templates use f-string syntax. Values are substituted once and never re-parsed, so user text with
braces reaches the model literally. Declared variables must match the ones used, exactly, and
rendering with a missing or unknown variable is an error, not a blank.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import ClassVar, Literal, NamedTuple

from langchain_core.prompts import ChatPromptTemplate, PromptTemplate

from debrief.llm.types import ChatMessage

PromptKind = Literal["chat", "parts", "table"]
_KINDS: tuple[PromptKind, ...] = ("chat", "parts", "table")
_FILE_NAME = re.compile(r"^(?P<name>[a-z0-9_]+)\.v(?P<version>\d+)\.md$")
_SECTION = re.compile(r"^## (system|user|assistant)\s*$", re.MULTILINE)
_PART = re.compile(r"^## ([a-z][a-z0-9_]*)[ \t]*$", re.MULTILINE)
_ROLE_FOR_LANGCHAIN = {"system": "system", "user": "human", "assistant": "ai"}


class PromptError(ValueError):
    """A prompt file is malformed, or was rendered with missing or unknown variables."""


def _check_values(ref: str, expected: frozenset[str], given: set[str]) -> None:
    missing = expected - given
    unknown = given - expected
    if missing or unknown:
        raise PromptError(
            f"{ref}: missing variables {sorted(missing)}, unknown variables {sorted(unknown)}"
        )


@dataclass(frozen=True)
class Prompt:
    kind: ClassVar[PromptKind] = "chat"
    name: str
    version: int
    purpose: str
    variables: frozenset[str]
    sections: tuple[tuple[Literal["system", "user", "assistant"], str], ...]
    content_hash: str
    template: ChatPromptTemplate
    # How a service uses it: "json_fields" (one request per note, the model fills JSON fields)
    # or "frame" (code writes the note; the model writes single sentences from the user's lines).
    pipeline: str = "json_fields"
    frame: int | None = None  # the frame pipeline's thank_you_note_frame version (None: v1)

    @property
    def ref(self) -> str:
        """`name@vN`, the label drafts and evals record."""
        return f"{self.name}@v{self.version}"

    def render(self, **values: str) -> list[ChatMessage]:
        """Fill the template; a missing or unexpected variable is an error, not a blank."""
        _check_values(self.ref, self.variables, set(values))
        messages = self.template.format_messages(**values)
        roles = [role for role, _ in self.sections]
        return [
            ChatMessage(role=role, content=str(message.content))
            for role, message in zip(roles, messages, strict=True)
        ]


@dataclass(frozen=True)
class PromptParts:
    """Named pieces of prompt text; code decides which apply and joins them."""

    kind: ClassVar[PromptKind] = "parts"
    name: str
    version: int
    purpose: str
    variables: frozenset[str]  # of all parts together; each part checks its own when rendered
    templates: Mapping[str, PromptTemplate]
    content_hash: str

    @property
    def ref(self) -> str:
        return f"{self.name}@v{self.version}"

    @property
    def names(self) -> tuple[str, ...]:
        """The parts, in file order."""
        return tuple(self.templates)

    def variables_of(self, part: str) -> frozenset[str]:
        return frozenset(self._template(part).input_variables)

    def render(self, part: str, **values: str) -> str:
        """One part filled in; a missing or unexpected variable is an error, not a blank."""
        template = self._template(part)
        _check_values(f"{self.ref} ## {part}", self.variables_of(part), set(values))
        return template.format(**values)

    def _template(self, part: str) -> PromptTemplate:
        try:
            return self.templates[part]
        except KeyError:
            raise PromptError(f"{self.ref} has no part {part!r}: {', '.join(self.names)}") from None


@dataclass(frozen=True)
class PromptTable:
    """A table of short prompt texts: named columns, rows of non-empty cells."""

    kind: ClassVar[PromptKind] = "table"
    name: str
    version: int
    purpose: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    content_hash: str

    @property
    def ref(self) -> str:
        return f"{self.name}@v{self.version}"


PromptFile = Prompt | PromptParts | PromptTable


@dataclass(frozen=True)
class _Source:
    """A prompt file split into its header and body; the kinds are parsed from this."""

    file_name: str
    name: str
    version: int
    meta: dict[str, str]
    body: str
    content_hash: str

    @property
    def kind(self) -> str:
        return self.meta.get("kind", "chat")

    @property
    def declared(self) -> frozenset[str]:
        return frozenset(v.strip() for v in self.meta.get("variables", "").split(",") if v.strip())

    def check_variables(self, used: frozenset[str]) -> None:
        if used != self.declared:
            raise PromptError(
                f"{self.file_name}: declared variables {sorted(self.declared)} "
                f"but the text uses {sorted(used)}"
            )

    def sections(self, heading: re.Pattern[str]) -> list[tuple[str, str]]:
        """(heading, stripped text) of every section; text before the first one is an error."""
        pieces = heading.split(self.body)
        if pieces[0].strip():
            raise PromptError(f"{self.file_name}: text before the first '## ' section")
        sections = []
        for title, content in zip(pieces[1::2], pieces[2::2], strict=True):
            if not content.strip():
                raise PromptError(f"{self.file_name}: section '## {title}' is empty")
            sections.append((title, content.strip()))
        return sections


def _source(file_name: str, text: str) -> _Source:
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
    source = _Source(
        file_name,
        match["name"],
        int(match["version"]),
        meta,
        body,
        hashlib.sha256(text.encode()).hexdigest()[:16],
    )
    if source.kind not in _KINDS:
        raise PromptError(f"{file_name}: kind {source.kind!r} is not one of {', '.join(_KINDS)}")
    return source


def _parse(file_name: str, text: str) -> Prompt:
    """A chat prompt file."""
    source = _source(file_name, text)
    if source.kind != "chat":
        raise PromptError(f"{file_name}: a {source.kind} file, not a chat prompt")
    sections: list[tuple[Literal["system", "user", "assistant"], str]] = []
    for role, content in source.sections(_SECTION):
        sections.append((role, content))  # type: ignore[arg-type]
    if not sections:
        raise PromptError(f"{file_name}: no '## system' or '## user' section")
    template = ChatPromptTemplate.from_messages(
        [(_ROLE_FOR_LANGCHAIN[role], content) for role, content in sections],
        template_format="f-string",
    )
    source.check_variables(frozenset(template.input_variables))
    return Prompt(
        name=source.name,
        version=source.version,
        purpose=source.meta.get("purpose", ""),
        variables=source.declared,
        sections=tuple(sections),
        content_hash=source.content_hash,
        template=template,
        pipeline=source.meta.get("pipeline", "json_fields"),
        frame=int(source.meta["frame"]) if "frame" in source.meta else None,
    )


def _parse_parts(file_name: str, text: str) -> PromptParts:
    """A parts file: `## <part>` sections of f-string text."""
    source = _source(file_name, text)
    if source.kind != "parts":
        raise PromptError(f"{file_name}: a {source.kind} file, not a parts file")
    templates: dict[str, PromptTemplate] = {}
    for part, content in source.sections(_PART):
        if part in templates:
            raise PromptError(f"{file_name}: part '## {part}' appears twice")
        templates[part] = PromptTemplate.from_template(content, template_format="f-string")
    if not templates:
        raise PromptError(f"{file_name}: no '## <part>' section")
    source.check_variables(frozenset(v for t in templates.values() for v in t.input_variables))
    return PromptParts(
        name=source.name,
        version=source.version,
        purpose=source.meta.get("purpose", ""),
        variables=source.declared,
        templates=templates,
        content_hash=source.content_hash,
    )


def _parse_table(file_name: str, text: str) -> PromptTable:
    """A table file: one Markdown table, a header row and a separator row, then the rows."""
    source = _source(file_name, text)
    if source.kind != "table":
        raise PromptError(f"{file_name}: a {source.kind} file, not a table")
    if source.declared:
        raise PromptError(f"{file_name}: a table has no variables")
    lines = [line.strip() for line in source.body.strip().splitlines()]
    if len(lines) < 3 or not all(line.startswith("|") and line.endswith("|") for line in lines):
        raise PromptError(f"{file_name}: the body must be one Markdown table with rows")
    header, separator, *body = [[c.strip() for c in line[1:-1].split("|")] for line in lines]
    if not all(re.fullmatch(r":?-+:?", cell) for cell in separator):
        raise PromptError(f"{file_name}: the table's second line must be its '|---|' separator")
    for row in [header, separator, *body]:
        if len(row) != len(header) or not all(row):
            raise PromptError(f"{file_name}: every row needs {len(header)} non-empty cells")
    return PromptTable(
        name=source.name,
        version=source.version,
        purpose=source.meta.get("purpose", ""),
        columns=tuple(header),
        rows=tuple(tuple(row) for row in body),
        content_hash=source.content_hash,
    )


_PARSERS: dict[str, Callable[[str, str], PromptFile]] = {
    "chat": _parse,
    "parts": _parse_parts,
    "table": _parse_table,
}


@cache
def load_file(file_name: str) -> PromptFile:
    """A shipped prompt file by its file name, parsed according to its kind."""
    text = resources.files(__name__).joinpath(file_name).read_text(encoding="utf-8")
    return _PARSERS[_source(file_name, text).kind](file_name, text)


def prompt_files(kind: PromptKind | None = None) -> list[str]:
    """Every prompt file shipped in this package (of one kind, when given)."""
    names = sorted(
        entry.name for entry in resources.files(__name__).iterdir() if _FILE_NAME.match(entry.name)
    )
    return names if kind is None else [f for f in names if load_file(f).kind == kind]


def _file_for(name: str, version: int | None) -> str:
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
    return f"{name}.v{chosen}.md"


@cache
def load_prompt(name: str, version: int | None = None) -> Prompt:
    """A chat prompt by name; the highest version unless one is asked for."""
    loaded = load_file(_file_for(name, version))
    if not isinstance(loaded, Prompt):
        raise PromptError(f"{loaded.ref} is a {loaded.kind} file: load it with load_{loaded.kind}")
    return loaded


@cache
def load_parts(name: str, version: int | None = None) -> PromptParts:
    """A parts file by name; the highest version unless one is asked for."""
    loaded = load_file(_file_for(name, version))
    if not isinstance(loaded, PromptParts):
        raise PromptError(f"{loaded.ref} is a {loaded.kind} file, not parts")
    return loaded


@cache
def load_table(name: str, version: int | None = None) -> PromptTable:
    """A table file by name; the highest version unless one is asked for."""
    loaded = load_file(_file_for(name, version))
    if not isinstance(loaded, PromptTable):
        raise PromptError(f"{loaded.ref} is a {loaded.kind} file, not a table")
    return loaded


class ReflectionQuestion(NamedTuple):
    """One question of the guided reflection, with the words used for it in each place."""

    field: str  # the Reflection attribute that holds the answer
    question: str  # as the Reflect page asks it, to the user ("you")
    first_person: str  # heading the answer in the diagnosis prompt, in the user's voice ("I")
    label: str  # before the answer in the action plan prompt
    index_label: str  # before the answer in the text the history index stores


@cache
def load_reflection_questions() -> tuple[ReflectionQuestion, ...]:
    """The reflection questions, in the order the page asks them."""
    table = load_table("reflection_questions")
    if table.columns != ReflectionQuestion._fields:
        raise PromptError(
            f"{table.ref}: the columns must be {', '.join(ReflectionQuestion._fields)}"
        )
    return tuple(ReflectionQuestion(*row) for row in table.rows)
