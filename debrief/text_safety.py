"""Cleaning text that came from a person or a paste before it reaches a prompt or a record."""

from __future__ import annotations

import re
import unicodedata

# Zero-width and bidi-override controls, and the Unicode "tag" block (U+E0000 to U+E007F): invisible
# characters that can smuggle instructions past a human reader.
_INVISIBLE = re.compile(
    "[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\U000e0000-\U000e007f]"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_user_text(text: str) -> str:
    """NFC-normalise, drop invisible and control characters, trim; keeps RTL text and emoji."""
    text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub("", text)
    return text.replace("\r\n", "\n").strip()
