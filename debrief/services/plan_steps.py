"""The plan's steps, written by code from the user's records: no model, so nothing invented.

Each cause the user kept gets a step from a template in `prompts/action_plan_parts`, filled with
their own specifics (the question they stumbled on, the interviewers' names and topics, the
company and role, where their story stalled). A reader's standard for a step: one action in plain
words, a "done when" that can be observed, a cause the user kept, no duplicates.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from debrief.checks.text import content_stems
from debrief.records.models import CAUSE_TAGS, CauseTag, InterviewFormat
from debrief.services.causes import sentences
from debrief.text_safety import without_instructions
from prompts import PromptParts, load_parts

MIN_STEPS = 3
MAX_STEPS = 7
MAX_EXTRA_STUMBLES = 2  # fumbled questions beyond the first, each its own step
MAX_PEOPLE = 4  # interviewers named in one step
_QUOTE_CHARS = 200
_TOPIC_CHARS = 50
# Causes whose steps leave the user with answers to rehearse in a mock run.
_ANSWER_CAUSES: tuple[CauseTag, ...] = (
    "unprepared_question",
    "narrative",
    "work_history",
    "company_research",
)


@dataclass(frozen=True)
class StumbleFacts:
    question: str
    what_i_wish: str = ""


@dataclass(frozen=True)
class PersonFacts:
    name: str
    topics: tuple[str, ...] = ()
    title: str = ""


@dataclass(frozen=True)
class PlanFacts:
    """What the plan is built from: the records of one interview and its reflection."""

    company: str
    role: str
    format: InterviewFormat
    kept: tuple[CauseTag, ...]  # the causes the user kept, in their order
    stumbles: tuple[StumbleFacts, ...] = ()
    people: tuple[PersonFacts, ...] = ()
    unprepared_question: str = ""
    work_history: str = ""
    narrative_stall: str = ""
    free_text: str = ""


@dataclass(frozen=True)
class StepText:
    """One undated step."""

    action: str
    done_when: str
    cause: CauseTag


@dataclass
class _Steps:
    """Steps in priority order, skipping any whose action repeats an earlier one."""

    items: list[StepText] = field(default_factory=list)

    def add(self, step: StepText | None) -> None:
        if step is None or len(self.items) >= MAX_STEPS:
            return
        if _key(step.action) not in {_key(s.action) for s in self.items}:
            self.items.append(step)


def _key(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def quoted(text: str, limit: int = _QUOTE_CHARS, *, sentence: bool = True) -> str:
    """The user's text fit to quote inside a step: no planted instruction, one line, its first
    sentence (unless `sentence` is False, as for a name: "Dr. Rao"), cut at a word near `limit`
    characters."""
    safe, _ = without_instructions(text)
    line = " ".join(safe.split())
    if not line:
        return ""
    first = re.split(r"(?<=[.!?])\s+(?=[A-Z“\"'])", line, maxsplit=1)[0] if sentence else line
    first = first.rstrip(" .;:,") if sentence else first
    if len(first) > limit:
        cut = first[:limit].rsplit(" ", 1)[0].rstrip(" ,;:-")
        first = f"{cut}…"
    return first


def cause_name(cause: str, parts: PromptParts | None = None) -> str:
    """A cause as the user reads it ("A question caught you out"), never its tag."""
    parts = parts or load_parts("action_plan_parts")
    if cause not in CAUSE_TAGS:
        return cause.replace("_", " ").capitalize()
    return parts.render(f"cause_{cause}")


def draft_steps(facts: PlanFacts) -> list[StepText]:
    """3-7 undated steps, most important first, each for a cause the user kept."""
    parts = load_parts("action_plan_parts")
    kept = facts.kept or ("other",)
    writer = _Writer(parts, facts)
    steps = _Steps()
    for cause in kept:  # one step per kept cause first
        steps.add(writer.primary(cause))
    if "unprepared_question" in kept:  # the user's other fumbled questions next
        for stumble in writer.stumbles[1 : 1 + MAX_EXTRA_STUMBLES]:
            steps.add(writer.answer(stumble))
    for cause in kept:
        if len(steps.items) >= MIN_STEPS:
            break
        steps.add(writer.secondary(cause))
    rehearse = next((c for c in kept if c in _ANSWER_CAUSES), None)
    if rehearse is not None:
        steps.add(writer.simple("mock_run", rehearse))
    elif "logistics" in kept:
        steps.add(writer.simple("rehearsal", "logistics"))
    for fallback, cause in (("likely_questions", kept[0]), ("mock_run", kept[0])):
        if len(steps.items) >= MIN_STEPS:
            break
        steps.add(writer.simple(fallback, cause))
    # A mock run rehearses the answers the other steps write: it comes (and is due) last.
    mock = writer.simple("mock_run", kept[0]).action
    return sorted(steps.items, key=lambda step: step.action == mock)


class _Writer:
    """Fills the templates with one interview's facts."""

    def __init__(self, parts: PromptParts, facts: PlanFacts) -> None:
        self._parts = parts
        self._facts = facts
        seen: set[str] = set()
        stumbles: list[StumbleFacts] = []
        for stumble in facts.stumbles:
            question = quoted(stumble.question)
            if question and _key(question) not in seen:
                seen.add(_key(question))
                stumbles.append(StumbleFacts(question, quoted(stumble.what_i_wish)))
        self.stumbles = tuple(stumbles)
        self.people = tuple(
            PersonFacts(name, person.topics, person.title)
            for person in facts.people
            if (name := quoted(person.name, sentence=False))
        )[:MAX_PEOPLE]

    def _render(self, part: str, **values: str) -> str:
        return self._parts.render(part, **values)

    def _filled(self, part: str, **values: str) -> str:
        """The part with those of `values` it names (a template need not use them all)."""
        wanted = self._parts.variables_of(part)
        return self._render(part, **{k: v for k, v in values.items() if k in wanted})

    def simple(self, name: str, cause: CauseTag) -> StepText:
        return StepText(
            self._filled(f"{name}_action", role=self._facts.role, company=self._facts.company),
            self._render(f"{name}_done"),
            cause,
        )

    def answer(self, stumble: StumbleFacts) -> StepText:
        if stumble.what_i_wish:
            action = self._render(
                "answer_question_with_wish_action",
                question=stumble.question,
                wish=stumble.what_i_wish,
            )
        else:
            action = self._render("answer_question_action", question=stumble.question)
        return StepText(action, self._render("answer_question_done"), "unprepared_question")

    def _questions(self, count: int) -> str:
        return self._render("one_question" if count == 1 else "questions", count=str(count))

    def _people_list(self, with_topics: bool) -> str:
        if not with_topics:
            return _joined([p.name for p in self.people])
        listed = []
        for person in self.people:
            topic = next((quoted(t, _TOPIC_CHARS) for t in person.topics if quoted(t)), "")
            topic = topic or quoted(person.title, _TOPIC_CHARS)
            listed.append(
                self._render("person_topic", name=person.name, topic=topic)
                if topic
                else person.name
            )
        return "; ".join(listed)

    def primary(self, cause: CauseTag) -> StepText | None:
        facts = self._facts
        if cause == "unprepared_question":
            if self.stumbles:
                return self.answer(self.stumbles[0])
            described = quoted(facts.unprepared_question)
            if described:
                return StepText(
                    self._render("answer_described_action", text=described),
                    self._render("answer_question_done"),
                    cause,
                )
            return self.simple("likely_questions", cause)
        if cause == "work_history":
            where = quoted(facts.work_history)
            action = (
                self._render("timeline_with_text_action", text=where)
                if where
                else self._render("timeline_action")
            )
            return StepText(action, self._render("timeline_done"), cause)
        if cause == "company_research":
            if self.people:
                return StepText(
                    self._render(
                        "research_person_action"
                        if len(self.people) == 1
                        else "research_people_action",
                        company=facts.company,
                        role=facts.role,
                        people=self._people_list(with_topics=False),
                    ),
                    self._render("research_people_done", count=self._questions(len(self.people))),
                    cause,
                )
            return self.simple("research", cause)
        if cause == "narrative":
            stall = quoted(facts.narrative_stall)
            if stall and self._answered_elsewhere(stall):
                stall = ""  # its question has a 60-second answer step of its own
            if stall:
                action = self._render(
                    "background_with_stall_action",
                    stall=stall,
                    role=facts.role,
                    company=facts.company,
                )
            else:
                action = self._render("background_action", role=facts.role, company=facts.company)
            return StepText(action, self._render("background_done"), cause)
        if cause == "rapport":
            if self.people:
                return StepText(
                    self._render("rapport_people_action", people=self._people_list(True)),
                    self._render(
                        "rapport_people_done", count=self._questions(2 * len(self.people))
                    ),
                    cause,
                )
            return self.simple("rapport", cause)
        if cause == "logistics":
            return self._logistics()
        noted = quoted(self._other_words())
        if noted and _NOT_KNOWN.search(noted):
            noted = ""  # "honestly I don't know what went wrong" names nothing to change
        if noted and self._answered_elsewhere(noted, at_least=1):
            return None  # "undercut myself on salary": the salary question's step covers it
        if noted:
            return StepText(
                self._render("other_with_text_action", text=noted),
                self._render("other_done"),
                cause,
            )
        return self.simple("other", cause)

    def _other_words(self) -> str:
        """The free text about "something else": without its sentences about the day's
        logistics when those have a step of their own."""
        text = self._facts.free_text
        if "logistics" not in self._facts.kept:
            return text
        rest = [s for s in sentences(text) if not _LOGISTICS_WORDS.search(s)]
        return " ".join(rest) or text

    def _logistics(self) -> StepText:
        """What went wrong on the day decides the step (a late train: the journey; a forgotten
        ID: a checklist; a frozen camera: the equipment); else the interview's format."""
        facts = self._facts
        said = next((s for s in sentences(facts.free_text) if _LOGISTICS_WORDS.search(s)), "")
        for kind, words in _LOGISTICS_KINDS:
            if said and words.search(said):
                return StepText(
                    self._filled(f"{kind}_action", company=facts.company, text=quoted(said)),
                    self._render(f"{kind}_done"),
                    "logistics",
                )
        kind = {
            InterviewFormat.VIDEO: "logistics_video",
            InterviewFormat.PHONE: "logistics_phone",
            InterviewFormat.ONSITE: "logistics_onsite",
        }[facts.format]
        return self.simple(kind, "logistics")

    def _answered_elsewhere(self, text: str, at_least: int = 2) -> bool:
        """Is what `text` is about a question a stumble's answer step already covers? ("why
        electrics" beside “Why electrical, and why now at 27?”: word stems, so electrics and
        electrical meet; a short text needs as many shared stems as it has.)"""
        if not self.stumbles or "unprepared_question" not in self._facts.kept:
            return False
        stems = content_stems(next(iter(sentences(text)), ""))
        need = max(1, min(at_least, len(stems)))
        return any(
            len(stems & content_stems(s.question)) >= need
            for s in self.stumbles[: 1 + MAX_EXTRA_STUMBLES]
        )

    def secondary(self, cause: CauseTag) -> StepText | None:
        name = {
            "unprepared_question": "likely_questions",
            "work_history": "moves",
            "company_research": "why_company",
            "narrative": "results",
            "rapport": "next_people",
            "logistics": "calendar",
        }.get(cause)
        return self.simple(name, cause) if name else None


