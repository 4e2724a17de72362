from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from debrief.tokens import count_tokens
from rag.chunking import chunk_text

WORDS = st.sampled_from(
    [
        "Kafka",
        "interview",
        "I",
        "froze",
        "when",
        "asked",
        "about",
        "the",
        "gap",
        "2019\u20132021",
        "invoice",
        "idempotent",
        "naïve",
        "شكرا",
        "🙂",
        "https://example.invalid/a/very/long/path",
        "x" * 300,
        "résumé",
        "!",
        "?",
        ".",
        "\n",
        "\n\n",
        "  ",
        "\t",
    ]
)
TEXTS = st.lists(WORDS, max_size=400).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(text=TEXTS, max_tokens=st.integers(min_value=8, max_value=120), overlap=st.integers(0, 30))
def test_no_text_is_lost_and_no_chunk_is_too_long(text: str, max_tokens: int, overlap: int) -> None:
    overlap = min(overlap, max_tokens - 1)
    chunks = chunk_text(text, max_tokens, overlap)
    covered = [False] * len(text)
    for chunk in chunks:
        assert chunk.text == text[chunk.start : chunk.end]
        assert chunk.tokens == count_tokens(chunk.text) <= max_tokens
        assert chunk.text.strip()
        for position in range(chunk.start, chunk.end):
            covered[position] = True
    lost = [i for i, ch in enumerate(text) if not ch.isspace() and not covered[i]]
    assert lost == []
    starts = [c.start for c in chunks]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)  # always moving forward


def test_chunks_break_at_sentences_and_overlap() -> None:
    sentences = [f"Sentence {n} talks about the Kafka migration plan in detail." for n in range(30)]
    text = " ".join(sentences)
    chunks = chunk_text(text, max_tokens=60, overlap_tokens=20)
    assert len(chunks) > 3
    for chunk in chunks:
        assert chunk.text.startswith("Sentence") and chunk.text.endswith(".")
    for previous, current in itertools.pairwise(chunks):
        assert current.start < previous.end  # the next chunk repeats the tail of the last one


def test_paragraphs_are_kept_whole_when_they_fit() -> None:
    text = "First paragraph about rapport.\n\nSecond paragraph about research."
    (chunk,) = chunk_text(text, max_tokens=50, overlap_tokens=0)
    assert chunk.text == text


@pytest.mark.parametrize("text", ["", "   \n\n\t  "])
def test_blank_text_has_no_chunks(text: str) -> None:
    assert chunk_text(text) == []


def test_bad_limits_are_refused() -> None:
    with pytest.raises(ValueError):
        chunk_text("x", max_tokens=10, overlap_tokens=10)
