"""Company research intake: pasted text, an uploaded file or a URL, turned into clean text.

Every function here returns a value or raises `InputError`; nothing is written anywhere.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import math
import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import PurePath
from typing import Literal

import httpx
from pypdf import PdfReader
from selectolax.lexbor import LexborHTMLParser, LexborNode

from debrief.errors import InputError
from debrief.text_safety import clean_user_text

SourceKind = Literal["pasted", "file", "url"]

MAX_RESEARCH_CHARS = 100_000
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_URL_BYTES = 2 * 1024 * 1024
MAX_REDIRECTS = 5
MAX_TITLE_CHARS = 80
SUPPORTED_FILE_TYPES = (".txt", ".md", ".pdf", ".html", ".htm")

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_URL_TYPES = (*sorted(_HTML_TYPES), "text/plain", "application/pdf")

# Content the reader never sees: dropped whole, text and all.
_DROPPED_TAGS = frozenset(
    {"script", "style", "noscript", "template", "svg", "head", "iframe", "object", "math"}
)
_PARAGRAPH_TAGS = frozenset(
    {
        "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "table", "blockquote",
        "pre", "figure", "section", "article", "header", "footer", "nav", "aside", "main",
        "form", "fieldset", "address", "hr",
    }
)  # fmt: skip
_LINE_TAGS = frozenset(
    {"div", "li", "tr", "dt", "dd", "caption", "figcaption", "details", "summary", "option"}
)
_BLOCK_BREAKS = {tag: 2 for tag in _PARAGRAPH_TAGS} | {tag: 1 for tag in _LINE_TAGS}
_CELL_TAGS = frozenset({"td", "th"})
# A cell ends with a tab; tabs in the page's own text are turned into spaces first, so the only
# tabs left mark cell boundaries and become " | ".
_CELL_END = "\t"
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_WHITESPACE = re.compile(r"\s+")
_SPACES = re.compile(r"[ \t\f\v\xa0]+")
_BLANK_RUNS = re.compile(r"\n{3,}")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)


@dataclass(frozen=True)
class ResearchText:
    """Research about a company as clean text, with where it came from."""

    title: str
    source: str
    source_kind: SourceKind
    text: str
    fetched_at: datetime | None


@dataclass(frozen=True)
class _Download:
    body: bytes
    media_type: str
    charset: str | None


def research_from_paste(text: str, title: str = "") -> ResearchText:
    """Research the user pasted; the title defaults to the first line."""
    clean = _checked_text(text, "The pasted text")
    first_line = next(line for line in clean.splitlines() if line.strip())
    return ResearchText(
        title=_title(title, first_line, "Pasted research"),
        source="pasted",
        source_kind="pasted",
        text=clean,
        fetched_at=None,
    )


def research_from_file(file_name: str, data: bytes, title: str = "") -> ResearchText:
    """Research from an uploaded .txt, .md, .pdf, .html or .htm file (chosen by extension)."""
    name = clean_user_text(file_name)
    path = PurePath(name)
    suffix = path.suffix.lower()
    what = f"The file {path.name}"
    if suffix not in SUPPORTED_FILE_TYPES:
        raise InputError(
            f"{what} is not a supported type; supported: {', '.join(SUPPORTED_FILE_TYPES)}.",
            hint="Save or export it as plain text, Markdown, PDF or HTML, or paste the text.",
        )
    if len(data) > MAX_FILE_BYTES:
        raise InputError(
            f"{what} is {_size(len(data))}; the limit is {_size(MAX_FILE_BYTES)}.",
            hint="Upload only the relevant pages, or paste the parts that matter.",
        )
    if not data:
        raise InputError(
            f"{what} has no text; it is empty.", hint="Check you chose the right file."
        )
    derived, raw = _text_of_file(suffix, data, what)
    return ResearchText(
        title=_title(title, derived, path.stem),
        source=name,
        source_kind="file",
        text=_checked_text(raw, what),
        fetched_at=None,
    )


def research_from_url(
    url: str,
    title: str = "",
    *,
    timeout_s: float = 10.0,
    max_bytes: int = MAX_URL_BYTES,
    http_client: httpx.Client | None = None,
) -> ResearchText:
    """Fetch an http(s) page, plain-text file or PDF and return its text.

    A client passed in is used as it is (its own redirect limit applies) and left open.
    """
    address = clean_user_text(url)
    parsed = _web_url(address)
    with contextlib.ExitStack() as stack:
        client = http_client
        if client is None:
            client = stack.enter_context(
                httpx.Client(timeout=timeout_s, max_redirects=MAX_REDIRECTS)
            )
        download = _download(client, parsed, timeout_s, max_bytes)
    fetched_at = datetime.now(UTC)
    what = f"The page at {address}"
    derived, raw = _text_of_download(download, what)
    return ResearchText(
        title=_title(title, derived, _host_and_path(parsed)),
        source=address,
        source_kind="url",
        text=_checked_text(raw, what),
        fetched_at=fetched_at,
    )


def html_to_text(html: str) -> tuple[str, str]:
    """The page title and its visible text, one block (paragraph, item, row) per line."""
    tree = LexborHTMLParser(html)
    title_node = tree.css_first("title")
    title = _WHITESPACE.sub(" ", title_node.text()).strip() if title_node else ""
    root = tree.body or tree.root
    return clean_user_text(title), _tidy_lines(_join_blocks(_html_parts(root)) if root else "")


def _checked_text(raw: str, what: str) -> str:
    text = clean_user_text(raw)
    if not text:
        raise InputError(f"{what} has no text.", hint="Add the research text and try again.")
    if len(text) > MAX_RESEARCH_CHARS:
        raise InputError(
            f"{what} is {len(text):,} characters long; the limit is {MAX_RESEARCH_CHARS:,}.",
            hint="Keep the parts about the company, the team and the role, and try again.",
        )
    return text


def _title(given: str, derived: str, fallback: str) -> str:
    given = _WHITESPACE.sub(" ", clean_user_text(given)).strip()
    if given:
        return given
    chosen = _WHITESPACE.sub(" ", clean_user_text(derived)).strip() or fallback
    if len(chosen) > MAX_TITLE_CHARS:
        return chosen[: MAX_TITLE_CHARS - 1].rstrip() + "…"
    return chosen


def _size(n_bytes: int) -> str:
    # Rounded up, so a file one byte over the limit never reads as exactly the limit.
    unit, scale = ("MB", 1024 * 1024) if n_bytes >= 1024 * 1024 else ("KB", 1024)
    return f"{math.ceil(n_bytes * 10 / scale) / 10:g} {unit}"


def _text_of_file(suffix: str, data: bytes, what: str) -> tuple[str, str]:
    if suffix == ".pdf":
        return _pdf_text(data, what)
    if suffix in (".html", ".htm"):
        return html_to_text(_decode(data, [_meta_charset(data)]))
    if b"\x00" in data:
        raise _not_text(what)
    try:
        return "", data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _not_text(what) from exc


def _not_text(what: str) -> InputError:
    return InputError(
        f"{what} does not look like a text file (it is not readable as UTF-8 text).",
        hint="Save it as UTF-8 plain text, or paste the text instead.",
    )


def _decode(data: bytes, declared: Iterable[str | None]) -> str:
    """UTF-8 first, then any declared charset that works, then Latin-1 (which never fails)."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    with contextlib.suppress(UnicodeDecodeError):
        return data.decode("utf-8")
    for charset in declared:
        if charset:
            with contextlib.suppress(LookupError, UnicodeDecodeError):
                return data.decode(charset)
    return data.decode("latin-1")


