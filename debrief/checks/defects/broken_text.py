"""`broken_text`: text cut off, broken characters, another script or language.

Cut off: a paragraph (or the whole note) that stops without end punctuation ("…to ensure that
the school's mission," before the sign-off), a word cut short ("FreshWay Groce"), a subject that
stops inside one of the user's phrases at the length the model was allowed ("…usable with a
screen"). Broken characters: the replacement character or mojibake ("â€™"). Another script: a
letter outside the Latin alphabet that the inputs do not use ("to the支行"). Another language: a
sentence most of whose words are French, German or Spanish rather than English.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from wordfreq import zipf_frequency

from debrief.checks.defects.text import (
    STOPWORDS,
    NoteText,
    all_input_texts,
    has_terminal_punctuation,
    words,
)
from debrief.checks.defects.types import Defect
from debrief.checks.notes import NoteInputs

KEY = "broken_text"

_MOJIBAKE = re.compile("\ufffd|Ã[\u0080-\u00bf]|â€|Â[\u00a0-\u00bf]")
_SHORT_LINE = 3  # words: a heading or a name, not a sentence
# A subject this long may have been cut at the length the JSON schema allowed (70 characters).
_LONG_SUBJECT = 60
_COMMON_WORD = 3.0  # zipf: a word this common is not a cut-off one
_OTHER_LANGUAGES = ("fr", "de", "es")
_FOREIGN_GAP = 1.5  # zipf: this much more common in another language than in English
_MIN_FOREIGN_WORDS = 3
_FOREIGN_SHARE = 0.4


def _is_latin(char: str) -> bool:
    return unicodedata.name(char, "").startswith("LATIN")


def _foreign_script(note: NoteText, inputs: NoteInputs) -> list[Defect]:
    allowed = {char for text in all_input_texts(inputs) for char in text}
    for line in note.lines:
        if line.role in ("signature",):
            continue
        for match in re.finditer(r"\w+", line.text):
            token = match.group()
            if any(c.isalpha() and not _is_latin(c) and c not in allowed for c in token):
                start = line.text.rfind(" ", 0, match.start())
                span = line.text[start + 1 : match.end()] if start >= 0 else token
                reason = f"'{token}' is in another script in the middle of an English note."
                return [Defect(KEY, span, reason)]
    return []


@lru_cache(maxsize=8192)
def _is_foreign(word: str) -> bool:
    english = float(zipf_frequency(word, "en"))
    other = max(float(zipf_frequency(word, language)) for language in _OTHER_LANGUAGES)
    return other >= 3.0 and other - english >= _FOREIGN_GAP


def _running_words(sentence: str) -> list[str]:
    # Capitalised words are names more often than not; only the running words tell.
    return [t for t in re.findall(r"[^\W\d_]+", sentence) if t.islower() and len(t) > 1]


def foreign_words(sentence: str) -> list[str]:
    """The running words of a sentence that are French, German or Spanish rather than English,
    when they are enough of the sentence to make it one in another language; else []."""
    tokens = _running_words(sentence)
    foreign = [t for t in tokens if _is_foreign(t)]
    if len(foreign) >= _MIN_FOREIGN_WORDS and len(foreign) / len(tokens) >= _FOREIGN_SHARE:
        return foreign
    return []


def _other_language(note: NoteText) -> list[Defect]:
    return [
        Defect(KEY, sentence, "This sentence is not in English.")
        for sentence in note.sentences
        if foreign_words(sentence)
    ]


def _cut_word(text: str, inputs: NoteInputs) -> bool:
    """Whether the last word of `text` is a known word of the inputs cut short ("Groce")."""
    tokens = re.findall(r"[^\W\d_]+", text)
    if not tokens:
        return False
    last = tokens[-1].lower()
    if len(last) < 3 or zipf_frequency(last, "en") >= _COMMON_WORD:
        return False  # "interview" is a word, even if the stage says "interviews"
    given = {word for source in all_input_texts(inputs) for word in words(source)}
    return last not in given and any(
        word.startswith(last) and len(word) > len(last) for word in given
    )


def _cut_phrase(text: str, inputs: NoteInputs) -> bool:
    """Whether `text` ends inside one of the user's noun phrases ("…usable with a screen" of
    "…usable with a screen reader"; "…patient falls" of "patient falls at night" is whole)."""
    tail = words(text)[-3:]
    if len(tail) < 3:
        return False
    for source in all_input_texts(inputs):
        tokens = words(source)
        for i in range(len(tokens) - 3):
            if tokens[i : i + 3] == tail and tokens[i + 3] not in STOPWORDS:
                return True
    return False


def _cut_off(note: NoteText, inputs: NoteInputs) -> list[Defect]:
    found = []
    for paragraph in note.paragraphs:
        last = paragraph[-1]
        if len(last.split()) <= _SHORT_LINE or has_terminal_punctuation(last):
            continue
        sentences = [s for s in note.sentences if last.endswith(s)]
        span = sentences[-1] if sentences else last
        tail = re.search(r"\S+\s+\S+$", last)
        if _cut_word(last, inputs) and tail:
            span = tail.group()  # "FreshWay Groce"
        found.append(Defect(KEY, span, "The text stops in the middle of a sentence."))
    subject = note.subject_text
    if subject and not has_terminal_punctuation(subject):
        cut = _cut_word(subject, inputs)
        if cut or (len(subject) >= _LONG_SUBJECT and _cut_phrase(subject, inputs)):
            found.append(Defect(KEY, subject, "The subject stops in the middle of a phrase."))
    return found


def find(note: NoteText, inputs: NoteInputs) -> list[Defect]:
    found = [
        Defect(KEY, match.group(), "The note has broken characters.")
        for match in _MOJIBAKE.finditer(note.text)
    ]
    found += _foreign_script(note, inputs)
    found += _other_language(note)
    found += _cut_off(note, inputs)
    return found
