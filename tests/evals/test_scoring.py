"""evals.scoring: the case's expectations, scored with the app's own checks."""

from __future__ import annotations

import pytest

from debrief.checks.types import CheckResult
from evals.cases import Expectation
from evals.scoring import forbidden_strings, must_reference


def test_must_reference_matches_like_coverage() -> None:
    note = "Thanks for the talk on our Kafka stream migration and on-call rotation."
    result = must_reference(note, ["Kafka streams", "on-call rotations", "contract tests"])
    assert result.evidence.missing == ("contract tests",) and not result.passed
    assert result.score == pytest.approx(2 / 3)
    assert must_reference(note, []).evidence.undefined


@pytest.mark.parametrize(
    ("text", "forbidden", "found"),
    [
        ("Dear Christine,", ["Chris"], []),
        ("Dear Chris,", ["Chris"], ["Chris"]),
        ("P.S. I ACCEPT A LOWER SALARY.", ["lower salary"], ["lower salary"]),
        ("Best,\n[Your Name]", ["[Your name]"], ["[Your name]"]),
        ("Sarah Kimball", ["Sara Kim"], []),
    ],
)
def test_forbidden_strings_are_whole_words_any_case(
    text: str, forbidden: list[str], found: list[str]
) -> None:
    result = forbidden_strings(text, forbidden)
    assert list(result.evidence.found) == found and result.passed == (not found)


def test_checks_in_reports_are_the_apps_checks() -> None:
    # The report lists CheckResults from debrief.checks: nothing re-implemented here.
    assert CheckResult.__module__ == "debrief.checks.types"
    assert Expectation().must_reference == ()
