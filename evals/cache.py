"""Generations on disk, so a re-run only re-scores.

One JSON file per (case, prompt version, model, sampling): `<root>/<case_id>/<label>-<key>.json`.
The key hashes the model identity (endpoint, model id, weights sha256), the prompt's content
hash (and the repair prompt's), the case's content hash and the sampling options. The rendered
messages are hashed too but kept out of the key: when only the code that renders them changed,
a live run regenerates (the entry is stale) while a replay of recorded generations
(`--offline`, as CI does) scores them and says they are stale.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

log = logging.getLogger(__name__)
FORMAT = 1  # bump when the stored shape changes; old entries then simply miss


class GenerationKey(BaseModel):
    """Everything that decides what the model writes for one case under one prompt version."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    format: int = FORMAT
    case_id: str
    case_hash: str
    prompt: str  # the variant label, e.g. thank_you_note@v1
    prompt_hash: str
    revision_hash: str
    model: dict[str, str]
    sampling: dict[str, Any]  # temperature, seed, max_tokens, tone, max_words, candidate name

    def digest(self) -> str:
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()[:20]


class NoteGeneration(BaseModel):
    """One interviewer's draft as generated (scores are recomputed on every run)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    interviewer: str
    subject: str = ""
    body: str = ""
    repaired: bool = False
    seconds: float = 0.0
    error: str = ""  # the model's output could not be used (e.g. invalid JSON): scored as empty


class CaseGeneration(BaseModel):
    """Every note of one case under one prompt version."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    key: GenerationKey
    input_hash: str  # of the rendered messages and schemas; a mismatch means "stale"
    model_id: str = ""  # as the server reported it
    notes: tuple[NoteGeneration, ...]
    created_at: str = ""

    @property
    def seconds(self) -> float:
        return sum(note.seconds for note in self.notes)


class GenerationCache:
    """A directory of `CaseGeneration` files; `read_only` for a committed recording."""

    def __init__(self, root: Path, *, read_only: bool = False) -> None:
        self.root = root
        self.read_only = read_only

    def path_for(self, key: GenerationKey) -> Path:
        label = key.prompt.replace("/", "_")
        return self.root / key.case_id / f"{label}-{key.digest()}.json"

    def load(self, key: GenerationKey) -> CaseGeneration | None:
        """The stored generation for exactly this key, or None (a damaged file is a miss)."""
        path = self.path_for(key)
        try:
            entry = CaseGeneration.model_validate_json(path.read_bytes())
        except FileNotFoundError:
            return None
        except (OSError, ValidationError) as exc:
            log.warning("ignoring the unreadable cache entry %s: %s", path, exc)
            return None
        return entry if entry.key == key else None

    def save(self, entry: CaseGeneration) -> Path:
        """Write atomically, so an interrupted run never leaves half a file behind."""
        if self.read_only:
            raise RuntimeError(f"the generation store {self.root} is read-only")
        path = self.path_for(entry.key)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
        text = json.dumps(entry.model_dump(mode="json"), indent=1, ensure_ascii=False)
        partial.write_text(text + "\n", encoding="utf-8")
        os.replace(partial, path)
        return path

    def load_json(self, name: str) -> dict[str, Any] | None:
        """A small side entry (e.g. a judge verdict) by content-derived name."""
        path = self.root / "side" / f"{name}.json"
        try:
            loaded = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return loaded if isinstance(loaded, dict) else None

    def save_json(self, name: str, payload: dict[str, Any]) -> None:
        if self.read_only:
            return  # a replay never records; the side entry is simply recomputed next time
        path = self.root / "side" / f"{name}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
        partial.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
        os.replace(partial, path)


def content_hash(payload: Any) -> str:
    """sha256 of a JSON-serialisable value, key order ignored."""
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()[:20]
