"""Cross-talk: facts that belong only to another interviewer of the same interview."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence

from debrief.checks.notes.coverage import LONG_FACT_SHARE
from debrief.checks.notes.inputs import NoteInputs
from debrief.checks.text import content_words, join_words, quote, stem, words
from debrief.checks.types import CheckResult, CrossTalkEvidence, Leak


def _own_stems(inputs: NoteInputs) -> frozenset[str]:
    """Stems this interviewer's note may use freely: their facts, the company, the role."""
    person = inputs.interviewer
    texts = [
        person.title,
        *person.topics,
        *person.questions,
        inputs.fumbled_question,
        inputs.clarification,
        inputs.company,
        inputs.role,
        inputs.stage,
    ]
    return frozenset(key for text in texts for key in content_words(text))


def _name_leaks(note: str, inputs: NoteInputs) -> Iterator[Leak]:
    own = {
        part
        for text in (inputs.interviewer.name, inputs.candidate_name, inputs.company)
        for part in words(text)
    }
    for other in inputs.others:
        for part in re.findall(r"[^\W\d_][\w'\u2019-]*", other.name):
            if len(part) < 2 or part.lower() in own:
                continue
            # Case-sensitive: "Dev" is a person, "dev environment" is not.
            if re.search(rf"(?<![\w-]){re.escape(part)}(?![\w-])", note):
                yield Leak(other.name, other.name, "name", (part,))
                break


# A reference to a topic is one phrase or clause, so its words sit close together; the same
# words scattered over three paragraphs ("customer" here, "invoice" there) are not a reference.
_LEAK_WINDOW = 12


def _topic_leak(text: str, own: frozenset[str], note_stems: Sequence[str]) -> list[str] | None:
    """The distinctive words of another person's topic the note used, if enough to count."""
    content = content_words(text)
    distinctive = {key: word for key, word in content.items() if key not in own}
    if not distinctive:
        return None
    # One stray shared word ("invoice" in a billing note) is not a leak: a leak needs half the
    # distinctive words and at least two words of the topic (or all of a one-word topic).
    needed = max(1, math.ceil(len(distinctive) * LONG_FACT_SHARE))
    needed_overall = min(2, len(content))
    for start, note_stem in enumerate(note_stems):
        if note_stem not in content:
            continue
        window = set(note_stems[start : start + _LEAK_WINDOW])
        hits = [word for key, word in distinctive.items() if key in window]
        if len(hits) >= needed and len(window & content.keys()) >= needed_overall:
            return hits
    return None


def cross_talk(note: str, inputs: NoteInputs) -> CheckResult[CrossTalkEvidence]:
    """Facts that belong only to another interviewer of the same interview, cited in this note."""
    note_stems = [stem(token) for token in words(note)]
    own = _own_stems(inputs)
    leaked = list(_name_leaks(note, inputs))
    for other in inputs.others:
        facts = [("topic", topic) for topic in other.topics]
        facts += [("question", question) for question in other.questions]
        for kind, text in facts:
            hits = _topic_leak(text, own, note_stems)
            if hits is not None:
                leaked.append(Leak(text, other.name, kind, tuple(hits)))
    if leaked:
        named = join_words([f"{quote(item.fact)} ({item.owner})" for item in leaked])
        comment = f"The note mentions what belongs to another interviewer: {named}."
    else:
        comment = "The note mentions nothing that belongs only to another interviewer."
    return CheckResult(
        key="cross_talk",
        # 1, 1/2, 1/3…: each leak is a visible mistake, but more of them are worse.
        score=1.0 / (1 + len(leaked)),
        passed=not leaked,
        comment=comment,
        evidence=CrossTalkEvidence(tuple(leaked)),
    )
