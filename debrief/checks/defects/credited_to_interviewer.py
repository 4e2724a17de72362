"""`credited_to_interviewer`: the candidate's own words presented as the interviewer's.

"Your advice on tracking brand search volume…" when tracking brand search volume was the
candidate's clarification; "Thank you for your presentation on…" when the presentation was the
candidate's ("my teaching presentation"); "Thank you for explaining the model override process"
when explaining it was the interviewer's question to the candidate. Read where the note credits
the interviewer with advice, an explanation, insights or a presentation, and compare what is
credited with the candidate's clarification and takeaways, the topics written as the
candidate's own ("my …"), and the interviewer's questions. Also the candidate's answer put in the
interviewer's mouth ("You mentioned that a CON29M coal mining search … would be helpful") or
learned from them ("I understood that we must inform and consult…"), and the interviewer
answering their own question ("…was answered clearly and accurately by you").
"""

from __future__ import annotations

import re

from debrief.checks.defects.text import NoteText, candidate_texts
from debrief.checks.defects.types import Defect
from debrief.checks.notes.inputs import NoteInputs
from debrief.checks.text import content_stems

KEY = "credited_to_interviewer"

_CREDIT = re.compile(
    r"\b(?:your\s+(?:[\w-]+\s+){0,2}?(?:advice|insights?|explanation|presentation|suggestions?"
    r"|ideas?|guidance|thoughts|recommendations?|tips)\s+(?:on|about|of|for|regarding)"
    r"|thank\s+you\s+(?:[\w-]+\s+){0,2}for\s+(?:explaining|presenting|teaching|showing\s+me"
    r"|walking\s+me\s+through|your\s+presentation\s+(?:on|of|about)))"
    r"\s+(?P<x>[^.;!?]+)",
    re.IGNORECASE,
)
# The candidate's answer put in the interviewer's mouth ("You mentioned that a CON29M coal mining
# search … would be helpful") or presented as learned from them ("I understood that we must
# inform and consult…"), when it is the candidate's own clarification.
_SAID = re.compile(
    r"\b(?:(?:you|he|she)\s+(?:also\s+)?(?:mentioned|said|explained|suggested|noted|told\s+me"
    r"|pointed\s+out|recommended|advised)"
    r"|I\s+(?:now\s+|also\s+)?(?:understand|understood|learned|learnt|realised|realized))"
    r"\s+that\s+(?P<x>[^.;!?]+)",
    re.IGNORECASE,
)
# The interviewer answering their own question: "Your question about … was answered clearly and
# accurately by you."
_ANSWERED_BY_YOU = re.compile(r"\b(?:was|were)\s+answered\b[^.;!?]*?\bby\s+you\b", re.I)
_CLARIFICATION_SHARE = 0.5
_HEARD = re.compile(r"\s*what\s+(?:stuck|stayed)\s+with\s+me\b", re.IGNORECASE)
# Crediting the interviewer with the answer to their own question ("Thank you for explaining
# the model override process" for "How would you explain a model override?").
_EXPLAINED = re.compile(r"explain|insight|advice|thoughts", re.IGNORECASE)
_MIN_SHARED = 2


def _overlap(credited: set[str], source: str) -> float:
    """Share of the source's content words credited; 0 unless enough of them to mean it."""
    theirs = content_stems(source)
    shared = credited & theirs
    if len(shared) >= _MIN_SHARED or (theirs and shared == theirs):
        return len(shared) / len(theirs)
    return 0.0


def _is_mine(topic: str) -> bool:
    return bool(re.match(r"\s*my\b", topic, re.IGNORECASE))


def _credits_the_candidate(credited: set[str], verb: str, inputs: NoteInputs) -> bool:
    topics = inputs.interviewer.topics
    sources = [*candidate_texts(inputs), *(topic for topic in topics if _is_mine(topic))]
    if _EXPLAINED.search(verb):
        sources += inputs.interviewer.questions
    theirs = max((_overlap(credited, t) for t in topics if not _is_mine(t)), default=0.0)
    mine = max((_overlap(credited, source) for source in sources), default=0.0)
    return mine > theirs


def _is_their_answer(said: set[str], inputs: NoteInputs) -> bool:
    """Whether what the interviewer is said to have said is mostly the candidate's own idea (their
    clarification, a takeaway of their own; "what stuck with me: …" is something they heard)."""
    ideas = [text for text in candidate_texts(inputs) if not _HEARD.match(text)]
    mine = max((_overlap(said, source) for source in ideas), default=0.0)
    theirs = max((_overlap(said, t) for t in inputs.interviewer.topics), default=0.0)
    return mine >= _CLARIFICATION_SHARE and mine > theirs


def find(note: NoteText, inputs: NoteInputs) -> list[Defect]:
    found: list[Defect] = []
    for sentence in note.sentences:
        for match in _SAID.finditer(sentence):
            if _is_their_answer(content_stems(match["x"]), inputs):
                reason = "The note gives your own answer as the interviewer's words."
                found.append(Defect(KEY, match.group().strip(), reason))
        for match in _ANSWERED_BY_YOU.finditer(sentence):
            reason = "The note says the interviewer answered their own question."
            found.append(Defect(KEY, match.group(), reason))
        for match in _CREDIT.finditer(sentence):
            credited = content_stems(match["x"])
            verb = match.group()[: match.start("x") - match.start()]
            if _credits_the_candidate(credited, verb, inputs):
                span = match.group().strip()
                reason = "The note credits the interviewer with what was yours to say."
                found.append(Defect(KEY, span, reason))
    return found
