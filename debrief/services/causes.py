"""Cause tags read from a reflection's answers by rules, with the user's words that show each.

The Reflect page asks one question per cause (caught unprepared, work history, rapport, company
knowledge, where the story stalled) and an open "anything else". What the words say decides the
tag, not the box they were typed in (evals/grounded/LABELLING.md, "Cause tags"):

- an answer that says it went fine ("fine", "no", "nothing major", "didn't stall", "I was fine
  explaining the gap") tags nothing; "not really" is a denial except to "how well did you know
  the company?", where it means "little";
- every sentence is read for the words of each cause (a late bus, a broken Teams call, "why
  plumbing", "the gap", "didn't know they had 6 sites", "cold from the start", a typing test,
  nerves, salary); a sentence about a test or task is `other`, never a question that caught
  them out;
- an answer to a cause's own question that describes a problem, but names no other cause, is
  that cause ("yes safeguarding question");
- a stumble whose "what I said" shows the answer failed is a question that caught them out,
  unless the reflection says they had expected or prepared it; a fumbled leaving reason also
  counts as work history;
- an interviewer's manner the candidate puts down to the interviewer ("that's just how she is",
  "he had another meeting"), or that passed ("she warmed up", "laughed it off"), is not rapport;
  a sentence about another interview ("last time") is not this one.

The words that showed each cause are kept, so the diagnosis and the reframe quote the user.
Measured against labelled reflections: `python -m evals diagnosis --split dev|test`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from debrief.records.models import CAUSE_TAGS, CauseTag, Reflection, Stumble

# The reflection field that asks about each cause (logistics and other have none: free text).
FIELD_OF: dict[CauseTag, str] = {
    "unprepared_question": "unprepared_question",
    "work_history": "work_history",
    "rapport": "rapport",
    "company_research": "company_knowledge",
    "narrative": "narrative_stall",
}
TAG_OF_FIELD: dict[str, CauseTag] = {field: tag for tag, field in FIELD_OF.items()}
ANSWER_FIELDS = (
    "unprepared_question",
    "work_history",
    "rapport",
    "company_knowledge",
    "narrative_stall",
    "free_text",
)


@dataclass(frozen=True)
class CauseEvidence:
    """One cause and the user's own words that show it."""

    tag: CauseTag
    field: str  # the reflection field the words come from, or "stumble"
    words: str
    question: str = ""  # the stumble question the cause is about, when there is one
    said: str = ""  # what the user said then (a stumble's what_i_said)
    wish: str = ""  # what they wish they had said (a stumble's what_i_wish)


