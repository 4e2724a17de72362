"""What every defect detector reads: the parts of a note, its sentences, and the facts of its
inputs grouped by whose they are.

Words, stems, sentences and the line anatomy (subject, greeting, sign-off, signature, body) are
the shared ones of `debrief.checks.text`, so a note is cut into parts the same way everywhere;
this module gives the parts names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from debrief.checks.notes.inputs import NoteInputs
from debrief.checks.text import GREETING_PREFIX, LineRole, classify_lines, line_sentences
from debrief.honorifics import split_title

_SUBJECT_LABEL = re.compile(r"^\s*subject\s*:\s*", re.IGNORECASE)


def phrase_pattern(phrase: str) -> re.Pattern[str]:
    """A case-insensitive pattern for `phrase` as whole words, any run of spaces between them."""
    parts = [re.escape(part) for part in phrase.split()]
    return re.compile(r"(?<![\w])" + r"\s+".join(parts) + r"(?![\w])", re.IGNORECASE)


# --------------------------------------------------------------------------------------------
# A note's parts
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One line of the body with its role; `text` is stripped of surrounding spaces."""

    text: str
    role: LineRole


def _after_greeting(line: Line) -> str:
    """A body line as it is; of a greeting line, only what follows "Dear Maria," if anything."""
    match = GREETING_PREFIX.match(line.text)
    if match:
        return line.text[match.end() :]
    return line.text if line.role == "body" else ""


@dataclass(frozen=True)
class NoteText:
    """A note as the detectors read it: the subject, and the body cut into lines by role."""

    subject: str  # the subject field, or else the "Subject:" line of the body (label kept)
    body: str
    lines: tuple[Line, ...]

    @classmethod
    def of(cls, subject: str, body: str) -> NoteText:
        roles = classify_lines(body)
        lines = tuple(Line(body[line.start : line.end].strip(), line.role) for line in roles)
        if not subject.strip():
            subject = next((line.text for line in lines if line.role == "subject"), "")
        return cls(subject.strip(), body, lines)

    @property
    def text(self) -> str:
        """Subject and body together, for what may appear anywhere in the note."""
        return f"{self.subject}\n{self.body}" if self.subject else self.body

    @cached_property
    def subject_text(self) -> str:
        """The subject without a "Subject:" label."""
        return _SUBJECT_LABEL.sub("", self.subject).strip()

    def _first(self, role: LineRole) -> str | None:
        return next((line.text for line in self.lines if line.role == role), None)

    @cached_property
    def greeting(self) -> str | None:
        """The greeting line, or the greeting that opens the first line ("Dear Maria,")."""
        line = self._first("greeting")
        if line is not None:
            return line
        first = next((item for item in self.lines if item.role == "body"), None)
        match = GREETING_PREFIX.match(first.text) if first is not None else None
        return match.group().strip() if match else None

    @cached_property
    def sign_off(self) -> str | None:
        return self._first("signoff")

    @cached_property
    def signature(self) -> tuple[str, ...]:
        return tuple(line.text for line in self.lines if line.role == "signature")

    @cached_property
    def paragraphs(self) -> tuple[tuple[str, ...], ...]:
        """Runs of body lines between blank, greeting and sign-off lines; a greeting that
        shares its line with the first sentence ("Dear Maria, thanks for…") is cut off."""
        runs: list[tuple[str, ...]] = []
        current: list[str] = []
        for line in self.lines:
            text = _after_greeting(line) if line.role in ("body", "greeting") else ""
            if text:
                current.append(text)
            elif current:
                runs.append(tuple(current))
                current = []
        if current:
            runs.append(tuple(current))
        return tuple(runs)

    @cached_property
    def body_lines(self) -> tuple[str, ...]:
        """The lines between greeting and sign-off."""
        return tuple(line for run in self.paragraphs for line in run)

    @cached_property
    def sentences(self) -> tuple[str, ...]:
        """The body's sentences, each an exact substring of the body."""
        return tuple(line_sentences("\n".join(self.body_lines)))

    @cached_property
    def anchor(self) -> str:
        """Where a whole-note defect points: the greeting line, or else the first line."""
        if self.greeting:
            return self.greeting
        return next((line.text for line in self.lines if line.text), self.subject)

    @cached_property
    def last_line(self) -> Line | None:
        return next((line for line in reversed(self.lines) if line.text), None)


# --------------------------------------------------------------------------------------------
# People
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonName:
    """A name as the user typed it: "Dr. Amara Osei" → honorific Dr., parts (Amara, Osei)."""

    full: str
    honorific: str
    parts: tuple[str, ...]

    @property
    def first(self) -> str:
        return self.parts[0] if self.parts else ""

    @property
    def last(self) -> str:
        return self.parts[-1] if len(self.parts) > 1 else ""

    @property
    def forms(self) -> tuple[str, ...]:
        """Ways a note may name the person, longest first: full name, first, last."""
        forms = {" ".join(self.parts), self.first, self.last, self.full.strip()}
        return tuple(sorted((form for form in forms if len(form) > 1), key=len, reverse=True))


def person_name(name: str) -> PersonName:
    """Split a person's name into honorific and the name's words."""
    raw = name.split()
    _, rest = split_title(name)
    return PersonName(name, " ".join(raw[: len(raw) - len(rest)]), tuple(rest))


# --------------------------------------------------------------------------------------------
# Inputs, grouped by whose they are
# --------------------------------------------------------------------------------------------


def own_texts(inputs: NoteInputs) -> list[str]:
    """What this interviewer's note may say as said in this conversation."""
    person = inputs.interviewer
    texts = [person.name, person.title, *person.topics, *person.questions, *inputs.takeaways]
    texts += [inputs.clarification, inputs.fumbled_question, inputs.company, inputs.role]
    texts += [inputs.stage, inputs.candidate_name]
    return [text for text in texts if text]


def candidate_texts(inputs: NoteInputs) -> list[str]:
    """The candidate's own words: their clarification and their takeaways."""
    return [text for text in (inputs.clarification, *inputs.takeaways) if text]


def all_input_texts(inputs: NoteInputs) -> list[str]:
    """Everything the user gave or the model was shown, the other interviewers included."""
    texts = [*own_texts(inputs), inputs.context]
    for other in inputs.others:
        texts += [other.name, other.title, *other.topics, *other.questions]
    return [text for text in texts if text]


def role_core(role: str) -> str:
    """The job without its qualifier after a comma or in brackets ("Vice President" of "Vice
    President, Credit Risk", "Community Midwife" of "Community Midwife, Band 6", "Production
    Baker" of "Production Baker (night shift)")."""
    return re.sub(r"\s*\([^)]*\)", "", role.split(",")[0]).strip()
