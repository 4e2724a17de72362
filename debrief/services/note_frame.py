"""The frame of a thank-you note, written by code: whom it greets, what it opens and closes with.

The model only turns the candidate's own lines into sentences (thank_you_note v3); everything a
rule can get right — names with honorifics, the topics of this conversation, the role, the
sign-off, the subject — is written here, from the frame's text in `prompts/`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from wordfreq import zipf_frequency

from debrief.checks.rewrite import is_first_person, tidy_line
from debrief.honorifics import split_title
from debrief.records.models import Interview, Interviewer
from prompts import PromptParts, load_parts

Tone = Literal["warm", "formal", "brief"]
FRAME = "thank_you_note_frame"
CLOSINGS = 4
OPENINGS = 4
MAX_TOPICS = 3


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
        if self.honorific in ("Sir", "Dame"):  # "Sir Elton John" is "Sir Elton"
            return f"{self.honorific} {self.first}".strip()
        if self.honorific:
            return f"{self.honorific} {self.last or self.first}".strip()
        if tone == "formal":
            return " ".join(p for p in (self.first, self.last) if p)
        return self.first


def addressee(name: str) -> Addressee:
    """Split a person's name into honorific, first name and surname."""
    honorific, words = split_title(name)
    first = words[0] if words else name.strip()
    last = words[-1] if len(words) > 1 else ""
    return Addressee(honorific, first, last)


def first_name(name: str) -> str:
    """The name to use for a person in running text ("Amara" for "Dr. Amara Osei")."""
    return addressee(name).first


def _parts(frame: int | None) -> PromptParts:
    """The frame's text, at the version a prompt names (the newest when None)."""
    return load_parts(FRAME, frame)


def greeting(person: Interviewer, tone: Tone, frame: int | None = None) -> str:
    name = addressee(person.name).greeting_name(tone)
    return _parts(frame).render(f"greeting_{tone}", name=name)


def sign_off(tone: Tone, candidate_name: str, frame: int | None = None) -> str:
    closing = _parts(frame).render(f"sign_off_{tone}")
    return f"{closing}\n{candidate_name or '[Your name]'}"


def _as_running_text(phrase: str) -> str:
    """A topic as typed ("Crew scheduling overhaul") inside a sentence ("crew scheduling …")."""
    text = " ".join(phrase.split()).rstrip(";:")
    if text.endswith(".") and "." not in text.rsplit(" ", 1)[-1][:-1]:
        text = text[:-1]  # a full stop, not the end of an abbreviation ("before 5 a.m.")
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
    """ "a", "a and b", "a, b and c"; with commas inside an item, "a, and b" for two and
    semicolons between three or more ("a; b; and c")."""
    if len(items) <= 1:
        return "".join(items)
    if any("," in item for item in items):
        if len(items) == 2:
            return f"{items[0]}, and {items[1]}"
        return f"{'; '.join(items[:-1])}; and {items[-1]}"
    serial = "," if any(" and " in item for item in items) else ""
    return f"{', '.join(items[:-1])}{serial} and {items[-1]}"


_AUX_AFTER_YOU = {
    "do": "",
    "would": "would",
    "will": "will",
    "can": "can",
    "could": "could",
    "should": "should",
    "are": "am",
    "were": "was",
    "have": "have",
}
_QUESTION = re.compile(
    r"^(?P<wh>how|why|when|where|who|(?:what|which)(?: \w+){0,3})\s+(?P<aux>"
    + "|".join(_AUX_AFTER_YOU)
    + r")\s+you\s+(?P<rest>[^?]+)\?\s*$",
    re.IGNORECASE,
)
_SECOND_TO_FIRST = {"your": "my", "yours": "mine", "yourself": "myself"}
# Words after which "you" is an object ("to you", "tell you"), so it becomes "me", not "I".
_BEFORE_AN_OBJECT = frozenset(
    [
        "to",
        "for",
        "with",
        "at",
        "from",
        "about",
        "by",
        "than",
        "of",
        "tell",
        "told",
        "show",
        "showed",
        "give",
        "gave",
        "ask",
        "asked",
        "help",
        "let",
        "make",
        "made",
        "call",
    ]
)