def _rx(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


_NT = "(?:n'?t|n\u2019t| not)"  # didn't, didnt, did not (and the curly apostrophe)

# The first words of an answer that says "no problem here".
_DENIAL_START = _rx(
    r"^\W*(?:n/?a|none|nothing(?: major| really)?|nope|no|not at all|fine|ok(?:ay)?|good|"
    r"great|all good|solid|excellent|lovely|nice|well)\b(?![- ]?(?:one|question|idea))",
    r"^\W*not (?:that one|the \w+(?: itself)?|an issue|a problem|really(?! used))\b",
    r"^\W*not my \w+ as such\b",
    r"^\W*(?:i was|it was|that was|that went|it went) (?:fine|ok(?:ay)?|good|great)\b",
    # "the gap went well this time!": a short subject, then went/was well, fine, good.
    r"^\W*(?:\w+['\u2019]?\w* ){1,4}(?:went|was) (?:really |very |actually |all )?"
    r"(?:well|fine|ok(?:ay)?|good|great)\b(?! until| but| except)",
    r"^\W*(?:it\s+)?did" + _NT + r" stall\b",
    r"^\W*i do" + _NT + r" think (?:\w+ ){0,3}was the (?:problem|issue)\b",
    r"^\W*not sure (?:\w+ ){0,3}was the (?:problem|issue)\b",
    r"^\W*(?:honestly )?ok considering\b",
)
# "I'd expected it", "I knew it was coming", "I'd prepped every one": not caught out.
_EXPECTED = _rx(
    r"\b(?:i'?d|i had|i) (?:even )?(?:expected|prepped|prepared|practised|practiced|rehearsed)"
    r"\b(?! for (?:everything|every other))",
    r"\bknew it was coming\b",
    r"\bones i expected\b",
    r"\bnot really caught out\b",
    r"\banswered (?:it |that )?(?:ok|okay|fine|well)\b",
    r"\bcame up almost word for word\b",
)

# The words of each cause, read sentence by sentence in every answer.
_CUES: dict[CauseTag, re.Pattern[str]] = {
    "logistics": _rx(
        r"\b\d+\s*(?:mins?|minutes?)\s+late\b",
        r"\b(?:was|were|got there|arrived|running|ran) (?:\w+ )?late\b",
        r"\b(?:bus|train|tube|flight|tram|ferry)\b.{0,25}\b(?:cancel+ed|delayed|late|"
        r"did" + _NT + r" (?:turn up|come|show))",
        r"\b(?:traffic|roadworks|road was shut|was shut|parking)\b",
        r"\bwrong (?:depot|address|building|office|site|entrance|room|link|day|date|time)\b",
        r"\b(?:teams|zoom|video|call|link|wi-?fi|internet|connection|router)\b.{0,30}"
        r"\b(?:drop\w*|fail\w*|cut out|froze|lag\w*|broke|did" + _NT + r" work|rejoin)",
        r"\brejoin\w*\b",
        r"\bphone died\b",
        r"\bgot lost\b|\blost finding\b|\bcould"
        + _NT
        + r" find the (?:building|office|place|site)\b",
        r"\broom was (?:freezing|boiling|cold|hot|noisy)\b",
        r"\b(?:moved|brought) it forward\b",
        r"\b(?:rescheduled|resheduled|schedule changed|moved the time)\b",
        r"\bforgot (?:my|to bring)\b",
        r"\b(?:building work|drilling|noisy|noise)\b",
    ),
    "narrative": _rx(
        r"\bwhy (?:i|i'?m|i'?d) (?:\w+ )?(?:want(?:ed)?|am|was|chose)?\s?(?:to )?"
        r"(?:leave|leaving|move|moving|go|going|switch\w*|chang\w*|get into|join|doing)\b",
        r"\basked (?:me )?why (?!us\b|you\b|did\b|do\b|i\b|so\b|not\b|they\b|we\b)[a-z&-]+",
        r"\bwhy (?:this|the) (?:role|job|career|trade|sector|industry|field|move)\b",
        r"\bwhy i'?m leaving\b",
        r"\bwhere i (?:see myself|'?m heading|am heading|want to be|am going|'?m going)\b",
        r"\btell (?:me|us) about yourself\b",
        r"\b(?:my|the|whole|career) (?:whole )?(?:story|narrative|pitch)\b",
        r"\b(?:join(?:ed)? it up|tie|tying|connect(?:ed)? it)\b",
        r"\bcareer change\b",
        r"\bwent nowhere\b",
        # "why property lit, i said…", "why now. I said…": the why-this question, named first.
        r"^\W*why (?!us\b|you\b|did\b|do\b|i\b|so\b|not\b|they\b|we\b|the\b|he\b|she\b|it\b)"
        r"[a-z&-]+(?: [a-z&-]+)?\s*[,.:;]",
    ),
    "work_history": _rx(
        r"\bgap\b",
        r"\b\d+ (?:years?|months?) (?:off|out)\b",
        r"\byear out\b",
        r"\bout of (?:work|nursing|teaching|the industry)\b",
        r"\bwhy i left\b",
        r"\bleaving reason\b",
        r"\bredundan\w*\b",
        r"\bjob hopping\b",
        r"\blocum\w* jobs\b",
        r"\bdates?\b(?! night)",
        r"\bmixed up which\b",
        r"\bwrong order\b",
        r"\bforgot (?:the|my) \w+ (?:year|job|role|post)\b",
        r"\b(?:19|20)\d\d\b.{0,30}\bbut it was\b",
        r"\bbetween things\b",
        r"\bjob titles?\b",
        r"\bwhy i (?:only )?stayed\b",
        r"\bhow long i\b",
    ),
    "company_research": _rx(
        r"\b(?:did|had|have)" + _NT + r" (?:really )?(?:know|research|read|look)\w*"
        r"(?: (?:up|into|at|about))? (?:what )?"
        r"(?:they|their|them|the company|the firm|much about)\b",
        r"\bnever heard of\b",
        r"\bconfused (?:them|it|the company|the firm)\b",
        r"\bwhy us\b",
        r"\bonly knew\b",
        r"\bnot (?:well enough|much|a lot)\b",
        r"\bhad" + _NT + r" looked\b",
        r"\bno idea what (?:they|the company)\b",
    ),
    "rapport": _rx(
        r"\b(?:was|were|seemed|went|being) (?:a bit |really |very |quite )?"
        r"(?:cold|bored|tense|hostile|dismissive|distant|short|off me)\b",
        r"\bcold from the start\b",
        r"\bdid" + _NT + r" (?:click|connect|warm)\b",
        r"\b(?:cut me off|barely looked up|stopped (?:smiling|making eye contact)|"
        r"glancing at|kept glancing|no rapport|no connection|awkward|defensive|"
        r"got (?:a bit |quite )?(?:tense|short))\b",
        r"^\W*awful\b",
        r"\b(?:kept )?checking (?:his|her|their) phone\b",
        r"\bwas" + _NT + r" worth (?:his|her|their) time\b",
    ),
    "unprepared_question": _rx(
        r"\bblank(?:ed)?\b",
        r"\bfroze\b",
        r"\bdid" + _NT + r" know what to say\b",
        r"\b(?:did" + _NT + r"|had" + _NT + r") (?:have )?anything ready\b",
        r"\bnothing (?:ready|prepared|past)\b",
        r"\bhad nothing\b",
        r"\b(?:did" + _NT + r"|had" + _NT + r") (?:have )?(?:an|any) answer\b",
        r"\bwas" + _NT + r" ready\b",
        r"\bbluff\w*\b",
        r"\bguess(?:ed)?\b",
        r"\bwaffl\w*\b",
        r"\bdid" + _NT + r" expect\b",
        r"\bnever thought about\b",
        r"\bcaught (?:me )?(?:out|off guard)\b",
        r"\bno idea\b",
        r"\bhonestly did" + _NT + r" know\b",
        r"\bexcept\b",
        r"\bcould" + _NT + r" answer\b",
    ),
    "other": _rx(
        r"\b(?:live coding|coding test|sql test|typing test|test car|the test|tests?\b.{0,15}"
        r"pass\w*|trial (?:cook|shift|day)|observed lesson|group exercise|assessment (?:task|day)|"
        r"take-?home|presentation task|role-?play|in-tray|diagnostic|practical)\b",
        r"\b(?:nervous|nerves|shaking|dry mouth|panick\w*|anxious|anxiety)\b",
        r"\bslept \d+ hours?\b|\bfoggy\b|\bmigraine\b|\bexhausted\b|\bunwell\b|\bill\b",
        r"\b(?:salary|what i'?m on|pay rise|happy with less)\b",
        r"\bwanted someone who\b|\bthey need\b|\brequirement\b|\bdon'?t have the\b",
        r"\bsplit my\b|\bran out of time\b|\bburnt\b|\bburned\b",
    ),
}
# Rapport trouble the candidate puts down to the interviewer, or that passed.
_RAPPORT_EXCUSED = _rx(
    r"\bjust how (?:she|he|they) (?:is|are)\b",
    r"\b(?:the same|like that) with (?:everyone|the \w+ before me|everybody)\b",
    r"\bhad another meeting\b",
    r"\bwarmed up\b",
    r"\blaughed it off\b",
    r"\bpatient\b",
    r"\bunderstandably\b",
    r"\bthat'?s just (?:him|her|them|how)\b",
    r"\bhad something (?:else )?going on\b",
    r"\b(?:said|was) the same\b",
    r"\bexactly the same with\b",
    r"\bdon'?t think it was (?:anything|me)\b",
    r"\bapologi[sz]ed\b",
)
# A sentence about another interview.
_ANOTHER_INTERVIEW = _rx(
    r"(?<!the )\blast time\b", r"\bprevious interview\b", r"\bat my last interview\b"
)
# A stumble's "what I said" that shows the answer failed (rule 6), or read as a fair one.
_FAILED_ANSWER = _rx(
    r"\bblank\w*\b",
    r"\bbluff\w*\b",
    r"\bguess\w*\b",
    r"\bwaffl\w*\b",
    r"\brambl\w*\b",
    r"\bfroze\b",
    r"\bwent quiet\b",
    r"\bnothing specific\b",
    r"\bnever got to\b",
    r"\bmixed up\b",
    r"\band stopped\b",
    r"\bforgot\b",
    r"\bvague\b",
    r"\bmessy\b",
    r"\bwrong\b",
    r"\bdid" + _NT + r"\b",
    r"\bno idea\b",
    r"\bweak\b",
    r"\bsomething about\b",
    r"\blisted\b",
)
_FAIR_ANSWER = _rx(r"\banswered (?:it |that )?(?:ok|okay|fine|well)\b")
_LEAVING_QUESTION = _rx(
    r"\bwhy did you (?:leave|only stay|stay|quit)\b", r"\bwhy (?:did you )?leave\b", r"\bgap\b"
)
_CAREER_QUESTION = _rx(r"\bwhy (?:this|do you want|are you leaving)\b", r"\babout yourself\b")

_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")


def sentences(text: str) -> list[str]:
    """The sentences of an answer, stripped, in order."""
    return [s.strip() for s in _SENTENCE.split(text) if s.strip()]


def _is_denial(field: str, answer: str) -> bool:
    """Does the answer start by saying this went fine? ("not really" to the company question
    means the candidate knew little, rule 4 of the labelling guide)."""
    if field == "company_knowledge" and re.match(r"^\W*not really\b", answer, re.IGNORECASE):
        return False
    if field == "unprepared_question" and _EXPECTED.search(answer):
        return True
    if field == "company_knowledge" and re.match(r"^\W*yes\b", answer, re.IGNORECASE):
        return True
    return bool(_DENIAL_START.match(answer))


def _cues(sentence: str) -> set[CauseTag]:
    """The causes one sentence names in so many words."""
    tags = {tag for tag, pattern in _CUES.items() if pattern.search(sentence)}
    if "other" in tags and "unprepared_question" in tags:
        tags.discard("unprepared_question")  # froze in a test or from nerves: rules 9 and 10
    if "rapport" in tags and _RAPPORT_EXCUSED.search(sentence):
        tags.discard("rapport")
    return tags


def _with_next(said: list[str], n: int) -> str:
    """A sentence and the one after it: "bus didn't turn up. got there 15 min late"."""
    return " ".join(said[n : n + 2])


def _read_field(field: str, answer: str) -> list[tuple[CauseTag, str]]:
    """The causes one answer shows, each with the sentence that shows it (and the next)."""
    answer = answer.strip()
    if not answer:
        return []
    said = sentences(answer)
    denied = _is_denial(field, answer)
    found: list[tuple[CauseTag, str]] = []
    for n, sentence in enumerate(said):
        if _ANOTHER_INTERVIEW.search(sentence):
            continue
        if n == 0 and denied:
            # "no, I knew it was coming" / "not the history itself, that was fine": the rest of
            # the answer may still name another cause, the first sentence names none.
            continue
        for tag in sorted(_cues(sentence), key=CAUSE_TAGS.index):
            found.append((tag, _with_next(said, n)))
    own = TAG_OF_FIELD.get(field)
    if own is None or denied:
        return found
    if own == "rapport":
        if any(tag == "rapport" for tag, _ in found):
            return found
        excused = _RAPPORT_EXCUSED.search(answer)
        bad = re.search(r"\b(?:bad|awful|terrible|poor|cold|tense|rude|clash)", answer, re.I)
        return found + ([("rapport", said[0])] if bad and not excused else [])
    if own == "company_research":
        low = re.match(
            r"^\W*(?:not really|badly|poor|little|barely|no)\b", answer, re.I
        ) or re.search(
            r"\b(?:mixed up|confused|wrong|never heard|not well|had"
            + _NT
            + "|did"
            + _NT
            + "|only looked)",
            answer,
            re.I,
        )
        if low and not any(tag == own for tag, _ in found):
            found.append((own, said[0]))
        return found
    # The answer to "which question / where" names a problem: it is that cause, unless every
    # sentence names another one instead ("live cable" written under work history).
    if not found:
        found.append((own, said[0]))
    return found


def find_causes(reflection: Reflection, stumbles: Sequence[Stumble] = ()) -> list[CauseEvidence]:
    """Every cause the answers and stumbles show, in the fixed order of CAUSE_TAGS."""
    found: dict[CauseTag, CauseEvidence] = {}
    for field in ANSWER_FIELDS:
        for tag, sentence in _read_field(field, getattr(reflection, field)):
            # The cause's own answer is the best evidence; otherwise the first sentence found.
            if FIELD_OF.get(tag) == field:
                # The answer to the cause's own question: all of it is about this cause.
                found[tag] = CauseEvidence(tag, field, getattr(reflection, field).strip())
            elif tag not in found:
                found[tag] = CauseEvidence(tag, field, sentence)
    said_ready = bool(_EXPECTED.search(reflection.unprepared_question)) or _is_denial(
        "unprepared_question", reflection.unprepared_question.strip() or "x"
    )
    if said_ready:
        found.pop("unprepared_question", None)
    failed = [s for s in stumbles if _FAILED_ANSWER.search(s.what_i_said)]
    failed = [s for s in failed if not _FAIR_ANSWER.search(s.what_i_said)]
    if failed and not said_ready:
        first = failed[0]
        if "unprepared_question" not in found:
            found["unprepared_question"] = CauseEvidence(
                "unprepared_question", "stumble", first.what_i_said
            )
        for stumble in failed:
            if _LEAVING_QUESTION.search(stumble.question) and "work_history" not in found:
                found["work_history"] = CauseEvidence(
                    "work_history", "stumble", stumble.what_i_said
                )
            if _CAREER_QUESTION.search(stumble.question) and "narrative" not in found:
                found["narrative"] = CauseEvidence("narrative", "stumble", stumble.what_i_said)
    if "unprepared_question" in found:
        found["unprepared_question"] = _with_stumble(found["unprepared_question"], stumbles)
    return [found[tag] for tag in CAUSE_TAGS if tag in found]


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if len(w) > 3}


