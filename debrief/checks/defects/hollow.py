"""`hollow`: a sentence that only says a topic was discussed, wrapped in thanks or praise; or a
note whose sentences mostly open the same way.

Rulings 2 and 13: "Thank you for walking me through the Kafka billing migration." opens a note
well; "Thank you for the opportunity to discuss <topic>.", "I am grateful for your guidance on
<topic>." and "Your advice on <topic> was particularly helpful." say nothing. A sentence is
hollow when, besides the words of this interviewer's topics, the role and the company, it holds
only gratitude, praise and "we discussed" words. Three or more sentences that open with the same
two words, most of the note, are hollow too.
"""

from __future__ import annotations

import re
from collections import Counter

from debrief.checks.defects.text import (
    STOPWORDS,
    NoteText,
    content_stems,
    is_near_copy,
    stems_of,
    words,
)
from debrief.checks.defects.types import Defect
from debrief.checks.notes import NoteInputs

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
        heartfelt moment take wanted"""
    ]
)
_SAME_OPENING = 3  # sentences
_OPENING_SHARE = 0.5


def _is_empty_praise(sentence: str, topics: set[str], frame: set[str]) -> bool:
    """Thanks or praise around a topic's own words, and nothing else."""
    stems = content_stems(sentence)
    return bool(stems & topics) and stems <= topics | frame | _EMPTY_WORDS


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
    # A sentence said twice is repetition; only distinct sentences show a pattern of openings.
    sentences = [
        s
        for i, s in enumerate(sentences)
        if not any(is_near_copy(s, earlier) for earlier in sentences[:i])
    ]
    heads = [tuple(words(s)[:2]) for s in sentences]
    counts = Counter(head for head in heads if len(head) == 2 and head != ("thank", "you"))
    found = []
    for head, count in counts.items():
        if count >= _SAME_OPENING and count / len(sentences) >= _OPENING_SHARE:
            third = [s for s, h in zip(sentences, heads, strict=True) if h == head][2]
            found.append(
                Defect(KEY, third, f"{count} sentences open the same way ('{' '.join(head)}…').")
            )
    return found


def find(note: NoteText, inputs: NoteInputs) -> list[Defect]:
    sentences = list(note.sentences)
    topics, frame = _topic_stems(inputs), _frame_stems(inputs)
    found: list[Defect] = []
    for index, sentence in enumerate(sentences):
        match = _ALWAYS_HOLLOW.search(sentence)
        opening_ok = index == 0 and not match  # ruling 2: an opening that names the topic
        if match or (
            not opening_ok and _gratitude(sentence) and _is_empty_praise(sentence, topics, frame)
        ):
            reason = "This sentence only says the topic came up; it tells the reader nothing."
            found.append(Defect(KEY, sentence, reason))
    found += _openings(sentences)
    return found
