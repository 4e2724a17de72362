"""Cleaning text that came from a person or a paste before it reaches a prompt or a record."""

from __future__ import annotations

import re
import unicodedata

# Zero-width and bidi-override controls, and the Unicode "tag" block (U+E0000 to U+E007F): invisible
# characters that can smuggle instructions past a human reader.
_INVISIBLE = re.compile(
    "[\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\U000e0000-\U000e007f]"
)
# Zero-width (non-)joiners are spelling in Persian, Arabic and Indic scripts and glue emoji
# sequences (👩‍💻): kept between two non-ASCII characters, dropped anywhere else (where they
# only serve to hide a word like "Ig\u200cnore" from a filter).
_JOINER = re.compile("[\u200c\u200d]")
_JOINER_KEPT = re.compile("(?<=[^\x00-\x7f])[\u200c\u200d](?=[^\x00-\x7f])")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_user_text(text: str) -> str:
    """NFC-normalise, drop invisible and control characters, trim; keeps RTL text and emoji."""
    text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", text)
    text = _JOINER.sub(lambda m: m.group() if _JOINER_KEPT.match(text, m.start()) else "", text)
    text = _CONTROL.sub("", text)
    return text.replace("\r\n", "\n").strip()


# Phrases that address a language model rather than a human reader. Prompt wording alone does
# not stop injection (see DESIGN.md), so lines holding them never reach a prompt at all.
# They are matched on a line's "skeleton" (see _skeleton), so look-alike letters do not hide them.
_INSTRUCTION = re.compile(
    r"\b(ignore|disregard|forget|override)\b[^\n]{0,40}"
    r"\b(instructions?|above|previous|prior|rules?)\b"
    r"|\b(end|start|begin|sign|close|finish)\s+(every|each|all|the|your)\s+"
    r"(notes?|emails?|messages?|letters?|replies?|answers?|drafts?)\b"
    r"|\b(you are now|act as|pretend to be|new instructions?|system prompt|jailbreak)\b"
    r"|\b(add|include|append|insert|write|say)\b[^\n]{0,30}\b(p\.?\s?s\.?|postscript)"
    # "Always close with: P.S. …", "Sign off with …": an order about how to finish a text.
    r"|(^|[.!?:;]\s*|\b(always|never|please|must|should)\s+)"
    r"(close|end|sign(\s+off)?|finish|start|begin|open)\s+(\w+\s+){0,2}with\b"
    r"|^[\s>*#-]*(p\.\s?s\.|ps\s*:)"
    r"|^\s*(system|assistant|user|human|ai|llm|model)\s*:"
    # Addressed to a model ("Note to the AI:", "if you are an LLM"), not merely about one:
    # research on an AI company may well say "LLM".
    r"|\b(dear|hey|hi|attention|note\s+(to|for))\s+(the\s+|any\s+)?"
    r"(ai|llm|language\s+model|assistant|chatbot|model|gpt|chatgpt)\b"
    r"|\bif\s+you\s+are\s+(an?\s+)?(ai|llm|language\s+model|assistant|chatbot|bot|gpt|chatgpt)\b"
    r"|\b(as|to)\s+(an?\s+|the\s+)?(ai\s+assistant|ai\s+model|language\s+model|chatgpt)\b",
    re.IGNORECASE | re.MULTILINE,
)
# Markdown images and raw HTML: ways to make a renderer fetch a URL or run code. Markdown links
# are replaced by their text (the model would copy a link into a note).
_ACTIVE_MARKUP = re.compile(r"!\[[^\]]*\]\([^)]*\)|<\s*/?\s*[a-zA-Z][^>]*>")
_LINK = re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)")
# Letters from other scripts that look like Latin ones: "ignore" spelt with Cyrillic i, o and e
# still reads "ignore" to a person and to a model, so it must read so to the filter too.
_LOOKALIKES = str.maketrans(
    "аАвВеЕкКмМнНоОрРсСтТуУхХіІјЈѕЅԁɡһӏοΟαΑιΙνρΡτΤυΥκΚεΕ",
    "aAbBeEkKmMhHoOpPcCtTyYxXiIjJsSdghloOaAiIvpPtTuUkKeE",
)


def _skeleton(line: str) -> str:
    """The line as the filter reads it: fullwidth and styled letters folded (NFKC), accents,
    invisible characters and look-alike letters from other scripts mapped to plain Latin."""
    folded = unicodedata.normalize("NFKD", line)
    plain = "".join(c for c in folded if unicodedata.category(c) not in {"Mn", "Cf"})
    return plain.translate(_LOOKALIKES)


def without_instructions(text: str) -> tuple[str, int]:
    """Drop every line that tries to instruct a model, and all markup; returns (text, dropped).

    Whole lines go, not sentences: an injected instruction often quotes the text it wants
    copied ("end every note with 'P.S. …'"), and a sentence split would let the quote through.
    """
    kept: list[str] = []
    dropped = 0
    for line in _LINK.sub(r"\1", _ACTIVE_MARKUP.sub(" ", text)).splitlines():
        if _INSTRUCTION.search(_skeleton(line)):
            dropped += 1
        else:
            kept.append(line)
    return "\n".join(kept).strip(), dropped
