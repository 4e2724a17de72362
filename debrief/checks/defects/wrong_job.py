"""`wrong_job`: the wrong job or company named as the one applied for.

Read where a note names a job: "the X role", "the role of X", "my role as X", "as (a) X at
<company>", "as a X", and the subject line. A job named there must contain the role applied for
(its words before any comma: "Vice President" of "Vice President, Credit Risk") and add no level
word ("Platform Engineer" for "Staff Platform Engineer" is wrong, ruling 14). The small model's
usual slip is the interviewer's own title ("the role of SRE Lead" to the SRE lead); a subject that
is only someone's title reads as the job too (ruling 7), and so does the end of one before
"role" ("the Residential Property role" from "Head of Residential Property"). "at <company>"
after a job must name the company. The role's qualifier in brackets may go ("Production Baker"
for "Production Baker (night shift)"), and a role with "in" in it is read whole ("the role of
Lecturer in Environmental Science").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from debrief.checks.defects.text import NoteText, role_core
from debrief.checks.defects.types import Defect
from debrief.checks.notes.inputs import NoteInputs
from debrief.checks.text import content_stems, stem, word_set, words

KEY = "wrong_job"

# The head nouns of job titles: a phrase ending in one names a job.
_JOB_NOUNS = frozenset(
    stem(word)
    for word in word_set(
        """
        manager lead leader engineer director nurse officer teacher headteacher developer
        analyst designer midwife pharmacist banker supervisor advisor adviser partner
        coordinator agent electrician apprentice lecturer educator head chief president vp
        specialist consultant technician hygienist baker paralegal generalist worker assistant
        associate architect scientist recruiter governor principal administrator clerk
        representative executive cashier chef cook operative planner accountant controller
        trainee intern surveyor inspector therapist physician doctor dentist receptionist
        secretary editor researcher professor fellow tutor instructor coach counsellor counselor
        sre cto ceo cfo coo founder owner dean registrar solicitor
        """
    )
)
_LEVEL_WORDS = frozenset(
    stem(word)
    for word in word_set("senior junior lead principal staff head chief deputy assistant trainee")
)
_NAME_WORD = r"[A-Z][\w'\u2019&/-]*"
_CAPITALISED_RUN = rf"{_NAME_WORD}(?:[ \t]+(?:of|and|&|for|{_NAME_WORD}))*"
_ROLE_OF = re.compile(
    r"\b(?:role|position|job|post)\s+(?:of|as)\s+(?:an?\s+|the\s+)?"
    r"(?P<x>[^,.;:!?\n]+?)(?=\s+(?:at|with|in|and|to|for)\b|[,.;:!?\n]|$)",
    re.IGNORECASE,
)
# "as (a) Clinical Nurse Educator"; not "such as …", nor "As Head of School, you…" (a title
# describing the reader).
_AS_TITLE = re.compile(rf"(?<!such\s)\b[Aa]s\s+(?:an?\s+|the\s+)?(?P<x>{_CAPITALISED_RUN})")
_ADDRESSED = re.compile(r"\s*,\s*(?:you|your)\b", re.IGNORECASE)
_AS_AT = re.compile(
    r"\bas\s+(?:an?\s+|the\s+)?(?P<x>[a-z][\w'\u2019&/-]*(?:\s+[a-z][\w'\u2019&/-]*){0,6}?)"
    r"\s+at\s+[A-Z]"
)
_BEFORE_ROLE = re.compile(r"\b(?:role|position)\b", re.IGNORECASE)
_STOP_BEFORE = word_set(
    """the a an this that my your our his her their for to about in at on with into from new
    current open same next any which whose discuss apply applying applied interview"""
)
_AT_COMPANY = re.compile(rf"^\s+at\s+(?P<co>{_CAPITALISED_RUN})")


def _trim(phrase: str) -> str:
    parts = phrase.split()
    while parts and parts[-1].lower() in ("of", "and", "&", "for"):
        parts.pop()
    return " ".join(parts)


def _words_before(text: str, end: int) -> str:
    """The words just before `end` that can belong to a job title ("Brand Design Lead")."""
    kept: list[str] = []
    for token in reversed(text[:end].split()[-7:]):
        bare = token.strip("\"'“”()")
        if not bare or bare[-1] in ",.;:!?" or bare.lower() in _STOP_BEFORE:
            break
        if re.search(r"['\u2019]s$", bare):
            break  # "Kestrel Outdoor's brand design lead role": the job starts after it
        kept.append(bare)
    return " ".join(reversed(kept))


def _mentions(text: str, role: str) -> Iterator[tuple[str, int]]:
    """(job phrase, end offset) for every place the text names a job."""
    for pattern in (_ROLE_OF, _AS_TITLE, _AS_AT):
        for match in pattern.finditer(text):
            if pattern is _AS_TITLE and _ADDRESSED.match(text, match.end()):
                continue
            start = match.start("x")
            if text[start:].lower().startswith(role.lower()):
                # "the role of Lecturer in Environmental Science": the job runs past "in".
                yield text[start : start + len(role)], start + len(role)
                continue
            phrase = _trim(match["x"])
            if phrase:
                yield phrase, start + len(phrase)
    for match in _BEFORE_ROLE.finditer(text):
        phrase = _words_before(text, match.start())
        if phrase:
            yield phrase, match.end()


def _titles(inputs: NoteInputs) -> list[str]:
    people = (inputs.interviewer, *inputs.others)
    return [person.title for person in people if person.title.strip()]


def _is_job(phrase: str, inputs: NoteInputs, *, title_tail: bool = True) -> bool:
    tokens = words(phrase)
    if not tokens:
        return False
    if stem(tokens[-1]) in _JOB_NOUNS or tokens[0] in ("head", "chief", "vice"):
        return True
    # Someone's title, whole or its last words ("the Residential Property role" from "Head of
    # Residential Property").
    return any(
        words(title) == tokens
        or (title_tail and len(tokens) >= 2 and words(title)[-len(tokens) :] == tokens)
        for title in _titles(inputs)
    )


def _is_role(phrase: str, role: str) -> bool:
    said = {stem(token) for token in words(phrase)}
    wanted = {stem(token) for token in words(role_core(role))}
    full = {stem(token) for token in words(role)}
    return wanted <= said and not (said - full) & _LEVEL_WORDS


def _company_ok(text: str, end: int, inputs: NoteInputs) -> bool:
    match = _AT_COMPANY.match(text[end:])
    if match is None:
        return True
    named = words(match["co"])
    company = words(inputs.company)
    if not named or not company:
        return True
    # A cut-off name ("FreshWay Groce") is the broken_text detector's business.
    return any(word in company or any(c.startswith(word) for c in company) for word in named)


def _subject_defects(note: NoteText, inputs: NoteInputs) -> list[Defect]:
    subject = note.subject_text
    if not subject:
        return []
    said = words(subject)
    for title in _titles(inputs):
        if said == words(title) and not _is_role(title, inputs.role):
            return [Defect(KEY, subject, f"The subject '{subject}' is a title, not your job.")]
    # A bare topic may be a subject (ruling 7), even when it ends someone's title ("Model
    # Validation" of "Head of Model Validation").
    if len(said) <= 5 and _is_job(subject, inputs, title_tail=False):
        subject_stems = content_stems(subject)
        role_stems = content_stems(inputs.role)
        if subject_stems < role_stems or not (subject_stems & role_stems):
            return [Defect(KEY, subject, f"The subject names a job that is not {inputs.role}.")]
    return []


def find(note: NoteText, inputs: NoteInputs) -> list[Defect]:
    if not inputs.role.strip():
        return []
    found = _subject_defects(note, inputs)
    seen: set[str] = set()
    for sentence in note.sentences:
        for phrase, end in _mentions(sentence, inputs.role.strip()):
            if phrase in seen:
                continue
            if _is_job(phrase, inputs) and not _is_role(phrase, inputs.role):
                seen.add(phrase)
                reason = f"The note names '{phrase}' as the job; you applied for {inputs.role}."
                found.append(Defect(KEY, phrase, reason))
            elif _is_job(phrase, inputs) and not _company_ok(sentence, end, inputs):
                seen.add(phrase)
                reason = f"The note names another company than {inputs.company}."
                found.append(Defect(KEY, sentence, reason))
    return found