def _with_stumble(evidence: CauseEvidence, stumbles: Sequence[Stumble]) -> CauseEvidence:
    """Attach the stumble the unprepared-question words are about (or the first one)."""
    if not stumbles:
        return evidence
    said = _words(evidence.words)
    best = max(stumbles, key=lambda s: len(said & _words(f"{s.question} {s.what_i_said}")))
    return CauseEvidence(
        evidence.tag,
        evidence.field,
        evidence.words,
        question=best.question,
        said=best.what_i_said,
        wish=best.what_i_wish,
    )


def evidence_for(
    tag: CauseTag, reflection: Reflection, stumbles: Sequence[Stumble] = ()
) -> CauseEvidence | None:
    """The user's words about one cause (e.g. a cause they ticked themselves), if any."""
    for evidence in find_causes(reflection, stumbles):
        if evidence.tag == tag:
            return evidence
    field = FIELD_OF.get(tag)
    answer = getattr(reflection, field).strip() if field else ""
    if answer and not _is_denial(field or "", answer):
        return CauseEvidence(tag, field or "", sentences(answer)[0])
    if tag == "unprepared_question" and stumbles:
        first = stumbles[0]
        return CauseEvidence(
            tag,
            "stumble",
            first.what_i_said or first.question,
            first.question,
            first.what_i_said,
            first.what_i_wish,
        )
    return None


