"""What stops a reframe from being read as it is (evals/LABELLING.md, "Reframes").

A reframe speaks to the candidate as "you", about the candidate; names one thing that went well
and one fixable thing from their records; promises nothing; is no letter to the company; and says
nothing the records do not. `find_reframe_defects` finds each class by rules, measured against
labelled reframes (`evals/grounded/reframes/`, tests/evals/test_reframe_detector.py);
`piece_problems` checks one model-phrased sentence against the code's sentence it replaces.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

REFRAME_DEFECTS = (
    "letter_form",
    "wrong_person",
    "false_reassurance",
    "unsupported_claim",
    "generic",
    "broken_text",
    "missing_pair",
)


@dataclass(frozen=True)
class ReframeDefect:
    key: str
    span: str


def _rx(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE | re.MULTILINE)


_QUOTED = re.compile('\u201c[^\u201d]*\u201d|"[^"]*"')
_LETTER = _rx(
    r"^\s*(?:dear|hi|hello|hey)\b[^\n.!?]{0,40}[,!]",
    r"\bthank you (?:for|so much|again)\b",
    r"\bthanks for\b",
    r"\b(?:best|kind|warm) regards\b",
    r"\b(?:yours )?sincerely\b",
    r"\blook(?:ing)? forward to (?:hearing|seeing you|the next|your next|working|our)\b",
    r"\bi (?:will|would|'ll) (?:also )?(?:ensure|follow up|be in touch|make sure|reach out)\b",
    r"\bexcited about the opportunity\b",
    r"\bthe opportunity to (?:interview|discuss|meet|apply|work with)\b",
    r"\bi appreciate (?:your|the)\b",
    r"\b(?:i was|i am|i'm) (?:not )?(?:impressed|disappointed|pleased to (?:offer|inform))\b",
    r"\bour (?:team|company|collaboration|organi[sz]ation)\b",
    r"\[your name\]",
)
# "I" as the writer of a note ("I'm sorry to hear", "I would suggest") is the chat voice, not
# the candidate; any other first person tells the candidate's story as theirs ("I arrived late").
_NARRATOR = re.compile(
    r"\b(?:ask|tell|contact) me\b|"
    r"\bI(?:'m| am| would| can| must| hope| understand| appreciate| think| believe| know|"
    r"'d| could| cannot| can't| was not impressed| am disappointed| look| see| suggest)\b"
)
_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I've|I'd|I'll|me|my|myself|mine)\b")
_THIRD_PERSON = _rx(
    r"\bthe (?:candidate|applicant|interviewee|user|job seeker)\b",
    r"\b(?:he|she) (?:was|did|felt|should|could|has|had|is)\b",
)
_REASSURANCE = _rx(
    r"\bdefinitely\b",
    r"\byou(?:'ll| will) (?:get|land|ace|nail|find|succeed|do great|be fine)\b",
    r"\b(?:wasn't|was not|isn't|is not|not) your fault\b",
    r"\bnothing to worry\b",
    r"\bdon'?t worry\b",
    r"\byou(?:'ve| have) got this\b",
    r"\bsure to\b|\bbound to\b|\bguarantee\w*\b|\bno doubt\b",
    r"\beverything happens for a reason\b",
    r"\b(?:amazing|incredible|fantastic|rockstar|superstar|brilliant)\b",
    r"\bit(?:'s| is) (?:ok|okay|fine) to\b",
    r"\bperfect(?:ly)?\b",
)
_GENERIC = _rx(
    r"\bit(?:'s| is) (?:always )?(?:important|a good idea|essential|crucial) to\b",
    r"\bremember(?:,)? (?:that|the)\b",
    r"\beveryone has\b",
    r"\byou can also\b",
    r"\bi would suggest\b",
    r"\b(?:seek|ask for) feedback\b",
    r"^\s*\d+\.\s+\w",
    r"\bconfidence is key\b",
)
_BROKEN = _rx(r"</?[a-z_]+>", r"\{[a-z_]+\}")
_WELL = _rx(
    r"\bwent well\b",
    r"\bheld up\b",
    r"\breached\b|\bgot (?:an interview|to the)\b",
    r"\bdid not name it this time\b|\bnot (?:this|in this) (?:time|one)\b",
    r"\babove your\b|\bup from\b|\bhigher than\b",
    r"\balready done\b|\bdone so far\b",
    r"\byou noted\b|\bwas not a problem\b",
    r"\b(?:commendable|impressive|a strength)\b",
)
_FIX = _rx(
    r"\bwork on\b",
    r"\bto fix\b|\bfixable\b",
    r"\bnext time\b",
    r"\b(?:better|clear) answer\b",
    r"\bfocus on improving\b",
    r"\bnothing to fix\b|\bdid not name anything\b",
)
_CAPITALISED = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-zA-Z]+(?:\s+[A-Z][a-zA-Z]+)*")
_NUMBER = re.compile(r"\b\d[\d,.%/]*\b")
_OUTCOME = _rx(
    r"\b(?:were|was|weren't|wasn't|not|been) (?:selected|shortlisted|hired|rejected)\b",
    r"\b(?:job offer|offered you|got the job|didn'?t get the job|the job is yours)\b",
)


def _unquoted(text: str) -> str:
    return _QUOTED.sub(" ", text)


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?”])\s+", text.strip()) if s.strip()]


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower())


def unsupported(text: str, facts: Sequence[str]) -> list[str]:
    """Names and numbers in the text that no fact holds, and outcome claims the facts lack."""
    known = _norm(" ".join(facts))
    spans: list[str] = []
    plain = _unquoted(text)
    for sentence in _sentences(plain):
        for match in _CAPITALISED.finditer(sentence):
            if match.start() == 0:
                continue
            word = match.group(0)
            if word in {"I", "You", "Your"} or _norm(word).strip() in known:
                continue
            spans.append(word)
        tokens = set(known.split())
        for match in _NUMBER.finditer(sentence):
            if re.fullmatch(r"\d\.", sentence.strip()) or re.match(r"\d\.\s", sentence):
                continue  # a list's item number
            if any(part not in tokens for part in _norm(match.group(0)).split()):
                spans.append(match.group(0))
        outcome = _OUTCOME.search(sentence)
        if outcome and _norm(outcome.group(0)).strip() not in known:
            spans.append(outcome.group(0))
    return spans


def find_reframe_defects(text: str, facts: Sequence[str]) -> list[ReframeDefect]:
    """Every defect class found in one reframe, with a span that shows it."""
    found: list[ReframeDefect] = []
    plain = _unquoted(text)
    if letter := _LETTER.search(plain):
        found.append(ReframeDefect("letter_form", letter.group(0).strip()))
    person = _FIRST_PERSON.search(_NARRATOR.sub(" ", plain)) or _THIRD_PERSON.search(plain)
    if person or not re.search(r"\byou(?:r|'re|'ve|'ll)?\b", plain, re.IGNORECASE):
        found.append(ReframeDefect("wrong_person", person.group(0) if person else text[:40]))
    if reassurance := _REASSURANCE.search(plain):
        found.append(ReframeDefect("false_reassurance", reassurance.group(0)))
    if spans := unsupported(text, facts):
        found.append(ReframeDefect("unsupported_claim", spans[0]))
    if generic := _GENERIC.search(plain):
        found.append(ReframeDefect("generic", generic.group(0)))
    stripped = text.rstrip()
    if broken := _BROKEN.search(text):
        found.append(ReframeDefect("broken_text", broken.group(0)))
    elif stripped and stripped[-1] not in ".!?\u201d\"')":
        found.append(ReframeDefect("broken_text", stripped[-30:]))
    if not (_WELL.search(plain) and _FIX.search(plain)):
        found.append(ReframeDefect("missing_pair", ""))
    return found


_STOP = frozenset(
    re.findall(
        r"\S+",
        "the a an and or but of to in on at for with about as is was were be been you your "
        "it this that there their they them i my me we our not no so then than from by into "
        "what which who one thing have has had did do does",
    )
)


def content_words(text: str) -> set[str]:
    return {w for w in _norm(text).split() if w not in _STOP and len(w) > 2}


def piece_problems(piece: str, template: str) -> list[str]:
    """Why a model-phrased sentence may not replace the code's sentence (empty: it may)."""
    problems: list[str] = []
    if not piece.strip() or len(_sentences(piece)) > 2:
        problems.append("not one sentence")
    if len(piece.split()) > 1.6 * len(template.split()) + 4:
        problems.append("longer than the fact")
    kept = content_words(template)
    if kept and len(kept & content_words(piece)) / len(kept) < 0.6:
        problems.append("drops the fact's words")
    for defect in find_reframe_defects(piece, [template]):
        if defect.key != "missing_pair":
            problems.append(defect.key)
    return problems
