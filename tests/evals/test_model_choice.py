"""evals.model_choice: `--model` values and the model identity the cache keys on."""

from __future__ import annotations

from pathlib import Path

import pytest

from debrief.errors import InputError
from debrief.llm.model_files import PACKAGED_MODELS
from evals.model_choice import model_identity, settings_for_model


def test_model_choice_and_identity(tmp_path: Path) -> None:
    packaged = settings_for_model("gemma-3-270m")
    identity = model_identity(packaged, tmp_path)
    assert identity.endpoint == "embedded"
    assert identity.file_sha256 == PACKAGED_MODELS["gemma-3-270m"].sha256
    remote = settings_for_model("llama3.1:8b@http://127.0.0.1:11434/v1")
    assert remote.llm_provider == "openai_compatible" and remote.llm_model == "llama3.1:8b"
    assert model_identity(remote, tmp_path).endpoint == "http://127.0.0.1:11434/v1"
    gguf = tmp_path / "tiny.gguf"
    gguf.write_bytes(b"GGUF weights")
    first = model_identity(settings_for_model(str(gguf)), tmp_path)
    assert first.model == "tiny.gguf" and len(first.file_sha256) == 64
    assert (tmp_path / "model-hashes.json").is_file()  # remembered, not re-hashed
    assert model_identity(settings_for_model(str(gguf)), tmp_path) == first


@pytest.mark.parametrize("spec", ["gpt-4o", "missing.gguf", "@http://x/v1"])
def test_bad_model_choices_are_errors(spec: str) -> None:
    with pytest.raises(InputError):
        settings_for_model(spec)
