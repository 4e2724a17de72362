"""`stock_filler`: a cliché that says nothing about this interview and a careful reader would cut.

Two kinds. Phrases that are filler wherever they stand ("I hope this email finds you well",
"sincere gratitude", "invaluable", "valuable insights", "please do not hesitate", "any further
questions you may have", "my passion for…"). And conventional courtesy lines ("I look forward to
hearing from you", "Thank you again for your time"): one is fine (ruling 1), every further one
is filler.
"""

from __future__ import annotations

import re

from debrief.checks.defects.text import NoteText, candidate_texts
from debrief.checks.defects.types import Defect
from debrief.checks.notes.inputs import NoteInputs

KEY = "stock_filler"

_FILLER = re.compile(
    r"\b(?:"
    r"(?:I\s+)?hope\s+(?:this|my)\s+(?:e-?mail|message|note|letter)\s+finds\s+you\s+well"
    r"|(?:sincere|sincerest|deepest|heartfelt|utmost)\s+(?:gratitude|appreciation|thanks)"
    r"|invaluable"
    r"|valuable\s+(?:insights?|advice|input|information|feedback|guidance|perspective)"
    r"|insightful\s+(?:advice|comments|guidance)"
    r"|(?:your|the)\s+insights\s+(?:into|on)\s+the\s+field"
    r"|(?:was|were)\s+(?:very\s+|particularly\s+|really\s+)?insightful\s+and\b"
    r"|I\s+(?:really\s+|truly\s+)?appreciate\s+your\s+insights\s*[.!]"
    r"|(?:please\s+)?(?:do\s+not|don['\u2019]t)\s+hesitate"
    r"|(?:help|assist)(?:\s+you)?\s+with\s+any\s+(?:further|additional|other)\b"
    r"|(?:discuss|answer)\s+any\s+(?:further|additional|other)\s+(?:questions|details|concerns)"
    r"|(?:which|that)\s+I\s+found\s+(?:very\s+|particularly\s+|really\s+|truly\s+)?"
    r"(?:insightful|enlightening)"
    r"|any\s+(?:further\s+|additional\s+|other\s+)?(?:questions|concerns|needs|topics)"
    r"(?:\s+or\s+\w+)?\s+(?:you|that\s+you)\s+may\s+have"
    r"|wish\s+you\s+(?:continued\s+|all\s+the\s+best\s+and\s+)?success"
    r"|hard\s+work\s+and\s+dedication"
    r"|my\s+passion\s+for"
    r"|(?:a|an|this)\s+(?:fantastic|great|wonderful|exciting|amazing|incredible)\s+opportunity"
    r"|commitment\s+to\s+excellence"
    r"|cross-functional\s+teams"
    r"|unique\s+perspective"
    r"|in\s+a\s+clear\s+and\s+concise\s+manner"
    r"|(?:help\s+)?drive\s+the\s+success\s+of"
    r"|above\s+and\s+beyond"
    r"|meaningful\s+impact"
    r")",
    re.IGNORECASE,
)
# Lines every email may end with; one is fine, the second is filler.
_COURTESY = re.compile(
    r"\b(?:I\s+look\s+forward\s+to\s+(?:hearing|the\s+possibility|the\s+next|continuing|"
    r"speaking|learning|working)"
    r"|thank\s+you\s+(?:once\s+|again\s+)*for\s+your\s+(?:time|consideration)"
    r"|thanks\s+again\s+for\s+your\s+time"
    r"|I\s+(?:would\s+be|am)\s+happy\s+to\s+(?:discuss|answer|provide|help|assist))",
    re.IGNORECASE,
)


def find(note: NoteText, inputs: NoteInputs) -> list[Defect]:
    own = " ".join(candidate_texts(inputs)).lower()
    found: list[Defect] = []
    for sentence in note.sentences:
        for match in _FILLER.finditer(sentence):
            if match.group().lower() in own:
                continue  # the candidate's own words
            reason = f"'{match.group()}' is a stock phrase that says nothing about this interview."
            found.append(Defect(KEY, match.group(), reason))
    courtesy = [s for s in note.sentences if _COURTESY.search(s)]
    for sentence in courtesy[1:]:
        reason = "One closing courtesy line is enough; this one adds nothing."
        found.append(Defect(KEY, sentence, reason))
    return found
