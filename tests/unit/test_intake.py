"""Company research intake: paste, file and URL each become clean text or a clear refusal."""

from __future__ import annotations

import io

import httpx
import pytest
from pypdf import PdfWriter

from debrief.errors import InputError
from debrief.intake import (
    MAX_FILE_BYTES,
    MAX_RESEARCH_CHARS,
    SUPPORTED_FILE_TYPES,
    html_to_text,
    research_from_file,
    research_from_paste,
    research_from_url,
)

PDF_SENTENCE = "Northwind Logistics moves billing to Kafka"
PDF_CONTENT = f"BT /F1 12 Tf 72 720 Td ({PDF_SENTENCE}) Tj ET".encode()

HTML_PAGE = """<!doctype html>
<html><head><title>Northwind  &amp; Co | About</title>
<style>body { color: red }</style><script>var tracking = "SCRIPT-TEXT";</script></head>
<body>
  <script>document.write("BODY-SCRIPT")</script>
  <h1>About   Northwind</h1>
  <p>Northwind moves <b>freight</b> across Europe.</p>
  <ul><li>Founded 2009</li><li>400 engineers</li></ul>
  <table><tr><th>Year</th><th>Revenue</th></tr><tr><td>2023</td><td>$5M</td></tr></table>
  <noscript>NOSCRIPT-TEXT</noscript>
</body></html>
"""


def make_pdf(*page_contents: bytes, title: str | None = None) -> bytes:
    """A PDF written by hand, one page per content stream, with a correct xref table."""
    first_page = 4
    kids = b" ".join(b"%d 0 R" % (first_page + 2 * i) for i in range(len(page_contents)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(page_contents)),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for content in page_contents:
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792]"
            b" /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (len(objects) + 2)
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
    trailer = b"/Size %d /Root 1 0 R" % (len(objects) + 1)
    if title is not None:
        objects.append(b"<< /Title (%s) >>" % title.encode("latin-1"))
        trailer += b" /Info %d 0 R" % len(objects)
    pdf = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref_at = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< %s >>\nstartxref\n%d\n%%%%EOF\n" % (trailer, xref_at)
    return bytes(pdf)


def encrypted_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt("secret", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


# --- paste ------------------------------------------------------------------------------------


def test_paste_keeps_plain_text_and_marks_the_source() -> None:
    research = research_from_paste("Northwind ships freight.\nThey use Kafka.")

    assert research.text == "Northwind ships freight.\nThey use Kafka."
    assert (research.source, research.source_kind, research.fetched_at) == (
        "pasted",
        "pasted",
        None,
    )


@pytest.mark.parametrize(
    ("pasted", "expected"),
    [
        ("Nor\u200bthwind\u200d ships", "Northwind ships"),
        ("Northwind\U000e0049\U000e0067\U000e006e ships", "Northwind ships"),
        ("\u202eNorthwind\u202c ships\x07", "Northwind ships"),
        ("  \n Northwind ships \n\n", "Northwind ships"),
        ("נורת'ווינד שולחת מטענים 🚚", "נורת'ווינד שולחת מטענים 🚚"),
        ("شركة نورثويند 👍🏽 تنقل البضائع", "شركة نورثويند 👍🏽 تنقل البضائع"),
    ],
    ids=["zero-width", "unicode-tags", "bidi-override-and-bell", "trimmed", "hebrew", "arabic"],
)
def test_paste_is_cleaned_but_keeps_rtl_and_emoji(pasted: str, expected: str) -> None:
    assert research_from_paste(pasted).text == expected


@pytest.mark.parametrize("pasted", ["", "   ", "\n\t \n", "\u200b\u200d\ufeff"])
def test_paste_without_text_is_refused(pasted: str) -> None:
    with pytest.raises(InputError, match="has no text"):
        research_from_paste(pasted)


def test_oversize_paste_names_the_limit_and_the_length() -> None:
    with pytest.raises(InputError) as caught:
        research_from_paste("x" * 200_000)

    assert "100,000" in caught.value.message
    assert "200,000" in caught.value.message
    assert caught.value.hint


def test_paste_exactly_at_the_limit_is_accepted() -> None:
    assert len(research_from_paste("x" * MAX_RESEARCH_CHARS).text) == MAX_RESEARCH_CHARS


@pytest.mark.parametrize(
    ("pasted", "given", "expected"),
    [
        ("\n\n  Northwind Logistics  \nmore text", "", "Northwind Logistics"),
        ("Body text", "My own title", "My own title"),
        ("Body text", "   ", "Body text"),
        ("A" * 200, "", "A" * 79 + "…"),
    ],
    ids=["first-line", "given-title-wins", "blank-title-ignored", "long-first-line-shortened"],
)
def test_paste_title(pasted: str, given: str, expected: str) -> None:
    assert research_from_paste(pasted, title=given).title == expected


# --- files ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("file_name", "data", "expected_text", "expected_title"),
    [
        ("notes.txt", b"Northwind ships freight.\n", "Northwind ships freight.", "notes"),
        ("NOTES.TXT", b"Upper-case extension", "Upper-case extension", "NOTES"),
        ("with-bom.txt", b"\xef\xbb\xbfBOM text", "BOM text", "with-bom"),
        ("crlf.txt", b"line one\r\nline two", "line one\nline two", "crlf"),
        (
            "research.md",
            "# Northwind\n\n- Kafka\n- Café ☕\n".encode(),
            "# Northwind\n\n- Kafka\n- Café ☕",
            "research",
        ),
    ],
)
def test_text_files(file_name: str, data: bytes, expected_text: str, expected_title: str) -> None:
    research = research_from_file(file_name, data)

    assert research.text == expected_text
    assert research.title == expected_title
    assert (research.source, research.source_kind) == (file_name, "file")


