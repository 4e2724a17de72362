"""`hollow`: a sentence that only says a topic was discussed, wrapped in thanks or praise; or a
note whose sentences mostly open the same way.

Rulings 2 and 13: "Thank you for walking me through the Kafka billing migration." opens a note
well; "Thank you for the opportunity to discuss <topic>.", "I am grateful for your guidance on
<topic>." and "Your advice on <topic> was particularly helpful." say nothing. A sentence is
hollow when, besides the words of this interviewer's topics, the role and the company, it holds
only gratitude, praise and "we discussed" words ("We also discussed ward stock top-ups across 22
wards." is one too, thanks or not). Three or more sentences that open with the same two words,
half the note or more, are hollow too — a copy counts, as readers count it ("every sentence after
the opening starts 'I would'"), and "Firstly, I would like…" opens as "I would like…" — and so
are three that open with the same three words ("I would bring…") in a longer note.
"""

from __future__ import annotations

import re
from collections import Counter

from debrief.checks.defects.text import NoteText
from debrief.checks.defects.types import Defect
from debrief.checks.notes.inputs import NoteInputs
from debrief.checks.text import STOPWORDS, content_stems, stems_of, words

KEY = "hollow"

_ALWAYS_HOLLOW = re.compile(
    r"\b(?:(?:thank\s+you|grateful|thankful)\s+for\s+(?:the|this)\s+(?:opportunity|chance)\s+to"
    r"\s+(?:discuss|talk|speak)"
    r"|I\s+am\s+(?:so\s+|very\s+|truly\s+)?grateful\s+for\s+your\s+"
    r"(?:guidance|insights?|time|advice|expertise|input)\s+on"
    r"|(?:which|that)\s+(?:was|is)\s+(?:a|an|another)\s+(?:key|important|interesting|crucial|"
    r"central|main)\s+(?:topic|part|point|theme)\s+(?:of\s+our\s+(?:conversation|discussion)"
    r"|we\s+(?:covered|discussed))"
    r"|(?:we|you)\s+also\s+discussed\s+the\s+(?:importance|potential\s+impact|impact|role)\s+of"
    r"|I\s+found\s+the\s+(?:interview|conversation|discussion)(?:\s+process)?\s+(?:to\s+be\s+)?"
    r"(?:very\s+|really\s+)?(?:informative|engaging|helpful|interesting)"
    r"|the\s+information\s+(?:provided|you\s+provided|you\s+shared)\s+was\s+(?:very\s+)?"
    r"(?:helpful|useful|informative)"
    r"|I\s+would\s+(?:agree|concur)\s+with\s+(?:that|this|your)\s+approach\s*[.!]"
    r")",
    re.IGNORECASE,
)
# What a sentence may hold and still say nothing: thanks, praise, "we discussed".
_EMPTY_WORDS = stems_of(
    [
        """thank thanks grateful gratitude appreciate appreciation appreciated express extend
        opportunity chance discuss discussed discussing discussion talk talking talked speak
        conversation chat share shared sharing guidance insight insights advice input expertise
        explanation perspective thoughts helpful useful valuable insightful enlightening
        interesting informative particularly especially truly really very also again like
        would enjoyed enjoy pleasure glad happy delighted learn learning hear hearing topic
        important importance key crucial aspect part covered cover point regarding with me
        thoughtful great good detailed overview writing write sincere sincerest deep deepest
        heartfelt moment take wanted mention"""
    ]
)
# "Firstly, I would like…", "Secondly, I would like…": the same opening behind a counter.
_ORDINAL = re.compile(
    r"^\s*(?:first(?:ly)?|second(?:ly)?|third(?:ly)?|finally|lastly|additionally|also|moreover"
    r"|furthermore)\s*,\s*",
    re.IGNORECASE,
)
_KIN = 5  # letters two stems share for one to be the other's kin
# "We also discussed ward stock top-ups across 22 wards.": the topic came up, and nothing more.
_DISCUSSED = re.compile(
    r"^\s*(?:we|you|I)\s+(?:also\s+)?(?:discussed|talked\s+about|covered|touched\s+on"
    r"|wanted\s+to\s+mention)\b",
    re.IGNORECASE,
)
_SAME_OPENING = 3  # sentences
_OPENING_SHARE = 0.5


def _is_topic_word(word: str, topics: set[str]) -> bool:
    """A topic's word, or its kin ("preparation" of "preparing": the light stems differ)."""
    return word in topics or any(
        min(len(word), len(topic)) >= _KIN and (word.startswith(topic) or topic.startswith(word))
        for topic in topics
    )


def _is_empty_praise(sentence: str, topics: set[str], frame: set[str]) -> bool:
    """Thanks or praise around a topic's own words, and nothing else."""
    stems = content_stems(sentence)
    rest = stems - frame - _EMPTY_WORDS
    return bool(stems & topics) and all(_is_topic_word(word, topics) for word in rest)


def _topic_stems(inputs: NoteInputs) -> set[str]:
    return stems_of(inputs.interviewer.topics) - STOPWORDS


def _frame_stems(inputs: NoteInputs) -> set[str]:
    return stems_of([inputs.company, inputs.role, inputs.interviewer.name])


def _gratitude(sentence: str) -> bool:
    return bool(
        re.search(
            r"\b(?:thank|grateful|gratitude|appreciat\w*|helpful|valuable|enlightening|"
            r"insightful|enjoyed)\b",
            sentence,
            re.IGNORECASE,
        )
    )


def _openings(sentences: list[str]) -> list[Defect]:
    """Three or more sentences opening with the same two words, half the note or more; or with
    the same three words ("I would bring…" three times), however long the note."""
    found = []
    for size, share in ((2, _OPENING_SHARE), (3, 0.0)):
        heads = [tuple(words(_ORDINAL.sub("", s))[:size]) for s in sentences]
        counts = Counter(h for h in heads if len(h) == size and h[:2] != ("thank", "you"))
        for head, count in counts.items():
            if count >= _SAME_OPENING and count / len(sentences) >= share:
                third = [s for s, h in zip(sentences, heads, strict=True) if h == head][2]
                reason = f"{count} sentences open the same way ('{' '.join(head)}…')."
                found.append(Defect(KEY, third, reason))
        if found:
            break
    return found


def find(note: NoteText, inputs: NoteInputs) -> list[Defect]:
    sentences = list(note.sentences)
    topics, frame = _topic_stems(inputs), _frame_stems(inputs)
    found: list[Defect] = []
    for index, sentence in enumerate(sentences):
        match = _ALWAYS_HOLLOW.search(sentence)
        opening_ok = index == 0 and not match  # ruling 2: an opening that names the topic
        if match or (
            not opening_ok
            and (_gratitude(sentence) or _DISCUSSED.search(sentence))
            and _is_empty_praise(sentence, topics, frame)
        ):
            reason = "This sentence only says the topic came up; it tells the reader nothing."
            found.append(Defect(KEY, sentence, reason))
    found += _openings(sentences)
    return found