def _meta_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii") if match else None


def _pdf_text(data: bytes, what: str) -> tuple[str, str]:
    if not data.startswith(b"%PDF-"):
        raise InputError(
            f"{what} is not a PDF (it does not start with the PDF signature).",
            hint="Check the file, or export the document again as PDF.",
        )
    try:
        reader = PdfReader(io.BytesIO(data))
        encrypted = reader.is_encrypted
        pages = [] if encrypted else [page.extract_text() for page in reader.pages]
        title = "" if encrypted or reader.metadata is None else reader.metadata.title or ""
    except Exception as exc:  # pypdf raises many types on damaged files; all mean "unreadable"
        raise InputError(
            f"{what} is a damaged or unreadable PDF ({type(exc).__name__}).",
            hint="Open it in a PDF viewer and save or print a fresh copy, or paste the text.",
        ) from exc
    if encrypted:
        raise InputError(
            f"{what} is an encrypted PDF.",
            hint="Save an unprotected copy (print to PDF), or paste the text instead.",
        )
    text = "\n\n".join(_tidy_lines(page) for page in pages if page.strip())
    if not clean_user_text(text):
        raise InputError(
            f"{what} has no text that can be extracted; it may be scanned images.",
            hint="Run it through OCR, or paste the text instead.",
        )
    return str(title), text


def _html_parts(root: LexborNode) -> Iterator[str | int]:
    """Text pieces and block breaks (an int: 1 ends a line, 2 a paragraph) in document order."""
    # An explicit stack instead of recursion: deeply nested pages must not hit the recursion limit.
    stack: list[tuple[LexborNode, bool, bool]] = [(root, True, False)]  # node, entering, in <pre>
    while stack:
        node, entering, in_pre = stack.pop()
        tag = node.tag or ""
        if not entering:
            yield _block_end(tag)
        elif node.is_text_node:
            text = node.text_content or ""
            yield text.replace("\t", " ") if in_pre else _WHITESPACE.sub(" ", text)
        elif tag == "br":
            yield "\n"
        elif node.is_element_node and not _is_hidden(node, tag):
            yield _BLOCK_BREAKS.get(tag, 0)
            stack.append((node, False, in_pre))
            inner_pre = in_pre or tag == "pre"
            children = list(node.iter(include_text=True))
            stack.extend((child, True, inner_pre) for child in reversed(children))