# "Tell me about a time you…", "Describe…", "Walk me through…": asked as a request, not a wh-word.
_REQUEST = re.compile(
    r"^(?:(?:can|could|would)\s+you\s+)?(?:please\s+)?(?:tell\s+(?:me|us)\s+about|describe"
    r"|(?:walk|talk|take)\s+(?:me|us)\s+through|give\s+(?:me|us)\s+an\s+example\s+of"
    r"|share\s+an\s+example\s+of)\s+(?P<rest>[^?.!]+)[?.!]?\s*$",
    re.IGNORECASE,
)


def _as_mine(rest: str) -> list[str]:
    """The words of a question put to the candidate, in the candidate's voice ("you" → I/me)."""
    words: list[str] = []
    for word in rest.split():
        lowered = word.lower()
        if lowered == "you":  # the subject of its clause ("where you suspect") or an object
            subject = not words or words[-1].lower() not in _BEFORE_AN_OBJECT
            words.append("I" if subject else "me")
        elif lowered in ("are", "were") and words and words[-1] == "I":
            words.append("am" if lowered == "are" else "was")
        else:
            words.append(_SECOND_TO_FIRST.get(lowered, word))
    return words


# Words after which "you" opens a clause of its own: "a time you…", "how you…", "that you…".
_OPENER_WORDS = "time times when where how what why which that who if whether occasion situation"
_CLAUSE_OPENERS = frozenset(_OPENER_WORDS.split())


def _subject_you(text: str, match: re.Match[str]) -> bool:
    before = text[: match.start()].split()
    return match.group().lower() == "you" and bool(before) and before[-1].lower() in _CLAUSE_OPENERS


def indirect_question(question: str, *, requests: bool = True) -> str:
    """ "How would you check a cut slope?" asked of the candidate → "how I would check a cut
    slope"; "Tell me about a time you challenged a client's estimate." → "about a time I
    challenged a client's estimate" (`requests=False`: only the first shape); "" when the
    question has neither shape (it is then left out)."""
    text = " ".join(question.split())
    if requests and (request := _REQUEST.match(text)):
        rest = request["rest"]
        if rest.strip().lower() in ("yourself", "you"):
            return "about me"
        # "you" only where it is plainly the subject ("a time you…", "how you…"); anywhere
        # else ("what motivates you", "you've", "yourself and…") the request is left out.
        yous = list(re.finditer(r"\byou(?:['\u2019]\w+|rself|rselves)?\b", rest, re.IGNORECASE))
        if any(not _subject_you(rest, m) for m in yous):
            return ""
        return " ".join(["about", *_as_mine(rest)])
    match = _QUESTION.match(text)
    if match is None:
        return ""
    aux = _AUX_AFTER_YOU[match["aux"].lower()]
    return " ".join([match["wh"].lower(), "I", *([aux] if aux else []), *_as_mine(match["rest"])])


def _asked(person: Interviewer, fumbled: str, most: int = 2) -> str:
    """Up to `most` of this person's questions as indirect phrases (never the fumbled one: the
    repair answers that), joined: "how I would … and why I am …"."""
    phrases = []
    for question in person.questions:
        if " ".join(question.split()).casefold() == " ".join(fumbled.split()).casefold():
            continue
        if phrase := indirect_question(question):
            phrases.append(phrase)
    return " and ".join(phrases[:most])


def opening(
    interview: Interview,
    person: Interviewer,
    position: int = 0,
    *,
    fumbled: str = "",
    frame: int | None = None,
) -> str:
    """The first sentence: this conversation's topics, or the role when none were noted.

    Its wording differs between the interviewers of one interview, like the closing.
    """
    parts = _parts(frame)
    weekday = f"{interview.held_at:%A}"
    topics = [_as_running_text(t) for t in person.topics[:MAX_TOPICS] if t.strip()]
    asked = _asked(person, fumbled)
    if topics:
        sentence = parts.render(
            f"opening_topics_{position % OPENINGS}", weekday=weekday, topics=join_phrases(topics)
        )
        if asked:
            sentence = sentence[:-1] + parts.render("and_asking", question=asked)
        return sentence
    if asked:
        return parts.render("opening_question", weekday=weekday, question=asked)
    return parts.render("opening_no_topics", weekday=weekday, role=interview.role)


