"""evals.cache: generations on disk, keyed by everything that decides what the model writes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from evals.cache import CaseGeneration, GenerationCache, GenerationKey, NoteGeneration


def _key(**changes: Any) -> GenerationKey:
    values: dict[str, Any] = {
        "case_id": "c",
        "case_hash": "h",
        "prompt": "thank_you_note@v1",
        "prompt_hash": "p",
        "revision_hash": "r",
        "model": {"endpoint": "embedded", "model": "m", "file_sha256": "s"},
        "sampling": {"temperature": 0.0, "seed": 7},
    }
    values.update(changes)
    return GenerationKey(**values)


def test_cache_round_trip_and_misses(tmp_path: Path) -> None:
    cache = GenerationCache(tmp_path)
    entry = CaseGeneration(
        key=_key(), input_hash="i", notes=(NoteGeneration(interviewer="A", body="Hi"),)
    )
    path = cache.save(entry)
    assert path.parent.name == "c" and path.name.startswith("thank_you_note@v1-")
    assert cache.load(_key()) == entry
    for changed in ({"seed": 8}, {"temperature": 0.2}):
        assert cache.load(_key(sampling={"temperature": 0.0, "seed": 7} | changed)) is None
    other_weights = {"endpoint": "embedded", "model": "m", "file_sha256": "t"}
    assert cache.load(_key(model=other_weights)) is None  # the weights are part of the identity
    assert cache.load(_key(prompt_hash="q")) is None
    path.write_text("{broken")
    assert cache.load(_key()) is None
    with pytest.raises(RuntimeError):
        GenerationCache(tmp_path, read_only=True).save(entry)
