"""Company research from a web page, fetched from a real HTTP server on loopback."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from debrief.errors import InputError
from debrief.intake import research_from_url
from tests.conftest import free_port
from tests.unit.test_intake import HTML_PAGE, PDF_CONTENT, PDF_SENTENCE, make_pdf

pytestmark = pytest.mark.integration


# --- a site on loopback -------------------------------------------------------------------------------------


@dataclass
class Site:
    """A real HTTP server on loopback and what its handlers saw."""

    base: str = ""
    release: threading.Event = field(default_factory=threading.Event)
    stream_finished: threading.Event = field(default_factory=threading.Event)


def _handler_for(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            routes: dict[str, Callable[[], None]] = {
                "/page.html": lambda: self._send(200, "text/html; charset=utf-8", HTML_PAGE),
                "/notes.txt": lambda: self._send(200, "text/plain", "Plain notes\nsecond line"),
                "/latin.txt": lambda: self._send(200, "text/plain; charset=latin-1", b"caf\xe9"),
                "/report.pdf": lambda: self._send(200, "application/pdf", make_pdf(PDF_CONTENT)),
                "/logo.png": lambda: self._send(200, "image/png", b"\x89PNG\r\n\x1a\n"),
                "/redirect": lambda: self._redirect("/page.html"),
                "/loop": lambda: self._redirect("/loop"),
                "/to-ftp": lambda: self._redirect("ftp://127.0.0.1/file"),
                "/big": self._big_declared,
                "/big-stream": self._big_streamed,
                "/slow": self._slow,
            }
            routes.get(self.path, lambda: self._send(404, "text/plain", "Not here"))()

        def _send(self, status: int, content_type: str, body: str | bytes) -> None:
            data = body.encode() if isinstance(body, str) else body
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self._write(data)

        def _redirect(self, location: str) -> None:
            self.send_response(302)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def _big_declared(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(5 * 1024 * 1024))
            self.end_headers()
            self._write(b"a" * (5 * 1024 * 1024))

        def _big_streamed(self) -> None:
            # No Content-Length: 3 MB now, the last 2 MB only after the test releases it (or
            # 3 s pass). A client that read the whole 5 MB body would have to wait.
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            if self._write(b"a" * (3 * 1024 * 1024)):
                site.release.wait(timeout=3)
                if self._write(b"a" * (2 * 1024 * 1024)):
                    site.stream_finished.set()

        def _slow(self) -> None:
            site.release.wait(timeout=3)
            self._send(200, "text/plain", "Too late")

        def _write(self, data: bytes) -> bool:
            try:
                self.wfile.write(data)
                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                return False  # the client gave up, as it should
            return True

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client hanging up mid-response is expected here


@pytest.fixture
def site() -> Iterator[Site]:
    state = Site()
    server = _QuietServer(("127.0.0.1", 0), _handler_for(state))
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield state
    finally:
        state.release.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_html_page(site: Site) -> None:
    before = datetime.now(UTC)

    research = research_from_url(f"{site.base}/page.html")

    assert research.title == "Northwind & Co | About"
    assert "Founded 2009\n400 engineers" in research.text
    assert "SCRIPT" not in research.text
    assert (research.source, research.source_kind) == (f"{site.base}/page.html", "url")
    assert research.fetched_at is not None
    assert research.fetched_at.tzinfo is UTC
    assert before <= research.fetched_at <= before + timedelta(seconds=5)


@pytest.mark.parametrize(
    ("path", "expected_title", "expected_text"),
    [
        ("/notes.txt", "127.0.0.1/notes.txt", "Plain notes\nsecond line"),
        ("/latin.txt", "127.0.0.1/latin.txt", "café"),
        ("/report.pdf", "127.0.0.1/report.pdf", PDF_SENTENCE),
        ("/redirect", "Northwind & Co | About", "Northwind moves freight across Europe."),
    ],
    ids=["plain-text", "declared-charset", "pdf", "redirect"],
)
def test_other_readable_links(
    site: Site, path: str, expected_title: str, expected_text: str
) -> None:
    research = research_from_url(site.base + path)

    assert research.title == expected_title
    assert expected_text in research.text


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/missing", "answered 404 Not Found"),
        ("/logo.png", "returns image/png"),
        ("/loop", "redirects more than 5 times"),
        ("/to-ftp", "failed"),
        ("/big", r"larger than 2 MB"),
    ],
    ids=["404", "image", "redirect-loop", "redirect-to-ftp", "declared-too-big"],
)
def test_unusable_links_are_refused(site: Site, path: str, expected: str) -> None:
    with pytest.raises(InputError, match=expected) as caught:
        research_from_url(site.base + path)

    assert caught.value.hint


def test_big_body_is_refused_as_soon_as_it_passes_the_limit(site: Site) -> None:
    started = time.monotonic()

    with pytest.raises(InputError, match="larger than 2 MB"):
        research_from_url(f"{site.base}/big-stream")

    assert time.monotonic() - started < 2
    assert not site.stream_finished.is_set()


def test_smaller_max_bytes_is_honoured(site: Site) -> None:
    with pytest.raises(InputError, match=r"larger than 0\.1 KB"):
        research_from_url(f"{site.base}/page.html", max_bytes=100)


def test_slow_site_times_out_with_a_clear_message(site: Site) -> None:
    started = time.monotonic()

    with pytest.raises(InputError, match=r"did not answer within 1 s"):
        research_from_url(f"{site.base}/slow", timeout_s=1.0)

    assert time.monotonic() - started < 2.5


def test_nothing_listening_is_a_connection_error() -> None:
    with pytest.raises(InputError, match=r"Could not connect to 127\.0\.0\.1"):
        research_from_url(f"http://127.0.0.1:{free_port()}/", timeout_s=2.0)
