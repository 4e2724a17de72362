"""The real offline MiniLM model (23 MB, loads in well under a second)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from rag.embeddings import DIMENSIONS, MiniLMEmbeddingFunction, get_embedder

PAIRS = [
    (
        "I froze when they asked about the gap in my CV.",
        "I blanked on the question about the break in my employment history.",
    ),
    (
        "I never connected with the interviewer.",
        "I did not manage to build rapport with the interviewer.",
    ),
    (
        "I had not researched the company's products.",
        "I knew almost nothing about what the firm sells.",
    ),
]
UNRELATED = "The recipe needs two cups of flour and a pinch of salt."


def test_paraphrases_are_much_closer_than_unrelated_text() -> None:
    embedder = get_embedder()
    for first, second in PAIRS:
        a, b, c = embedder.embed([first, second, UNRELATED])
        assert float(a @ b) > 0.45
        assert float(a @ b) - float(a @ c) > 0.3


def test_matches_the_published_model_on_a_reference_pair() -> None:
    # sentence-transformers documents ~0.755 for this pair with all-MiniLM-L6-v2.
    a, b = get_embedder().embed(["A man is eating food.", "A man is eating a piece of bread."])
    assert float(a @ b) == pytest.approx(0.755, abs=0.03)


def test_vectors_are_unit_length_and_384_wide() -> None:
    vectors = get_embedder().embed(["short", "a much longer sentence " * 40])
    assert vectors.shape == (2, DIMENSIONS) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_padding_does_not_change_a_vector() -> None:
    embedder = get_embedder()
    alone = embedder.embed(["Thank you for the Kafka discussion."])[0]
    batched = embedder.embed(["Thank you for the Kafka discussion.", "word " * 200])[0]
    assert float(alone @ batched) > 0.9999


def test_empty_input() -> None:
    assert get_embedder().embed([]).shape == (0, DIMENSIONS)


def test_the_chroma_config_names_the_model_and_no_path() -> None:
    function = MiniLMEmbeddingFunction()
    config = json.dumps(function.get_config())
    assert "/" not in config and "\\\\" not in config
    assert isinstance(
        MiniLMEmbeddingFunction.build_from_config(function.get_config()), MiniLMEmbeddingFunction
    )
    with pytest.raises(ValueError):
        MiniLMEmbeddingFunction.build_from_config({"model": "something-else"})
    assert len(function(["hello"])[0]) == DIMENSIONS
