"""The shared text utilities: stems, note sentences and the email's anatomy."""

from __future__ import annotations

import pytest

from debrief.checks.text import body_text, classify_lines, line_sentences, stem


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("engineering", "engineer", True),
        ("management", "manager", True),
        ("invoicing", "invoice", True),
        ("splitting", "split", True),
        ("carer", "care", True),  # an exception: Snowball keeps the agent noun whole
        ("banker", "banking", True),
        ("helpful", "help", False),  # praise is not a request for help
        ("succeed", "succession", False),  # the hand-written stemmer folded these
        ("2025", "2025s", False),
    ],
)
def test_stems(first: str, second: str, same: bool) -> None:
    assert (stem(first) == stem(second)) is same


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "forecast." ends a sentence: only the whole word "St." is an abbreviation.
        ("A flexible forecast. I would build it.", ["A flexible forecast.", "I would build it."]),
        ("Dr. Lee met me at 7 a.m. sharp. Thanks.", ["Dr. Lee met me at 7 a.m. sharp.", "Thanks."]),
        ("It was approx. two hours.\nSee you", ["It was approx. two hours.", "See you"]),
    ],
)
def test_line_sentences_are_exact_substrings(text: str, expected: list[str]) -> None:
    sentences = line_sentences(text)
    assert sentences == expected
    assert all(sentence in text for sentence in sentences)


def test_anatomy_of_a_note() -> None:
    note = "Subject: Thanks\nDear Maria,\n\nThanks for the tour.\n\nThank you once again,\nAna"
    roles = [line.role for line in classify_lines(note)]
    assert roles == ["subject", "greeting", "blank", "body", "blank", "signoff", "signature"]
    assert body_text(note).split() == ["Thanks", "for", "the", "tour."]