def answered_fine(reflection: Reflection) -> list[tuple[str, str]]:
    """(field, answer) of the cause questions the user said went fine, in their words."""
    fine = []
    for field in FIELD_OF.values():
        answer = getattr(reflection, field).strip()
        if re.fullmatch(r"\W*(?:n/?a|-+|\?+)\W*", answer, re.IGNORECASE):
            continue  # "n/a" is no answer, not "it went fine"
        if answer and _is_denial(field, answer) and not _read_field(field, answer):
            fine.append((field, answer))
    return fine


# "the gap went well this time!", "the recruitment one I nailed", "less nervous this time":
# a sentence saying something went well or better (not "didn't go well").
_WENT_WELL = _rx(
    r"\b(?:went|goes|go|going)\s+(?:really\s+|much\s+|a\s+lot\s+|so\s+|loads\s+|way\s+|far\s+)?"
    r"(?:well|better|fine|ok(?:ay)?)\b(?!\s+until|\s+but|\s+except)",
    r"\b(?:was|were)\s+(?:fine|ok(?:ay)?|better)\s+this\s+time\b",
    r"\bnailed\b",
    r"\b(?:properly|right)\s+this\s+time\b",
    r"\bless\s+nervous\b",
    r"\bhad\s+it\s+ready\b",
    r"\bclean\s+answer\b",
    r"\b(?:he|she|they)\s+(?:seemed\s+to\s+)?liked?\s+(?:that|it)\b",
)
_NEGATED = _rx(r"\b(?:not|never|didn'?t|didn\u2019t|wasn'?t|wasn\u2019t)\s+(?:\w+\s+){0,2}$")
# "they didn't even ask about the gap": the cause's subject never came up.
_NEVER_CAME_UP = _rx(
    r"\b(?:did" + _NT + r"|never)\s+(?:even\s+)?(?:ask|asked|come\s+up|came\s+up)\b",
    r"\bwas" + _NT + r"\s+asked\b",
)


