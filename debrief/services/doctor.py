"""`doctor`: the checks a user runs when something is wrong (CLI and Settings page)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from debrief.errors import DebriefError
from debrief.llm.connection import LLMConnection, embedded_config
from debrief.llm.embedded import get_embedded_server
from debrief.llm.model_files import ProgressCallback, no_progress, resolve_model_file
from debrief.llm.types import ChatMessage, Sampling, StreamStats
from debrief.settings import Settings


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    detail: str
    hint: str = ""
    seconds: float | None = None


@dataclass
class DoctorReport:
    configuration: dict[str, str]
    checks: list[CheckResult] = field(default_factory=list)

    @property
    def healthy(self) -> bool:
        return all(check.ok for check in self.checks)


def _timed(name: str, action: Callable[[], str]) -> CheckResult:
    started = time.perf_counter()
    try:
        detail = action()
    except DebriefError as exc:
        return CheckResult(name, False, exc.message, exc.hint, time.perf_counter() - started)
    return CheckResult(name, True, detail, seconds=time.perf_counter() - started)


def run_doctor(settings: Settings, progress: ProgressCallback = no_progress) -> DoctorReport:
    """Check the model file, the endpoint's health and a one-token round trip, in order.

    Stops at the first failing check: later checks depend on the earlier ones.
    """
    report = DoctorReport(configuration=settings.public_view())
    connection = LLMConnection(settings)

    if settings.llm_provider == "embedded":

        def model_file() -> str:
            found = resolve_model_file(
                settings.data_dir,
                settings.embedded_model,
                settings.model_path,
                progress,
                full_check=True,
            )
            size_mb = found.path.stat().st_size / 2**20
            integrity = "sha256 verified" if found.verified else "no sha256 known (custom file)"
            return f"{found.path} ({size_mb:.0f} MB, {integrity})"

        def endpoint() -> str:
            server = get_embedded_server(embedded_config(settings), progress)
            with httpx.Client(timeout=5.0, trust_env=False) as http:
                status = http.get(server.address + "/health").status_code
            loaded = f"loaded in {server.load_seconds:.1f} s, " if server.load_seconds else ""
            return f"llama.cpp at {server.base_url} ({loaded}/health {status})"

        checks = [("model file", model_file), ("endpoint", endpoint)]
    else:

        def endpoint() -> str:
            models = connection.get().list_models()
            wanted = settings.llm_model
            if wanted and models and wanted not in models:
                shown = ", ".join(models[:8]) + (" …" if len(models) > 8 else "")
                return f"{settings.llm_base_url} answers; it lists {shown} (not {wanted})"
            return f"{settings.llm_base_url} answers ({len(models)} models listed)"

        checks = [("endpoint", endpoint)]

    def round_trip() -> str:
        client = connection.get(progress)
        stats = StreamStats()
        messages = [ChatMessage("user", "Reply with the single word: ready")]
        text = "".join(client.stream_chat(messages, Sampling(max_tokens=4), stats))
        first = f"{stats.first_token_s * 1000:.0f} ms" if stats.first_token_s is not None else "n/a"
        return f"model {client.model_id!r} answered {text.strip()!r}; first token after {first}"

    checks.append(("round trip", round_trip))
    for name, action in checks:
        result = _timed(name, action)
        report.checks.append(result)
        if not result.ok:
            break
    return report
