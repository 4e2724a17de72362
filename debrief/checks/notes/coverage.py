"""Coverage: the share of this interviewer's facts the note references."""

from __future__ import annotations

import math

from debrief.checks.notes.inputs import Fact, NoteInputs, note_facts
from debrief.checks.text import (
    Words,
    content_words,
    has_digit,
    join_words,
    quote,
    word_set,
    words,
)
from debrief.checks.types import CheckResult, CoverageEvidence, FactMatch

# Words that do not identify a company ("Northwind Logistics Inc" is cited by "Northwind").
_COMPANY_SUFFIXES = word_set("inc ltd llc corp corporation co plc gmbh ag sa group company")
# A fact of one or two content words must appear whole; a longer one when half its words do.
LONG_FACT_SHARE = 0.5


def needed_words(content_words: int) -> int:
    """How many of a fact's content words a note must use to reference it."""
    if content_words <= 2:
        return content_words
    return math.ceil(content_words * LONG_FACT_SHARE)


def _match_fact(fact: Fact, note: Words) -> tuple[bool, list[str]]:
    """Whether the note references the fact, and which of the fact's words it used."""
    if fact.kind == "name":
        # First name alone ("Dear Maria") or last name alone ("Ms. Chen") both cite the person.
        parts = [part for part in words(fact.text) if len(part) > 1]
        matched = [part for part in parts if part in note.words]
        return bool(matched), matched
    extra = _COMPANY_SUFFIXES if fact.kind == "company" else frozenset()
    content = content_words(fact.text, extra)
    if not content:  # only stopwords: every word must be there
        return all(token in note.words for token in words(fact.text)), []
    matched = [surface for stem, surface in content.items() if stem in note.stems]
    if fact.kind == "company":
        # The first word is the brand; "Logistics" alone does not name Northwind Logistics.
        return next(iter(content)) in note.stems or len(matched) == len(content), matched
    numbers_present = all(stem in note.stems for stem in content if has_digit(stem))
    return numbers_present and len(matched) >= needed_words(len(content)), matched


def coverage(
    note: str, inputs: NoteInputs, *, threshold: float = 0.6
) -> CheckResult[CoverageEvidence]:
    """Share of this interviewer's facts the note references (case/punctuation/stem tolerant)."""
    note_words = Words.of([note])
    per_fact: list[FactMatch] = []
    found: list[Fact] = []
    missing: list[Fact] = []
    for fact in note_facts(inputs):
        is_found, matched = _match_fact(fact, note_words)
        per_fact.append(FactMatch(fact.kind, fact.text, tuple(matched)))
        (found if is_found else missing).append(fact)
    total = len(found) + len(missing)
    score = len(found) / total if total else 1.0
    if missing:
        named = join_words([f"the {fact.kind} {quote(fact.text)}" for fact in missing])
        comment = f"The note cites {len(found)} of {total} facts; it does not mention {named}."
    else:
        comment = f"The note cites all {total} facts about {inputs.interviewer.name}."
    return CheckResult(
        key="coverage",
        score=score,
        passed=score >= threshold,
        comment=comment,
        evidence=CoverageEvidence(
            found=tuple(fact.text for fact in found),
            missing=tuple(fact.text for fact in missing),
            per_fact=tuple(per_fact),
        ),
    )