@pytest.mark.parametrize("file_name", ["about.html", "about.HTM"])
def test_html_file_drops_scripts_and_keeps_structure(file_name: str) -> None:
    research = research_from_file(file_name, HTML_PAGE.encode())

    assert research.title == "Northwind & Co | About"
    assert research.text == (
        "About Northwind\n\n"
        "Northwind moves freight across Europe.\n\n"
        "Founded 2009\n400 engineers\n\n"
        "Year | Revenue\n2023 | $5M"
    )
    for hidden in ("SCRIPT-TEXT", "BODY-SCRIPT", "NOSCRIPT-TEXT", "color: red"):
        assert hidden not in research.text


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>one</p><p></p><p></p><p>two</p>", "one\n\ntwo"),
        ("<div><div><div><p>deep</p></div></div></div><p>next</p>", "deep\n\nnext"),
        ("<p>a<br>b</p>", "a\nb"),
        ("<p>x<br><br><br><br>y</p>", "x\n\ny"),
        ("<p>lots    of\n\n  space</p>", "lots of space"),
        ("<p>shown</p><div hidden>gone</div><span style='display:none'>gone</span>", "shown"),
        ("<p>a</p><template><p>gone</p></template><svg><text>gone</text></svg>", "a"),
        ("<pre>def f():\n    return 1</pre>", "def f():\nreturn 1"),
        ("<p>caf&eacute; &amp; b&auml;r</p>", "café & bär"),
        ("<dl><dt>CEO</dt><dd>Ada</dd></dl>", "CEO\nAda"),
    ],
    ids=[
        "empty-paragraphs",
        "nested-blocks",
        "br",
        "many-br",
        "spaces",
        "hidden",
        "template-svg",
        "pre",
        "entities",
        "definition-list",
    ],
)
def test_html_to_text(html: str, expected: str) -> None:
    assert html_to_text(html) == ("", expected)


def test_html_to_text_survives_deep_nesting() -> None:
    html = "<div>" * 5_000 + "bottom" + "</div>" * 5_000

    assert html_to_text(html)[1] == "bottom"


def test_html_file_in_a_meta_declared_charset() -> None:
    html = '<html><head><meta charset="windows-1252"><title>Caf\xe9</title></head>'
    data = (html + "<body><p>\u2018quoted\u2019 caf\xe9</p></body></html>").encode("cp1252")

    research = research_from_file("legacy.html", data)

    assert (research.title, research.text) == ("Café", "\u2018quoted\u2019 café")


def test_html_file_without_a_charset_falls_back_to_latin_1() -> None:
    research = research_from_file("old.htm", b"<p>na\xefve</p>")

    assert research.text == "naïve"


