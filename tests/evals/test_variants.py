"""evals.variants: prompt versions by name, and the naive floor's request."""

from __future__ import annotations

from datetime import datetime

import pytest

from debrief.errors import InputError
from debrief.records.models import Interview, Interviewer
from evals.variants import naive_messages, naive_variant, parse_variant, previous_variant
from prompts import load_prompt


@pytest.mark.parametrize("text", ["thank_you_note@v1", "v1", "1", " V1 "])
def test_prompt_versions_parse(text: str) -> None:
    variant = parse_variant(text.lower())
    assert variant.label == "thank_you_note@v1" and variant.version == 1
    assert len(variant.prompt_hash) == 16 and variant.revision_hash


@pytest.mark.parametrize("text", ["thank_you_note@v99", "banana", "quick_draft@v1"])
def test_unknown_prompt_versions_are_errors(text: str) -> None:
    with pytest.raises(InputError):
        parse_variant(text)


def test_naive_parses_and_has_no_version_before_it() -> None:
    naive = parse_variant("naive")
    assert naive.is_naive and naive == naive_variant() and previous_variant(naive) is None
    assert previous_variant(parse_variant("v1")) is None
    assert len(naive.prompt_hash) == 16 and naive.revision_hash == ""


_INTERVIEW = Interview(company="Northwind", role="Backend Engineer", held_at=datetime(2026, 11, 18))


@pytest.mark.parametrize(
    ("person", "expected"),
    [
        (
            Interviewer(
                interview_id=1, name="Maria Chen", title="Manager", topics=["Kafka", "{on-call}"]
            ),
            {"name": "Maria Chen", "title": "Manager", "topics": "Kafka; {on-call}"},
        ),
        (
            Interviewer(interview_id=1, name="Dev Patel"),
            {"name": "Dev Patel", "title": "interviewer", "topics": "the interview"},
        ),
    ],
)
def test_the_naive_request_is_one_user_message_from_its_prompt_file(
    person: Interviewer, expected: dict[str, str]
) -> None:
    messages = naive_messages(person, _INTERVIEW)
    assert [m.role for m in messages] == ["user"]
    assert messages == load_prompt("naive_note").render(company="Northwind", **expected)
    for value in (*expected.values(), "Northwind"):
        assert value in messages[0].content  # braces in user text reach the model literally
