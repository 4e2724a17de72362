"""Token-aware chunking on paragraph and sentence boundaries, with overlap.

Chunks are spans of the original text (`text[start:end]`), so a citation can point back at the
exact characters. Every non-space character lands in at least one chunk and no chunk is longer
than `max_tokens` (counted with the offline cl100k encoding).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from debrief.tokens import count_tokens

_PARAGRAPH = re.compile(r"\n\s*\n")
# Sentence ends, including the ideographic full stop and fullwidth marks (U+3002, U+FF01, U+FF1F),
# optionally followed by closing quotes or brackets (U+201D, U+2019).
_SENTENCE_END = re.compile("(?<=[.!?\u2026\u3002\uff01\uff1f])[\"'\u201d\u2019)\\]]*\\s+")
_WORD = re.compile(r"\S+\s*")


@dataclass(frozen=True)
class Chunk:
    text: str
    start: int
    end: int
    tokens: int


def _spans(pattern: re.Pattern[str], text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split text[start:end] at the pattern; each piece keeps its trailing separator."""
    pieces, cursor = [], start
    for match in pattern.finditer(text, start, end):
        if match.end() > cursor:
            pieces.append((cursor, match.end()))
            cursor = match.end()
    if cursor < end:
        pieces.append((cursor, end))
    return pieces


def _split_to_fit(text: str, start: int, end: int, max_tokens: int) -> list[tuple[int, int]]:
    """Pieces of text[start:end] each within max_tokens: sentences, else words, else characters."""
    if count_tokens(text[start:end]) <= max_tokens:
        return [(start, end)]
    for pattern in (_SENTENCE_END, _WORD):
        pieces = _spans(pattern, text, start, end)
        if len(pieces) > 1:
            return [part for s, e in pieces for part in _split_to_fit(text, s, e, max_tokens)]
    middle = (start + end) // 2  # one huge "word" (a URL, base64): halve until it fits
    return _split_to_fit(text, start, middle, max_tokens) + _split_to_fit(
        text, middle, end, max_tokens
    )


def _units(text: str, max_tokens: int) -> list[tuple[int, int]]:
    units: list[tuple[int, int]] = []
    for start, end in _spans(_PARAGRAPH, text, 0, len(text)):
        if text[start:end].strip():
            units.extend(_split_to_fit(text, start, end, max_tokens))
    return units


def chunk_text(text: str, max_tokens: int = 200, overlap_tokens: int = 40) -> list[Chunk]:
    """Pack paragraphs/sentences greedily into chunks of at most `max_tokens` tokens.

    Each chunk after the first repeats the previous chunk's last sentences, up to
    `overlap_tokens`, so a thought cut at a boundary is still found whole.
    """
    if max_tokens < 8 or not 0 <= overlap_tokens < max_tokens:
        raise ValueError("need max_tokens >= 8 and 0 <= overlap_tokens < max_tokens")
    units = _units(text, max_tokens)
    chunks: list[Chunk] = []
    first = 0
    while first < len(units):
        last = first
        while (
            last + 1 < len(units)
            and count_tokens(text[units[first][0] : units[last + 1][1]].strip()) <= max_tokens
        ):
            last += 1
        chunks.append(_make_chunk(text, units[first][0], units[last][1]))
        if last + 1 >= len(units):
            break
        # Start the next chunk with the tail of this one, within the overlap budget.
        next_first = last + 1
        while (
            next_first - 1 > first
            and count_tokens(text[units[next_first - 1][0] : units[last][1]]) <= overlap_tokens
        ):
            next_first -= 1
        first = next_first
    return chunks


def _make_chunk(text: str, start: int, end: int) -> Chunk:
    # Trim surrounding whitespace but keep exact offsets.
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    piece = text[start:end]
    return Chunk(piece, start, end, count_tokens(piece))
