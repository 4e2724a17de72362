"""The frame of a thank-you note, written by code: whom it greets, what it opens and closes with.

The model only turns the candidate's own lines into sentences (thank_you_note v3); everything a
rule can get right — names with honorifics, the topics of this conversation, the role, the
sign-off, the subject — is written here, from the frame's text in `prompts/`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from wordfreq import zipf_frequency

from debrief.checks.rewrite import is_first_person, tidy_line
from debrief.records.models import Interview, Interviewer
from prompts import load_parts

Tone = Literal["warm", "formal", "brief"]
FRAME = "thank_you_note_frame"
CLOSINGS = 4
_HONORIFICS = {
    "dr": "Dr.",
    "mr": "Mr.",
    "mrs": "Mrs.",
    "ms": "Ms.",
    "miss": "Miss",
    "mx": "Mx.",
    "prof": "Prof.",
    "professor": "Professor",
    "sir": "Sir",
    "dame": "Dame",
    "rev": "Rev.",
    "reverend": "Reverend",
    "fr": "Fr.",
}


@dataclass(frozen=True)
class Addressee:
    """A name as the user typed it, read for greeting: "Dr. Amara Osei" → Dr. + Amara + Osei."""

    honorific: str
    first: str
    last: str

    @property
    def full(self) -> str:
        return " ".join(p for p in (self.honorific, self.first, self.last) if p)

    def greeting_name(self, tone: Tone) -> str:
        """Who the greeting names: an honorific keeps the surname ("Dr. Osei"), never alone."""
        if self.honorific:
            return f"{self.honorific} {self.last or self.first}".strip()
        if tone == "formal":
            return " ".join(p for p in (self.first, self.last) if p)
        return self.first


def addressee(name: str) -> Addressee:
    """Split a person's name into honorific, first name and surname."""
    words = name.split()
    honorific = ""
    if words and (known := _HONORIFICS.get(words[0].rstrip(".").lower())) and len(words) > 1:
        honorific, words = known, words[1:]
    first = words[0] if words else name.strip()
    last = words[-1] if len(words) > 1 else ""
    return Addressee(honorific, first, last)


def first_name(name: str) -> str:
    """The name to use for a person in running text ("Amara" for "Dr. Amara Osei")."""
    return addressee(name).first


def greeting(person: Interviewer, tone: Tone) -> str:
    name = addressee(person.name).greeting_name(tone)
    return load_parts(FRAME).render(f"greeting_{tone}", name=name)


def sign_off(tone: Tone, candidate_name: str) -> str:
    closing = load_parts(FRAME).render(f"sign_off_{tone}")
    return f"{closing}\n{candidate_name or '[Your name]'}"


def _as_running_text(phrase: str) -> str:
    """A topic as typed ("Crew scheduling overhaul") inside a sentence ("crew scheduling …")."""
    text = " ".join(phrase.split()).rstrip(".;:")
    first, _, rest = text.partition(" ")
    # Lower a capitalised common word; keep names, acronyms and words typed in capitals.
    if (
        first[:1].isupper()
        and first[1:].islower()
        and zipf_frequency(first.lower(), "en") >= 3.0
        and zipf_frequency(first, "en") <= zipf_frequency(first.lower(), "en")
    ):
        text = first.lower() + (f" {rest}" if rest else "")
    return text


def join_phrases(items: Sequence[str]) -> str:
    """ "a", "a and b", "a, b and c"; a comma before the last "and" when an item has its own."""
    if len(items) <= 1:
        return "".join(items)
    serial = "," if any(" and " in item for item in items) else ""
    return f"{', '.join(items[:-1])}{serial} and {items[-1]}"


def opening(interview: Interview, person: Interviewer, max_topics: int = 3) -> str:
    """The first sentence: this conversation's topics, or the role when none were noted."""
    parts = load_parts(FRAME)
    weekday = f"{interview.held_at:%A}"
    topics = [_as_running_text(t) for t in person.topics[:max_topics] if t.strip()]
    if topics:
        return parts.render("opening_topics", weekday=weekday, topics=join_phrases(topics))
    return parts.render("opening_no_topics", weekday=weekday, role=interview.role)


def closing(interview: Interview, position: int) -> str:
    """A closing that differs between the interviewers of one interview (they compare notes)."""
    parts = load_parts(FRAME)
    part = f"closing_{position % CLOSINGS}"
    values = {"role": interview.role, "company": interview.company}
    return parts.render(part, **{k: v for k, v in values.items() if k in parts.variables_of(part)})


def subject(interview: Interview) -> str:
    return load_parts(FRAME).render("subject", role=interview.role)


def _lowered_first(sentence: str) -> str:
    """A sentence continued after a colon: "I …" stays, "Track …" becomes "track …"."""
    if sentence.startswith(("I ", "I'", "I\u2019")) or sentence[:2].isupper():
        return sentence
    return sentence[:1].lower() + sentence[1:]


def takeaway_as_written(line: str) -> str:
    """The candidate's line used as written, when no rewrite was faithful enough."""
    tidy = tidy_line(line)
    if is_first_person(tidy):
        return tidy
    return load_parts(FRAME).render("takeaway_lead", line=_lowered_first(tidy))


def repair_as_written(clarification: str) -> str:
    """The candidate's clearer answer, used as written after a short lead-in."""
    return load_parts(FRAME).render("repair_lead", line=_lowered_first(tidy_line(clarification)))


def hint(person: Interviewer) -> str:
    """What to add for a stronger note, when the candidate gave no line of their own."""
    if person.takeaways:
        return ""
    topic = person.topics[0] if person.topics else "what you discussed"
    return load_parts(FRAME).render("hint_no_takeaways", topic=_as_running_text(topic))


def assemble(
    interview: Interview,
    person: Interviewer,
    *,
    tone: Tone,
    candidate_name: str,
    position: int,
    sentences: Sequence[str],
    repair: str = "",
) -> tuple[str, str]:
    """(subject, body): greeting, opening, the candidate's sentences, repair, closing, sign-off."""
    paragraph = " ".join([opening(interview, person), *sentences])
    middle = [paragraph, repair] if repair else [paragraph]
    parts = [greeting(person, tone), *middle, closing(interview, position)]
    body = "\n\n".join(p for p in parts if p) + "\n\n" + sign_off(tone, candidate_name)
    return subject(interview), body
