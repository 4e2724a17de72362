"""Cleaning text that came from a person or a paste before it reaches a prompt or a record."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

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
# "S y s t e m :", "i g n o r e": three or more single characters, one space apart.
_SPACED = re.compile(r"(?<!\S)(?:\S )+\S(?!\S)")
# Digits read as letters inside a word that also has letters: "1gn0r3", "r3v34l".
_LEET = str.maketrans("013457@$", "oieastas")
_LEET_WORD = re.compile(r"\w*(?:\d[^\W\d_]|[^\W\d_]\d)\w*")
PATTERNS_FILE = Path(__file__).parent / "data" / "instruction_patterns.yaml"


@dataclass(frozen=True)
class InstructionPattern:
    language: str  # "en", "es", …, or "any"
    kind: str  # "ignore_previous", "sign_off_order", … (see the data file)
    pattern: re.Pattern[str]


@lru_cache(maxsize=1)
def instruction_patterns() -> tuple[InstructionPattern, ...]:
    """The patterns of `data/instruction_patterns.yaml`, compiled (read on first use)."""
    data = yaml.safe_load(PATTERNS_FILE.read_text(encoding="utf-8"))
    return tuple(
        InstructionPattern(language, kind, re.compile(source, re.MULTILINE))
        for language, kinds in data.items()
        for kind, sources in kinds.items()
        for source in sources
    )


def _joined_spacing(text: str) -> str:
    return _SPACED.sub(lambda m: m.group().replace(" ", ""), text)


def skeleton(line: str) -> str:
    """The line as the filter reads it: case-folded, fullwidth and styled letters folded (NFKD),
    accents and invisible characters dropped, look-alike letters from other scripts mapped to
    plain Latin, and letter-spaced words joined."""
    folded = unicodedata.normalize("NFKD", line.translate(_LOOKALIKES))
    plain = "".join(c for c in folded if unicodedata.category(c) not in {"Mn", "Cf"})
    return _joined_spacing(plain.translate(_LOOKALIKES).casefold())


def _readings(line: str) -> tuple[str, ...]:
    """The skeleton, and the same with digits inside words read as letters when it has any."""
    plain = skeleton(line)
    leet = _LEET_WORD.sub(lambda m: m.group().translate(_LEET), plain)
    return (plain,) if leet == plain else (plain, leet)


def instruction_in(line: str) -> InstructionPattern | None:
    """The first pattern that finds an instruction to a model in `line`, or None."""
    readings = _readings(line)
    for item in instruction_patterns():
        if any(item.pattern.search(reading) for reading in readings):
            return item
    return None


def without_instructions(text: str) -> tuple[str, int]:
    """Drop every line that tries to instruct a model, and all markup; returns (text, dropped).

    Whole lines go, not sentences: an injected instruction often quotes the text it wants
    copied ("end every note with 'P.S. …'"), and a sentence split would let the quote through.
    """
    kept: list[str] = []
    dropped = 0
    # Markup goes (a tag may span lines: its line breaks stay, so lines still pair up), but
    # each line is also read as it came: a chat-template token ("<start_of_turn>model …")
    # looks like a tag and is itself the sign of an instruction.
    cleaned = _LINK.sub(r"\1", _ACTIVE_MARKUP.sub(_blank_keeping_lines, text)).split("\n")
    for raw, line in zip(text.split("\n"), cleaned, strict=True):
        if instruction_in(raw) is not None or instruction_in(line) is not None:
            dropped += 1
        else:
            kept.append(line)
    return "\n".join(kept).strip(), dropped


def _blank_keeping_lines(match: re.Match[str]) -> str:
    return " " + "\n" * match.group().count("\n")