_NOT_KNOWN = re.compile(
    r"\b(?:don['\u2019]?t|do not|didn['\u2019]?t)\s+(?:really\s+)?know\b|\bno idea\b|\bnot sure\b",
    re.IGNORECASE,
)
# Where the day went wrong, read from the user's words, in order of precedence.
_LOGISTICS_KINDS = (
    (
        "logistics_tech",
        re.compile(
            r"\b(?:camera|mic|microphone|link|wi-?fi|internet|signal|laptop|teams|zoom|audio"
            r"|video|screen|connection|headset|app)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "logistics_kit",
        re.compile(
            r"\b(?:id|passport|documents?|licen[cs]e|card|certificates?|forgot|left\s+\w+\s+at"
            r"\s+home|uniform|kit|portfolio)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "logistics_journey",
        re.compile(
            r"\b(?:late|train|bus|traffic|parking|park|lost|route|satnav|sat\s*nav|cancell?ed"
            r"|delayed?|tube|tram|drive|road|building|floor|reception|address|entrance)\b",
            re.IGNORECASE,
        ),
    ),
)
_LOGISTICS_WORDS = re.compile(
    "|".join(f"(?:{pattern.pattern})" for _, pattern in _LOGISTICS_KINDS), re.IGNORECASE
)


def _joined(names: Sequence[str]) -> str:
    names = [n for n in names if n]
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"
