"""`invented_experience`: experience, skills or history of the candidate the inputs do not state.

"my experience in X", "my expertise in X", "my knowledge of X" where X is not in the candidate's
own lines (clarification, takeaways); a record of the past ("I have led…", "I am a recent
graduate of…", "As I did when…") the inputs do not hold; and a false account of the interview
("I suggested replaying the events" when the user wrote that they lost the thread, ruling 14):
the candidate's clarification is what they wish they had said, never what they said. Also the
interviewer's topic claimed as the candidate's own ("my ASYE programme").
"""

from __future__ import annotations

import re

from debrief.checks.defects.text import NoteText, candidate_texts
from debrief.checks.defects.types import Defect
from debrief.checks.notes.inputs import NoteInputs
from debrief.checks.text import STOPWORDS, content_stems, stems_of

KEY = "invented_experience"

_CLAIMED = re.compile(
    r"\bmy\s+(?:[\w-]+\s+){0,2}?(?:experience|expertise|knowledge|skills?|background"
    r"|track\s+record|proficiency|familiarity|history|focus)\s+(?:in|with|of|at|as|on|managing"
    r"|building|leading|running)\b(?P<x>[^.,;!?]*)",
    re.IGNORECASE,
)
_PAST = re.compile(
    r"\b(?:I\s+have\s+(?:successfully\s+)?(?:led|managed|built|run|coached|trained|designed"
    r"|delivered|launched|taught|supervised|implemented|worked\s+(?:on|with|as|in))"
    r"|I\s+(?:am|was)\s+a\s+(?:recent\s+)?graduate\s+(?:of|from)"
    r"|as\s+I\s+did\s+when"
    r"|in\s+my\s+(?:previous|last|current)\s+(?:role|job|position)\s+I)\b(?P<x>[^.;!?]*)",
    re.IGNORECASE,
)
_ACCOUNT = re.compile(
    r"\bI\s+(?:suggested|proposed|explained|answered|replied|described|outlined|shared\s+my"
    r"|told\s+(?:you|him|her))\b(?P<x>[^.;!?]*)",
    re.IGNORECASE,
)
# "my ASYE programme" when the ASYE programme is the interviewer's topic: theirs, claimed as yours.
_MY = re.compile(r"\bmy\s+(?P<x>(?:[\w-]+\s+){0,2}[\w-]+)", re.IGNORECASE)
_GENERIC = stems_of(
    [
        """role position team company work working experience field area areas industry
        similar related relevant this these the same environment fast-paced settings projects
        skills"""
    ]
)


def _theirs_as_mine(sentence: str, inputs: NoteInputs, own: set[str]) -> list[Defect]:
    """ "my <words of the interviewer's topic>" (a topic not written as the candidate's own)."""
    theirs = stems_of(
        [topic for topic in inputs.interviewer.topics if not re.match(r"\s*my\b", topic, re.I)]
    )
    found = []
    for match in _MY.finditer(sentence):
        said = content_stems(match["x"])
        if said and said <= theirs and not said <= own:
            reason = "The note calls the interviewer's topic yours."
            found.append(Defect(KEY, match.group(), reason))
    return found


def find(note: NoteText, inputs: NoteInputs) -> list[Defect]:
    own = stems_of(candidate_texts(inputs)) | STOPWORDS | _GENERIC
    found: list[Defect] = []
    for sentence in note.sentences:
        found += _theirs_as_mine(sentence, inputs, own)
        for pattern, reason in (
            (_CLAIMED, "The note claims experience your notes do not mention."),
            (_PAST, "The note claims a past your notes do not mention."),
        ):
            for match in pattern.finditer(sentence):
                if content_stems(match["x"]) - own or not content_stems(match["x"]):
                    found.append(Defect(KEY, match.group().strip(), reason))
        for match in _ACCOUNT.finditer(sentence):
            reason = "The note says you said this in the interview; your notes say otherwise."
            found.append(Defect(KEY, match.group().strip(), reason))
    return found
