"""The optional model-graded rubric (off by default): any configured endpoint can be the judge.

Model-graded and rule-based checks live apart: the rules are deterministic and always run; the
judge costs a model call per note, and its verdicts are cached like generations.
"""

from __future__ import annotations

from importlib import resources

from pydantic import BaseModel, Field

from debrief.checks.notes.inputs import NoteInputs
from debrief.checks.types import CheckResult, JudgeEvidence
from debrief.llm.connection import ChatModelSource
from debrief.llm.types import Sampling
from evals.cache import GenerationCache, content_hash
from evals.model_choice import ModelIdentity
from prompts import Prompt, _parse

RUBRIC_FILE = "note_judge.v1.md"
_SAMPLING = Sampling(max_tokens=200, temperature=0.0, seed=7)
_CRITERIA = ("specific", "personal", "truthful", "voice")


class JudgeVerdict(BaseModel):
    """The judge's ratings, 1..5 each, and its main complaint."""

    specific: int = Field(ge=1, le=5)
    personal: int = Field(ge=1, le=5)
    truthful: int = Field(ge=1, le=5)
    voice: int = Field(ge=1, le=5)
    reason: str = Field(max_length=300)


def load_rubric() -> Prompt:
    """The rubric prompt, in the same file format (and checks) as the app's prompts."""
    text = resources.files("evals").joinpath("prompts", RUBRIC_FILE).read_text(encoding="utf-8")
    return _parse(RUBRIC_FILE, text)


def facts_text(inputs: NoteInputs) -> str:
    """What the note's writer knew, as the judge reads it."""
    person = inputs.interviewer
    lines = [f"Interviewer: {person.name}" + (f", {person.title}" if person.title else "")]
    lines.append(f"Company: {inputs.company}; role: {inputs.role}")
    lines += [f"Topic discussed: {topic}" for topic in person.topics]
    lines += [f"Question asked: {question}" for question in person.questions]
    if inputs.clarification:
        lines.append(f"What the candidate meant to say when they fumbled: {inputs.clarification}")
    if not person.topics and not person.questions:
        lines.append("(No notes on what was discussed with this interviewer.)")
    return "\n".join(lines)


def verdict_check(verdict: JudgeVerdict) -> CheckResult[JudgeEvidence]:
    """Ratings scaled to 0..1 and averaged; passed when the mean rating is 4 or more."""
    ratings = [getattr(verdict, name) for name in _CRITERIA]
    score = sum((rating - 1) / 4 for rating in ratings) / len(ratings)
    summary = ", ".join(f"{name} {getattr(verdict, name)}" for name in _CRITERIA)
    return CheckResult(
        "judge",
        score,
        score >= 0.75,
        f"{summary}. {verdict.reason}".strip(),
        JudgeEvidence(**verdict.model_dump()),
    )


class NoteJudge:
    """Rates notes with a chat model; verdicts are cached by judge, rubric, facts and text."""

    def __init__(
        self, source: ChatModelSource, identity: ModelIdentity, cache: GenerationCache
    ) -> None:
        self._source = source
        self._identity = identity
        self._cache = cache
        self._rubric = load_rubric()

    def judge(self, text: str, inputs: NoteInputs) -> CheckResult:
        facts = facts_text(inputs)
        name = "judge-" + content_hash(
            [self._identity.as_dict(), self._rubric.content_hash, facts, text]
        )
        stored = self._cache.load_json(name)
        if stored is not None:
            return verdict_check(JudgeVerdict.model_validate(stored))
        messages = self._rubric.render(facts=facts, note=text)
        verdict = self._source.get().structured(messages, JudgeVerdict, _SAMPLING)
        self._cache.save_json(name, verdict.model_dump())
        return verdict_check(verdict)
