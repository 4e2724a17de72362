"""Reading the string values of a JSON object while it is still being streamed."""

from __future__ import annotations

from typing import Any

from pydantic_core import from_json


def partial_string_values(buffer: str) -> list[str]:
    """The string VALUES (not keys) in a possibly unfinished JSON text, in order.

    The last one may be cut off mid-way; that is what lets a streamed note appear word by word.
    pydantic's partial parser decodes every escape (surrogate pairs included) and drops an
    escape or key cut off at the end.
    """
    try:
        parsed = from_json(buffer, allow_partial="trailing-strings")
    except ValueError:  # nothing parseable yet (an empty buffer), or not JSON at all
        return []
    return list(_strings(parsed))


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []
