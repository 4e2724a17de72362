"""Signs that a model obeyed text it was shown instead of the user, in any language.

The intake filter (`debrief.text_safety.without_instructions`) drops instruction lines it can
recognise; this is the second line of defence, run on what the model wrote, and it needs no
list of phrasings. A draft, answer or plan is flagged for:

- a postscript ("P.S.", "PS:", "P.D.", "P.P.S.", "Post-scriptum"): nothing Debrief writes has one;
- a link, a bare URL, a Markdown image or an HTML tag: nothing Debrief writes links anywhere;
- a sentence in another language than the rest of the text, or letters of another script that
  none of the user's own text uses (research in French asking for a French postscript);
- a sentence copied, or nearly copied, from the untrusted text the model was shown (research),
  beyond what the user's own notes already say.

The services send a flagged text to their repair pass; what survives it is shown with the flag.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from difflib import SequenceMatcher
from functools import lru_cache

from wordfreq import zipf_frequency

from debrief.checks.types import CheckResult, Flag, InjectionEvidence

KEY = "injection"

# At the start of a line or right after a sentence ("… Northwind. P.D. Acepto …").
POSTSCRIPT = re.compile(
    r"(?:^|(?<=[.!?] ))[\s>*_#-]*"
    r"(?:p\.?\s?p\.?\s?s\b\.?|p\.\s?s\b\.?|ps\s*[:.\-]|p\.\s?d\b\.?|pd\s*:"
    r"|post[\s-]?scriptum\b|p\.\s?s\.?$)",
    re.IGNORECASE | re.MULTILINE,
)
LINK = re.compile(
    r"<\s*(script|style)\b.*?<\s*/\s*\1\s*>"  # a script's text goes with its tags
    r"|https?://\S+|\bwww\.[\w-]+\.\S+|!\[[^\]\n]*\]\([^)\n]*\)|\[[^\]\n]+\]\([^)\n]+\)"
    r"|<\s*/?\s*[a-zA-Z][^>\n]*>|\bdata:[\w/+.-]+;base64,",
    re.IGNORECASE | re.DOTALL,
)
_SENTENCE_END = re.compile(r"(?<=[.!?\u3002])[\"'\u201d\u2019\u00bb)\]]*\s+|\n+")
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)?")
_TOKEN = re.compile(r"[^\W_]+")

# The languages a sentence is told apart in: the ones research is pasted in (issue #17) and the
# few others wordfreq knows well. A word list, not a model: nothing is downloaded.
LANGUAGES = ("en", "es", "fr", "de", "pt", "it", "nl", "ca", "sv", "da", "nb", "pl", "ro", "tr")
_MIN_WORDS = 3  # running words: fewer cannot tell a language (names, "Kind regards,")
_LANGUAGE_MARGIN = 1.2  # mean zipf: a sentence this far ahead in another language is in it
_DOMINANT_MARGIN = 0.3  # mean zipf: the whole text's language must lead by this much
_COPIED_RUN = 8  # words of the research in a row that the user's text does not hold
_NEAR_COPY = 0.8  # sequence similarity of a sentence to a research sentence
_MIN_COPY_WORDS = 6


def sentences(text: str) -> list[str]:
    """Sentences and lines of `text`, trimmed; a line break always ends one."""
    return [part.strip() for part in _SENTENCE_END.split(text) if part and part.strip()]


# --------------------------------------------------------------------------------------------
# Language and script
# --------------------------------------------------------------------------------------------


def _running_words(text: str) -> list[str]:
    """Lower-case words of at least two letters; capitalised words are mostly names."""
    return [w for w in _WORD.findall(text) if w.islower() and len(w) > 1]


@lru_cache(maxsize=16384)
def _frequencies(word: str) -> tuple[float, ...]:
    return tuple(float(zipf_frequency(word, language)) for language in LANGUAGES)


def _scores(tokens: Sequence[str]) -> dict[str, float]:
    totals = [0.0] * len(LANGUAGES)
    for token in tokens:
        for index, value in enumerate(_frequencies(token)):
            totals[index] += value
    means = [total / len(tokens) for total in totals]
    return dict(zip(LANGUAGES, means, strict=True))


def _sentence_language(text: str) -> tuple[str, dict[str, float]] | None:
    """The language whose words score highest in `text`, with every language's mean score;
    None under three running words."""
    tokens = _running_words(text)
    if len(tokens) < _MIN_WORDS:
        return None
    scores = _scores(tokens)
    return max(scores, key=scores.__getitem__), scores


def language_of(text: str) -> str | None:
    """The language most of the text's running words belong to, or None when it can't tell."""
    detected = _sentence_language(text)
    if detected is None:
        return None
    best, scores = detected
    second = max(score for language, score in scores.items() if language != best)
    return best if scores[best] - second >= _DOMINANT_MARGIN else None


def _main_language(parts: Sequence[str], own: Sequence[str]) -> str | None:
    """The language the text should be in: the user's own (what they typed), else the one most
    of the text's words are in."""
    if mine := language_of(" ".join(own)):
        return mine
    words: dict[str, int] = {}
    for sentence in parts:
        if found := _sentence_language(sentence):
            words[found[0]] = words.get(found[0], 0) + len(_running_words(sentence))
    return max(words, key=words.__getitem__) if words else None


