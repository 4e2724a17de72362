"""Length: the note's word count against the user's limit."""

from __future__ import annotations

from debrief.checks.text import without_subject, word_count
from debrief.checks.types import CheckResult, LengthEvidence


def length(note: str, max_words: int) -> CheckResult[LengthEvidence]:
    """Word count of the note (a leading "Subject:" line excluded) against the limit."""
    words = word_count(without_subject(note))
    passed = words <= max_words
    if passed:
        comment = f"The note has {words} words, within the {max_words}-word limit."
    else:
        comment = f"The note has {words} words; cut {words - max_words} to fit {max_words}."
    return CheckResult(
        key="length",
        score=1.0 if passed else max_words / words,
        passed=passed,
        comment=comment,
        evidence=LengthEvidence(words, max_words),
    )