def closing(
    interview: Interview, position: int, *, names_role: bool = True, frame: int | None = None
) -> str:
    """A closing that differs between the interviewers of one interview (they compare notes).

    `names_role=False` when the opening already named the role (no topics were noted).
    """
    parts = _parts(frame)
    if not names_role:
        return parts.render("closing_no_topics", company=_company(interview.company))
    part = f"closing_{position % CLOSINGS}"
    values = {"role": interview.role, "company": _company(interview.company)}
    return parts.render(part, **{k: v for k, v in values.items() if k in parts.variables_of(part)})


def subject(interview: Interview, frame: int | None = None) -> str:
    return _parts(frame).render("subject", role=interview.role)


_NEEDS_THE = re.compile(r"^(?:University|College|Institute|Department|Bank|Museum|Royal)\s+of\b")


def _company(name: str) -> str:
    """A company name inside a sentence: "the University of Eastbrook", never "at University…"."""
    return f"the {name}" if _NEEDS_THE.match(name) else name


def _lowered_first(sentence: str) -> str:
    """A sentence continued after a colon: "I …" stays, "Track …" becomes "track …"."""
    if sentence.startswith(("I ", "I'", "I\u2019")) or sentence[:2].isupper():
        return sentence
    return sentence[:1].lower() + sentence[1:]


def _continued(sentence: str, as_typed: str) -> str:
    """The user's line after "What stayed with me:", its first letter as the user typed it: a
    name stays a name ("Helen runs…"), a line typed in lower case stays so. (Word frequency
    cannot tell "Helen" or "John" from "Kitchen".)"""
    typed = re.search(r"[^\W\d_]", as_typed)
    if typed is not None and typed.group().isupper() and not sentence.startswith("You "):
        return sentence
    return _lowered_first(sentence)


_FIRST_PERSON_LEAD = re.compile(
    r"^(I['\u2019]d|I would|I['\u2019]ll|I will) (\w+):\s*", re.IGNORECASE
)


def without_jotting_colon(sentence: str) -> str:
    """ "I'd add: a weekly stand-up." → "I'd add a weekly stand-up." (a note, not a jotting)."""
    if match := _FIRST_PERSON_LEAD.match(sentence):
        return f"{match[1]} {match[2]} {sentence[match.end() :]}"
    return sentence


# "He told me hangar 2 has four bays…": the candidate's line about this interviewer, written the
# way one writes notes; in a note to that person it must say "you".
_ABOUT_THEM = re.compile(
    r"^(?:what\s+(?:stuck|stayed)\s+with\s+me\s*:\s*)?(?P<who>he|she)\s+(?P<also>also\s+)?"
    r"(?P<verb>said|says|mentioned|mentions|told|tells|explained|explains|described|noted"
    r"|pointed|showed|shared|talked|spoke|walked|wants|thinks|asked|emphasi[sz]ed|stressed"
    r"|highlighted)\b",
    re.IGNORECASE,
)
# "You" takes the verb's plain form: "He wants…" → "You want…".
_PLAIN = {
    "says": "say",
    "mentions": "mention",
    "tells": "tell",
    "explains": "explain",
    "wants": "want",
    "thinks": "think",
}
# What they reported, opened by its subject: "…said (that) she is…", "…told me they are…".
_REPORTED_SUBJECT = re.compile(
    r"^(?P<lead>\s+(?:me\s+)?(?:that\s+)?)(?P<subject>they|he|she)\s+(?P<verb>\w+)",
    re.IGNORECASE,
)
_AGREE = {"is": "are", "was": "were", "has": "have", "does": "do"}
_THEIR = re.compile(r"\btheir\b")


def addressed(line: str) -> str:
    """The candidate's line about this interviewer, turned to them: "He mentioned that…" →
    "You mentioned that…", "She wants…" → "You want…", and what they reported about
    themselves or their team: "…said she is / they are training…" → "…said you are training…",
    "their" → "your" ("their largest client" is the firm's), and "his"/"her" → "your" when they
    spoke of themselves. Any other line is left as it is."""
    text = line.strip()
    match = _ABOUT_THEM.match(text)
    if match is None:
        return line
    verb = match["verb"]
    speaker = match["who"].lower()
    lead = f"You {match['also'] or ''}{_PLAIN.get(verb.lower(), verb)}"
    # "their" in what they told you is their firm's or team's ("their largest client").
    reported = _THEIR.sub("your", text[match.end() :])
    subject = _REPORTED_SUBJECT.match(reported)
    if subject is None:
        return lead + reported
    who = subject["subject"].lower()
    if who != "they" and who != speaker:
        return lead + reported  # someone else ("she said he is…")
    said = subject["verb"]
    agreed = _AGREE.get(said.lower(), said) if who != "they" else said
    rest = reported[subject.end() :]
    if who != "they":
        owner = r"\bhis\b" if who == "he" else r"\bher\b(?=\s+[a-z])"
        rest = re.sub(owner, "your", rest)
    return f"{lead}{subject['lead']}you {agreed}{rest}"