# "the leaving bit was fine", "Greg was a bit distant, but Elena and I got on really well".
_FINE = _rx(
    r"\b(?:was|were|is)\s+(?:all\s+)?(?:fine|ok(?:ay)?|good|great)\b",
    r"\bbut\b.*\b(?:got\s+on|well|great|fine|lovely|on\s+time|settled|sorted|made\s+it)\b",
    r"\bas\s+planned\b",
    # "a bit nervous at the start, then fine"
    r"\bthen\s+(?:it\s+)?(?:settled|(?:was\s+)?fine|(?:was\s+)?ok(?:ay)?)\b",
    r"\b(?:was|were)\s+(?:easy|straightforward)\b",
)


# Words that say something went wrong, for an answer that names no cause in so many words
# ("sounds dodgy", "hadn't a clue", "basically saying I'll leave them").
_TROUBLE = _rx(
    r"\b(?:did|had|could|was|were|do|does|is)" + _NT + r"\b",
    r"\b(?:never|no idea|clue|wrong|badly|bad|awful|terrible|dodgy|muddled|messed|mixed up"
    r"|stumbled|rambled|panick\w*|forgot|worried|embarrass\w*|basically saying|sounded like"
    r"|sounds like|barely|weak|poor)\b",
)


def went_well(text: str, *, reason: bool = False) -> list[str]:
    """The sentences of an answer that say something went well or better, in order; with
    `reason`, each with the sentence after it ("the gap went well this time! I said I cared for
    mum…"), unless that one says something went well too."""
    said = sentences(text)
    kept = []
    for n, sentence in enumerate(said):
        match = _WENT_WELL.search(sentence)
        if not match or _NEGATED.search(sentence[: match.start()]):
            continue
        after = said[n + 1] if reason and n + 1 < len(said) else ""
        kept.append(f"{sentence} {after}" if after and not _WENT_WELL.search(after) else sentence)
    return kept


