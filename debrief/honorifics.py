"""Titles a name may start with ("Dr. Amara Osei", "Sgt Ann Bell"): one list for the notes'
greeting and for the checks that read names, so both split a name the same way."""

from __future__ import annotations

import re

# Spelling as the greeting writes it, by the title's lowercase form without its full stop.
TITLES: dict[str, str] = {
    "dr": "Dr.",
    "mr": "Mr.",
    "mrs": "Mrs.",
    "ms": "Ms.",
    "miss": "Miss",
    "mx": "Mx.",
    "madam": "Madam",
    "prof": "Prof.",
    "professor": "Professor",
    "sir": "Sir",
    "dame": "Dame",
    "lord": "Lord",
    "lady": "Lady",
    "rev": "Rev.",
    "reverend": "Reverend",
    "fr": "Fr.",
    "father": "Father",
    "sister": "Sister",
    "rabbi": "Rabbi",
    "imam": "Imam",
    "pastor": "Pastor",
    "cllr": "Cllr",
    "councillor": "Councillor",
    "judge": "Judge",
    "sgt": "Sgt.",
    "sergeant": "Sergeant",
    "capt": "Capt.",
    "captain": "Captain",
    "lt": "Lt.",
    "lieutenant": "Lieutenant",
    "maj": "Maj.",
    "major": "Major",
    "col": "Col.",
    "colonel": "Colonel",
    "cmdr": "Cmdr.",
    "commander": "Commander",
    "insp": "Insp.",
    "inspector": "Inspector",
    "supt": "Supt.",
    "det": "Det.",
    "chef": "Chef",
}

# An abbreviation with its full stop that no list above knows ("Gen.", "Adm.") is a title too.
_DOTTED = re.compile(r"^[A-Z][a-z]{1,4}\.$")


def title_of(word: str) -> str | None:
    """How the greeting writes `word` when it is a title, else None."""
    known = TITLES.get(word.rstrip(".").lower())
    if known is not None:
        return known
    return word if _DOTTED.match(word) else None


def split_title(name: str) -> tuple[str, list[str]]:
    """(titles as written for a greeting, the name's other words); a lone word is a name."""
    words = name.split()
    titles: list[str] = []
    while len(words) > 1 and (title := title_of(words[0])) is not None:
        titles.append(title)  # "Prof. Dr. Anna Weber": both go before the name
        words = words[1:]
    return " ".join(titles), words


# For text: a title (with or without its full stop) right before a name.
TITLE_PATTERN = (
    r"(?:(?:"
    + "|".join(sorted({re.escape(t.rstrip(".")) for t in TITLES.values()}, key=len, reverse=True))
    + r")\.?"
    + r"|[A-Z][a-z]{1,4}\."  # a dotted abbreviation, as title_of reads it ("Gen.")
    + r")"
)