def takeaway_as_written(line: str, frame: int | None = None) -> str:
    """The candidate's line used as written, when no rewrite was faithful enough.

    A jotting such as "I'd add: a weekly stand-up" becomes "I'd add a weekly stand-up."
    """
    tidy = without_jotting_colon(tidy_line(line))
    if is_first_person(tidy):
        return tidy
    return _parts(frame).render("takeaway_lead", line=_continued(tidy, line))


# First words after which a line is not an order to the reader ("The…", "If…", "By…").
_NOT_IMPERATIVE = frozenset(
    [
        "a",
        "an",
        "the",
        "this",
        "that",
        "these",
        "those",
        "it",
        "its",
        "there",
        "here",
        "if",
        "when",
        "while",
        "by",
        "for",
        "in",
        "on",
        "at",
        "with",
        "to",
        "from",
        "first",
        "then",
        "after",
        "before",
        "because",
        "so",
        "as",
        "my",
        "our",
        "your",
        "their",
        "his",
        "her",
        "we",
        "you",
        "they",
        "i",
        "one",
        "two",
        "three",
        "some",
        "each",
        "every",
        "no",
        "not",
        "all",
        "most",
    ]
)


def as_my_answer(text: str) -> str:
    """An answer in the candidate's voice: "Replay the events…" → "I would replay the events…"."""
    tidy = tidy_line(text)
    first = tidy.split(" ", 1)[0].lower().strip(",;:")
    if is_first_person(tidy) or not first.isalpha() or first in _NOT_IMPERATIVE:
        return tidy
    if first.endswith(("ing", "ed")) or (first.endswith("s") and not first.endswith("ss")):
        return tidy  # "Tracking…", "Agreed…", "Uses…": not an order
    return "I would " + _lowered_first(tidy)


def repair_as_written(clarification: str, question: str = "", frame: int | None = None) -> str:
    """The candidate's clearer answer, used as written after the repair's lead-in."""
    return repair_sentence(as_my_answer(clarification), question, frame)


def repair_sentence(answer: str, question: str = "", frame: int | None = None) -> str:
    """The repair: a lead-in that ties the answer to the interviewer's question, then it.

    The question is named when it reads as a phrase ("…about how I would forecast headcount
    cost: …"), so the answer's "it" and "them" point at something.
    """
    parts = _parts(frame)
    # A request ("Tell me about a time you…") keeps the plain lead-in: "thought more about about…"
    phrase = indirect_question(question, requests=False) if question else ""
    line = _lowered_first(answer)
    if phrase and "repair_lead_about" in parts.names:
        return parts.render("repair_lead_about", question=phrase, line=line)
    return parts.render("repair_lead", line=line)


def hint(person: Interviewer, frame: int | None = None) -> str:
    """What to add for a stronger note, when the candidate gave no line of their own."""
    if person.takeaways:
        return ""
    topic = person.topics[0] if person.topics else "what you discussed"
    return _parts(frame).render("hint_no_takeaways", topic=_as_running_text(topic))


def assemble(
    interview: Interview,
    person: Interviewer,
    *,
    tone: Tone,
    candidate_name: str,
    position: int,
    sentences: Sequence[str],
    repair: str = "",
    fumbled: str = "",
    frame: int | None = None,
) -> tuple[str, str]:
    """(subject, body): greeting, opening, the candidate's sentences, repair, closing, sign-off."""
    first = opening(interview, person, position, fumbled=fumbled, frame=frame)
    paragraph = " ".join([first, *sentences])
    middle = [paragraph, repair] if repair else [paragraph]
    last = closing(interview, position, names_role=interview.role not in first, frame=frame)
    parts = [greeting(person, tone, frame), *middle, last]
    body = "\n\n".join(p for p in parts if p) + "\n\n" + sign_off(tone, candidate_name, frame)
    return subject(interview, frame), body