def _join_blocks(parts: Iterable[str | int]) -> str:
    # Breaks that meet (a list item closing, the next opening) merge into the larger one, so
    # nesting does not pile up blank lines.
    out: list[str] = []
    pending = 0
    for part in parts:
        if isinstance(part, int):
            pending = max(pending, part)
        elif part.strip(" \n"):
            out.append("\n" * pending + part)
            pending = 0
        elif not pending:
            out.append(part)
    return "".join(out)


def _is_hidden(node: LexborNode, tag: str) -> bool:
    if tag in _DROPPED_TAGS:
        return True
    attributes = node.attributes
    return (
        "hidden" in attributes
        or attributes.get("aria-hidden") == "true"
        or bool(_HIDDEN_STYLE.search(attributes.get("style") or ""))
    )


def _block_end(tag: str) -> str | int:
    return _CELL_END if tag in _CELL_TAGS else _BLOCK_BREAKS.get(tag, 0)


def _tidy_lines(text: str) -> str:
    """Collapse runs of spaces, join table cells with " | ", allow at most one blank line."""
    lines = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        cells = (_SPACES.sub(" ", cell).strip() for cell in line.split(_CELL_END))
        lines.append(" | ".join(cell for cell in cells if cell))
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip()


def _web_url(address: str) -> httpx.URL:
    try:
        parsed = httpx.URL(address)
    except httpx.InvalidURL as exc:
        raise _bad_url(address, "it is not a valid web address") from exc
    if parsed.scheme not in ("http", "https"):
        scheme = parsed.scheme or "no scheme"
        raise _bad_url(address, f"only http and https links can be fetched, not {scheme}")
    if not parsed.host:
        raise _bad_url(address, "it has no host name")
    return parsed


def _bad_url(address: str, reason: str) -> InputError:
    return InputError(
        f"The link {address[:200]!r} cannot be used: {reason}.",
        hint="Use a full address that starts with https:// or http://.",
    )


def _host_and_path(parsed: httpx.URL) -> str:
    return (parsed.host + parsed.path).rstrip("/")


def _download(client: httpx.Client, url: httpx.URL, timeout_s: float, max_bytes: int) -> _Download:
    address, host = str(url), url.host
    deadline = time.monotonic() + timeout_s
    try:
        with client.stream("GET", address, timeout=timeout_s, follow_redirects=True) as response:
            media_type = _checked_response(response, address, max_bytes)
            body = _read_capped(response, address, max_bytes, deadline, timeout_s)
            return _Download(body, media_type, response.charset_encoding)
    except httpx.TimeoutException as exc:
        raise _timed_out(host, timeout_s) from exc
    except httpx.TooManyRedirects as exc:
        raise InputError(
            f"{address} redirects more than {MAX_REDIRECTS} times.",
            hint="Open it in a browser and use the address it finally shows.",
        ) from exc
    except httpx.ConnectError as exc:
        raise InputError(
            f"Could not connect to {host}.",
            hint="Check the address and your internet connection, then try again.",
        ) from exc
    except httpx.HTTPError as exc:
        raise InputError(
            f"Downloading {address} failed ({type(exc).__name__}).",
            hint="Try again, or save the page as a file and upload it.",
        ) from exc


def _timed_out(host: str, timeout_s: float) -> InputError:
    return InputError(
        f"The site {host} did not answer within {timeout_s:g} s.",
        hint="Try again later, or save the page as a file and upload it.",
    )


def _checked_response(response: httpx.Response, address: str, max_bytes: int) -> str:
    """The media type, once status, type and declared length are acceptable."""
    if response.status_code >= 400:
        raise InputError(
            f"{address} answered {response.status_code} {response.reason_phrase}.".rstrip(),
            hint="Check the address in a browser; the page may be gone or need a login.",
        )
    media_type: str = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type not in _URL_TYPES:
        raise InputError(
            f"{address} returns {media_type or 'no content type'}; "
            f"only {', '.join(_URL_TYPES)} can be read.",
            hint="Link to a web page, a plain-text file or a PDF.",
        )
    declared: str = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise _too_big(address, max_bytes)
    return media_type


def _read_capped(
    response: httpx.Response, address: str, max_bytes: int, deadline: float, timeout_s: float
) -> bytes:
    # Stop at the first chunk over the limit; the timeout bounds each read, the deadline the whole
    # download, so a server trickling bytes cannot hold the app forever.
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise _too_big(address, max_bytes)
        if time.monotonic() > deadline:
            raise _timed_out(response.url.host, timeout_s)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_big(address: str, max_bytes: int) -> InputError:
    return InputError(
        f"{address} is larger than {_size(max_bytes)}, the limit for a link.",
        hint=f"Save it as a file and upload it (limit {_size(MAX_FILE_BYTES)}), "
        "or paste the parts that matter.",
    )


def _text_of_download(download: _Download, what: str) -> tuple[str, str]:
    if download.media_type in _HTML_TYPES:
        declared = [download.charset, _meta_charset(download.body)]
        return html_to_text(_decode(download.body, declared))
    if download.media_type == "application/pdf":
        return _pdf_text(download.body, what)
    return "", _decode(download.body, [download.charset])
