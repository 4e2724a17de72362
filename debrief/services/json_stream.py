"""Reading the string values of a JSON object while it is still being streamed."""

from __future__ import annotations

import contextlib

_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


def partial_string_values(buffer: str) -> list[str]:
    """The string VALUES (not keys) in a possibly unfinished JSON text, in order.

    The last one may be cut off mid-way; that is what lets a streamed note appear word by word.
    """
    values: list[str] = []
    stack: list[str] = []  # "{" or "["
    expecting_key = False
    i = 0
    while i < len(buffer):
        ch = buffer[i]
        if ch == "{":
            stack.append("{")
            expecting_key = True
        elif ch == "[":
            stack.append("[")
            expecting_key = False
        elif ch in "}]":
            if stack:
                stack.pop()
            expecting_key = False
        elif ch == ",":
            expecting_key = bool(stack) and stack[-1] == "{"
        elif ch == ":":
            expecting_key = False
        elif ch == '"':
            text, i = _read_string(buffer, i + 1)
            if not expecting_key:
                values.append(text)
            continue
        i += 1
    return values


def _read_string(buffer: str, i: int) -> tuple[str, int]:
    out: list[str] = []
    while i < len(buffer):
        ch = buffer[i]
        if ch == '"':
            return "".join(out), i + 1
        if ch == "\\" and i + 1 < len(buffer):
            code = buffer[i + 1]
            if code == "u" and i + 6 <= len(buffer):
                with contextlib.suppress(ValueError):  # a malformed escape: skip it
                    out.append(chr(int(buffer[i + 2 : i + 6], 16)))
                i += 6
                continue
            out.append(_ESCAPES.get(code, code))
            i += 2
            continue
        if ch == "\\":
            break  # an escape cut off at the end of the buffer
        out.append(ch)
        i += 1
    return "".join(out), len(buffer)