def sentence_causes(sentence: str) -> set[CauseTag]:
    """The causes one sentence names in so many words ("bus was late": logistics)."""
    return _cues(sentence)


def forgotten(reflection: Reflection, stumbles: Sequence[Stumble] = ()) -> list[CauseEvidence]:
    """Causes the user's words show but they did not tick ("barely knew them" under company
    knowledge, "nerves got me" or "I also muddled my dates" in the free text), read only in the
    cause's own answer or the free text, never from a sentence that says it went well or never
    came up: a forgotten tick is quoted as the user's words, so a doubtful one is left out."""
    found = []
    for evidence in find_causes(reflection, stumbles):
        if evidence.tag in reflection.cause_tags:
            continue
        own = FIELD_OF.get(evidence.tag, "free_text")
        if evidence.field not in (own, "free_text"):  # the free text may name any cause
            continue
        first = sentences(evidence.words)[0] if evidence.words.strip() else ""
        if not first or went_well(first) or _NEVER_CAME_UP.search(first):
            continue
        if _FINE.search(first) or _cues(first) & set(reflection.cause_tags):
            continue  # "the leaving bit was fine"; words already quoted for a ticked cause
        if not _cues(evidence.words) and not _TROUBLE.search(evidence.words):
            continue  # "Sentinel as contract loss, straight to Castle Retail": nothing went wrong
        found.append(evidence)
    return found