def _other_language(parts: Sequence[str], own: Sequence[str]) -> list[Flag]:
    """Sentences clearly in another language than the one the text should be in."""
    main = _main_language(parts, own)
    if main is None:
        return []
    found = []
    for sentence in parts:
        detected = _sentence_language(sentence)
        if detected is None:
            continue
        best, scores = detected
        if best != main and scores[best] - scores[main] >= _LANGUAGE_MARGIN:
            reason = (
                "This sentence is in another language than the rest; the research may have "
                "asked for it."
            )
            found.append(Flag("other_language", sentence, reason))
    return found


def _script(char: str) -> str:
    """The script a letter belongs to, by its Unicode name ("LATIN", "CYRILLIC", "CJK" …)."""
    name = unicodedata.name(char, "")
    return name.split(" ", 1)[0] if name else ""


def _other_script(text: str, own: Iterable[str]) -> list[Flag]:
    """Words in a script that neither the text's bulk nor the user's own text is written in."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return []
    counts: dict[str, int] = {}
    for char in letters:
        counts[_script(char)] = counts.get(_script(char), 0) + 1
    main = max(counts, key=counts.__getitem__)
    allowed = {main} | {_script(c) for part in own for c in part if c.isalpha()}
    found = []
    for match in re.finditer(r"\S+", text):
        token = match.group()
        if any(c.isalpha() and _script(c) not in allowed for c in token):
            reason = f"'{token}' is in another script than the rest of the text."
            found.append(Flag("other_script", token, reason))
    return found[:3]


# --------------------------------------------------------------------------------------------
# Copied from the research
# --------------------------------------------------------------------------------------------


def _tokens(text: str) -> list[str]:
    return [t.lower() for t in _TOKEN.findall(text)]


def _copied(sentence: str, research: Sequence[list[str]], own: str) -> bool:
    words = _tokens(sentence)
    if len(words) < _MIN_COPY_WORDS:
        return False
    for source in research:
        matcher = SequenceMatcher(None, words, source, autojunk=False)
        run = matcher.find_longest_match(0, len(words), 0, len(source))
        if run.size >= _COPIED_RUN:
            copied = " ".join(words[run.a : run.a + run.size])
            if copied not in own:
                return True
        near = len(source) >= _MIN_COPY_WORDS and matcher.ratio() >= _NEAR_COPY
        if near and " ".join(words) not in own:
            return True
    return False


# --------------------------------------------------------------------------------------------
# Entry points
# --------------------------------------------------------------------------------------------


def output_flags(text: str, *, research: str = "", own: Iterable[str] = ()) -> list[Flag]:
    """Every sign in `text` that the model followed the research rather than the user.

    `research` is the untrusted text the model was shown; `own` are the user's own texts (what
    they typed or imported), which the output may repeat, in their own script, freely.
    """
    own = [part for part in own if part]
    own_flat = " ".join(" ".join(_tokens(part)) for part in own)
    parts = sentences(text)
    found = [
        Flag("postscript", match.group().strip(), "The text has a postscript nobody asked for.")
        for match in POSTSCRIPT.finditer(text)
    ]
    found += [
        Flag("link", match.group(), "The text holds a link or markup; nothing you gave has one.")
        for match in LINK.finditer(text)
    ]
    found += _other_language(parts, own)
    found += _other_script(text, own)
    sources = [_tokens(line) for line in sentences(research)]
    sources = [tokens for tokens in sources if tokens]
    if sources:
        reason = "This sentence is copied from the company research, not written from your notes."
        found += [
            Flag("copied_research", sentence, reason)
            for sentence in parts
            if _copied(sentence, sources, own_flat)
        ]
    # What the user wrote themselves (a link, a line in their own language) is theirs to send.
    own_text = " ".join(own).casefold()
    return [flag for flag in found if flag.span.casefold() not in own_text]


def injection_check(flags: Sequence[Flag]) -> CheckResult[InjectionEvidence]:
    """The flags as one check: passed when there are none."""
    if not flags:
        comment = "Nothing that looks planted by the research."
        return CheckResult(KEY, 1.0, True, comment, InjectionEvidence())
    kinds = ", ".join(dict.fromkeys(flag.kind.replace("_", " ") for flag in flags))
    comment = (
        f"Read before sending: {kinds}. Text like this is how instructions hidden in pasted "
        "research show up in a draft."
    )
    return CheckResult(KEY, 0.0, False, comment, InjectionEvidence(tuple(flags)))


def without_flagged(
    text: str, flags: Sequence[Flag], *, keep_linked_sentences: bool = False
) -> str:
    """The text without every sentence that holds a flag (a postscript, another language, a
    copied sentence) and without links and markup: code's repair for answers and plan steps,
    where a sentence can go without a rewrite. A sentence holding a link goes too, unless
    `keep_linked_sentences` (a plan step is one sentence: only its link goes)."""
    if not flags:
        return text
    spans = [
        flag.span
        for flag in flags
        if flag.span and not (keep_linked_sentences and flag.kind == "link")
    ]
    kept_lines = []
    for line in text.split("\n"):
        if POSTSCRIPT.match(line):
            continue
        pieces = re.split(r"(?<=[.!?])(\s+)", line)
        kept = "".join(piece for piece in pieces if not any(span in piece for span in spans))
        kept_lines.append(re.sub(r"[ \t]{2,}", " ", LINK.sub("", kept)).strip())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept_lines)).strip()


__all__ = [
    "KEY",
    "LANGUAGES",
    "LINK",
    "POSTSCRIPT",
    "Flag",
    "injection_check",
    "language_of",
    "output_flags",
    "sentences",
    "without_flagged",
]