def test_pdf_text_is_extracted() -> None:
    research = research_from_file("northwind.pdf", make_pdf(PDF_CONTENT))

    assert PDF_SENTENCE in research.text
    assert research.title == "northwind"


def test_pdf_pages_are_joined_with_a_blank_line() -> None:
    second = b"BT /F1 12 Tf 72 720 Td (Page two is about hiring) Tj ET"

    research = research_from_file("two.pdf", make_pdf(PDF_CONTENT, b"", second))

    assert research.text == f"{PDF_SENTENCE}\n\nPage two is about hiring"


def test_pdf_title_comes_from_its_metadata() -> None:
    research = research_from_file("scan-0042.pdf", make_pdf(PDF_CONTENT, title="Northwind 2024"))

    assert research.title == "Northwind 2024"


def test_given_title_beats_the_derived_one() -> None:
    research = research_from_file("about.html", HTML_PAGE.encode(), title="Mine")

    assert research.title == "Mine"


@pytest.mark.parametrize(
    ("file_name", "data", "expected"),
    [
        ("scanned.pdf", make_pdf(b""), "no text that can be extracted"),
        ("photo.pdf", b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "is not a PDF"),
        ("broken.pdf", b"%PDF-1.4\n" + bytes(range(256)) * 4, "damaged or unreadable PDF"),
        ("cut.pdf", make_pdf(PDF_CONTENT)[:200], "damaged or unreadable PDF"),
        ("locked.pdf", encrypted_pdf(), "encrypted"),
        ("random.txt", bytes(range(128, 256)) * 8, "does not look like a text file"),
        ("utf16.txt", "hello".encode("utf-16"), "does not look like a text file"),
        ("nul.md", b"text\x00more", "does not look like a text file"),
        ("empty.txt", b"", "has no text"),
        ("blank.md", b" \n\t\n ", "has no text"),
        ("empty.html", b"<html><head><title>T</title></head><body> </body></html>", "has no text"),
        ("report.docx", b"PK\x03\x04", "not a supported type"),
        ("README", b"text", "not a supported type"),
    ],
)
def test_bad_files_are_refused_with_a_clear_message(
    file_name: str, data: bytes, expected: str
) -> None:
    with pytest.raises(InputError, match=expected) as caught:
        research_from_file(file_name, data)

    assert caught.value.hint


def test_unsupported_type_lists_the_supported_ones() -> None:
    with pytest.raises(InputError) as caught:
        research_from_file("report.docx", b"PK\x03\x04")

    assert all(suffix in caught.value.message for suffix in SUPPORTED_FILE_TYPES)


def test_oversize_file_names_its_size_and_the_limit() -> None:
    with pytest.raises(InputError) as caught:
        research_from_file("huge.txt", b"a" * (MAX_FILE_BYTES + 300_000))

    assert "10.3 MB" in caught.value.message
    assert "the limit is 10 MB" in caught.value.message


def test_file_just_over_the_limit_does_not_read_as_the_limit() -> None:
    with pytest.raises(InputError, match=r"10\.1 MB; the limit is 10 MB"):
        research_from_file("huge.txt", b"a" * (MAX_FILE_BYTES + 1))


def test_file_text_over_the_character_limit_is_refused() -> None:
    with pytest.raises(InputError, match="100,000"):
        research_from_file("long.txt", b"word " * 30_000)


# --- URLs (the ones answered by a real server are in tests/integration) ---------------------


@pytest.mark.parametrize(
    "url",
    ["ftp://x", "file:///etc/passwd", "javascript:alert(1)", "example.com/about", "http://", ""],
)
def test_non_web_links_are_refused_before_any_request(url: str) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"unexpected request to {request.url}")

    with (
        httpx.Client(transport=httpx.MockTransport(refuse)) as client,
        pytest.raises(InputError, match="cannot be used"),
    ):
        research_from_url(url, http_client=client)


def test_a_given_client_is_used_and_left_open() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, headers={"Content-Type": "text/plain"}, text="From the fake")

    with httpx.Client(transport=httpx.MockTransport(answer)) as client:
        research = research_from_url("https://example.com/notes", http_client=client)

        assert research.text == "From the fake"
        assert [str(request.url) for request in seen] == ["https://example.com/notes"]
        assert not client.is_closed