# -- the user's words, quoted or turned to the second person ---------------------------------

# Causes the candidate can work on come before luck on the day, when nothing else decides.
IMPORTANCE: tuple[CauseTag, ...] = (
    "unprepared_question",
    "narrative",
    "work_history",
    "company_research",
    "rapport",
    "other",
    "logistics",
)


def most_important(
    causes: Sequence[CauseEvidence], earlier: Mapping[str, int] | None = None
) -> CauseEvidence | None:
    """The cause to name first: one that recurs in earlier interviews, then IMPORTANCE order."""
    if not causes:
        return None
    seen = earlier or {}
    return min(causes, key=lambda e: (-seen.get(e.tag, 0), IMPORTANCE.index(e.tag)))


def short_quote(text: str, max_words: int = 30) -> str:
    """The user's words to quote: whole sentences up to about max_words, without the final
    full stop (the frame puts its own punctuation after the closing quote)."""
    kept: list[str] = []
    for sentence in sentences(text):
        words = sentence.split()
        if not kept and len(words) > max_words:
            return " ".join(words[: max_words - 5]).rstrip(",;:") + "…"
        if kept and len(" ".join(kept).split()) + len(words) > max_words:
            break
        kept.append(sentence)
    return " ".join(kept).rstrip(" .,;:")


_SECOND_PERSON = {
    "i": "you",
    "i'm": "you're",
    "i'd": "you'd",
    "i've": "you've",
    "i'll": "you'll",
    "me": "you",
    "my": "your",
    "mine": "yours",
    "myself": "yourself",
}
_AFTER_I = {"was": "were", "wasn't": "weren't", "am": "are"}
# "I'd", "I'm", "I've" typed without the apostrophe (or a lower-case "i"): left as typed they
# would stay first person in a sentence turned to "you".
_UNMARKED_I = frozenset({"id", "im", "ive"})


def _unmarked_i(word: str) -> bool:
    return word == "i" or word.lower() in _UNMARKED_I


_STARTS_WITH_A_VERB = re.compile(
    r"^(?:said|froze|went|gave|got|forgot|talked|listed|mixed|used|blanked|bluffed|rambled|"
    r"guessed|waffled|lost|made|took|told|spoke|answered|named|stopped|started|tried|"
    r"panicked|admitted|explained|described|mentioned|drew|kept)\b",
    re.IGNORECASE,
)


def in_second_person(text: str) -> str | None:
    """ "I said the manager and I did not get on" → "you said the manager and you did not get
    on"; None when the words are not one short first-person sentence (then quote them)."""
    said = sentences(text)
    if len(said) != 1 or re.search(
        '["\u201c\u201d\u2018]|\\b(?:we|our|us)\\b', said[0], re.IGNORECASE
    ):
        return None
    words = said[0].rstrip(" .!").split()
    if not words or len(words) > 25:
        return None
    if any(_unmarked_i(w.rstrip(",;:")) for w in words):
        return None  # "said id cover it myself": "you said id cover it yourself" mixes voices
    if _STARTS_WITH_A_VERB.match(words[0]):
        words = ["you", words[0].lower(), *words[1:]]
    elif words[0] != "I" or len(words) < 2:
        return None  # "I'd shout at them" is what they said, not what they did: quote it
    elif not (_STARTS_WITH_A_VERB.match(words[1]) or re.match(r"^[a-z]+ed\b", words[1])):
        return None
    out: list[str] = []
    for word in words:
        core = word.rstrip(",;:")
        tail = word[len(core) :]
        key = core.lower().replace("\u2019", "'")
        if out and out[-1] == "you" and key in _AFTER_I:
            out.append(_AFTER_I[key] + tail)
        elif key in _SECOND_PERSON and (core[0] == "I" or key not in {"i", "i'm", "i'd"}):
            out.append(_SECOND_PERSON[key] + tail)
        else:
            out.append(word)
    return " ".join(out)
