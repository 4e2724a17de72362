"""`insider`: written as if the candidate already works there.

"our students", "our ICU", "helping us navigate", "a technique we use", "continuing to work with
you", "my role as <the job applied for>", "my career path at <the company>". "our conversation"
and its kin are about the interview, not the workplace. A line the candidate wrote themselves is
read like any other sentence (ruling 16): "the contractor must send us…" copied from their notes
still reads as if they worked there.
"""

from __future__ import annotations

import re

from debrief.checks.defects.text import NoteText, role_core
from debrief.checks.defects.types import Defect
from debrief.checks.notes.inputs import NoteInputs

KEY = "insider"

_ABOUT_THE_INTERVIEW = (
    "conversation|conversations|discussion|discussions|interview|interviews|meeting|meetings"
    "|chat|call|talk|talks|exchange|time|panel|session|visit"
)
_OUR = re.compile(r"\bour\s+(?:[\w-]+\s+){0,2}?[\w-]+", re.IGNORECASE)
_INTERVIEW_WORDS = frozenset(_ABOUT_THE_INTERVIEW.split("|"))
_US_WE = re.compile(
    r"\b(?:(?:helping|helped|help|allowed|allowing|allow|saved|save|enabled|enabling|enable"
    r"|assisted|assisting|brought|bringing|given|giving)\s+us\b"
    r"|we\s+(?:use|used|need\s+to|have\s+seen|are\s+able|will\s+continue|have\s+achieved"
    r"|have\s+built|serve|run|offer)\b"
    r"|(?:send|sends|sending|sent)\s+us\b"
    r"|(?:^|[,;]\s*|\band\s+)we\s+(?:must|will|should|need\s+to)\s+(?!continue\b)\w+)",
    re.IGNORECASE,
)
_COLLEAGUE = re.compile(
    r"\b(?:continu(?:e|ing)\s+(?:to\s+work|working)(?:\s+\w+)?\s+with\s+(?:you|the\s+team)"
    r"|work(?:ing)?\s+with\s+you\s+again|keep\s+working\s+with\s+you"
    r"|(?:continue|continuing)\s+my\s+(?:education|work)\s+(?:here|with\s+you))\b",
    re.IGNORECASE,
)


def _role_claims(inputs: NoteInputs) -> list[re.Pattern[str]]:
    patterns = []
    core = role_core(inputs.role)
    if core:
        patterns.append(re.compile(rf"\bmy\s+role\s+as\s+(?:the\s+)?{re.escape(core)}", re.I))
    company = inputs.company.strip()
    if company:
        first = re.escape(company.split()[0])
        patterns.append(
            re.compile(
                r"\bmy\s+(?!interview|application|visit|conversation)(?:[\w-]+\s+){1,2}"
                rf"(?:at|with)\s+{first}\b",
                re.I,
            )
        )
    return patterns


def _about_the_interview(sentence: str, match: re.Match[str]) -> bool:
    """Whether one of the two words after "our" is the interview itself."""
    after = sentence[match.start() :].split()[1:3]
    return any(word.strip(".,;:!?\"'").lower() in _INTERVIEW_WORDS for word in after)


def find(note: NoteText, inputs: NoteInputs) -> list[Defect]:
    found: list[Defect] = []
    for sentence in note.sentences:
        for pattern in (_OUR, _US_WE, _COLLEAGUE, *_role_claims(inputs)):
            for match in pattern.finditer(sentence):
                if pattern is _OUR and _about_the_interview(sentence, match):
                    continue  # "our conversation", "our first meeting": the interview itself
                reason = f"'{match.group()}' reads as if you already work there."
                found.append(Defect(KEY, match.group(), reason))
    return found
