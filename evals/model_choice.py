"""Which model drafts (`--model`), and its identity for the generation cache.

`--model` takes one of:

- a packaged model key (`qwen2.5-coder-1.5b`, `gemma-3-270m`): the embedded llama.cpp server;
- a path to a `.gguf` file: the embedded server with that file;
- `MODEL_ID@BASE_URL` (e.g. `llama3.1:8b@http://127.0.0.1:11434/v1`): an OpenAI-compatible endpoint.

Without it, the configured `DEBRIEF_*` settings decide, exactly as for the app.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import get_args

from debrief.errors import InputError
from debrief.llm.model_files import PACKAGED_MODELS, sha256_of
from debrief.settings import Settings, load_settings


@dataclass(frozen=True)
class ModelIdentity:
    """What makes two generations comparable: where, which model, which exact weights."""

    endpoint: str  # "embedded" (its port changes every start) or the base URL
    model: str
    file_sha256: str = ""  # the weights, for the embedded model; unknown behind an endpoint

    def as_dict(self) -> dict[str, str]:
        return {"endpoint": self.endpoint, "model": self.model, "file_sha256": self.file_sha256}

    @property
    def label(self) -> str:
        weights = f", sha256 {self.file_sha256[:12]}…" if self.file_sha256 else ""
        return f"{self.model} ({self.endpoint}{weights})"


def settings_for_model(spec: str | None) -> Settings:
    """The settings a `--model` value stands for, on top of the configured environment."""
    if spec is None or not spec.strip():
        return load_settings()
    spec = spec.strip()
    packaged = get_args(Settings.model_fields["embedded_model"].annotation)
    if spec in packaged:
        return load_settings(llm_provider="embedded", embedded_model=spec, model_path=None)
    if spec.endswith(".gguf"):
        path = Path(spec).expanduser()
        if not path.is_file():
            raise InputError(f"--model {spec}: no such GGUF file.")
        return load_settings(llm_provider="embedded", model_path=path)
    model_id, sep, base_url = spec.rpartition("@")
    if sep and model_id and base_url.startswith(("http://", "https://")):
        return load_settings(
            llm_provider="openai_compatible", llm_base_url=base_url, llm_model=model_id
        )
    raise InputError(
        f"--model {spec!r} is not a packaged model, a .gguf file or MODEL_ID@BASE_URL.",
        hint=f"Packaged models: {', '.join(packaged)}.",
    )


def model_identity(settings: Settings, hash_cache_dir: Path) -> ModelIdentity:
    """The identity of the configured model, without starting it (a cached run needs no model)."""
    if settings.llm_provider == "openai_compatible":
        assert settings.llm_base_url is not None and settings.llm_model is not None
        return ModelIdentity(settings.llm_base_url, settings.llm_model)
    if settings.model_path is not None:
        path = settings.model_path
        return ModelIdentity("embedded", path.name, _file_sha256(path, hash_cache_dir))
    packaged = PACKAGED_MODELS[settings.embedded_model]
    # The packaged file is verified against this sha256 before it is served, so it is the truth.
    return ModelIdentity("embedded", packaged.key, packaged.sha256)


def _file_sha256(path: Path, cache_dir: Path) -> str:
    """The file's sha256, remembered by path, size and mtime (hashing 1 GB takes seconds)."""
    try:
        stat = path.stat()
    except OSError as exc:
        raise InputError(f"Cannot read the model file {path}: {exc}.") from None
    memo = cache_dir / "model-hashes.json"
    key = f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}"
    known: dict[str, str] = {}
    try:
        loaded = json.loads(memo.read_text(encoding="utf-8"))
        known = {str(k): str(v) for k, v in loaded.items()}
    except (OSError, ValueError, AttributeError):
        known = {}
    if key not in known:
        known[key] = sha256_of(path)
        memo.parent.mkdir(parents=True, exist_ok=True)
        memo.write_text(json.dumps(known, indent=1), encoding="utf-8")
    return known[key]
