"""The streamed note's preview: string values of an unfinished JSON object, in order."""

from __future__ import annotations

import pytest

from debrief.services.json_stream import partial_string_values


@pytest.mark.parametrize(
    ("buffer", "expected"),
    [
        ("", []),
        ("{", []),
        ('{"subj', []),
        ('{"subject": "Kaf', ["Kaf"]),
        ('{"subject": "Kafka", "details": ["one", "tw', ["Kafka", "one", "tw"]),
        ('{"subject": "Kafka", "opening": "Thank you."}', ["Kafka", "Thank you."]),
        ('{"a": "line\\nbreak and \\"quotes\\""}', ['line\nbreak and "quotes"']),
        ('{"a": "x \\ud83d\\ude00 y"}', ["x 😀 y"]),  # an escaped emoji is one character
        ('{"a": "caf\\u00', ["caf"]),  # an escape cut off at the end is dropped, not shown
        ('{"a": "q\\', ["q"]),
        ('{"a": "x", "b', ["x"]),  # a key is never shown
        ('{"n": 3, "ok": true, "s": "t"}', ["t"]),
        ("not json at all", []),
    ],
)
def test_partial_string_values(buffer: str, expected: list[str]) -> None:
    assert partial_string_values(buffer) == expected
