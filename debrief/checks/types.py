"""Typed results shared by every check (app, services and evals use the same ones).

A check's evidence is one frozen dataclass per kind of check. It crosses three boundaries as
JSON: stored drafts (SQLite and user exports), eval reports, and back. `evidence_to_json` writes
`dataclasses.asdict` (the same keys the dicts had before evidence was typed);
`evidence_from_json` picks the type by the check's key and ignores fields it does not know, so
rows written by older or newer versions stay readable.
"""

from __future__ import annotations

import dataclasses
import functools
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Generic

from typing_extensions import TypeVar

# --- Parts of evidence ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Defect:
    """One defect a careful reader would fix before sending the note."""

    key: str  # the class key of evals/LABELLING.md, e.g. "third_person"
    span: str  # exact text of the note (subject or body) that shows it; "" only if none
    reason: str  # one plain sentence for the user


@dataclass(frozen=True)
class Flag:
    """One sign that the text follows someone other than the user."""

    kind: str  # "postscript", "link", "other_language", "other_script", "copied_research"
    span: str  # the text that shows it
    reason: str  # one plain sentence for the user


@dataclass(frozen=True)
class FactMatch:
    """One of the interviewer's facts and the words of it the note used."""

    kind: str
    text: str
    matched_words: tuple[str, ...] = ()


@dataclass(frozen=True)
class Leak:
    """A fact of another interviewer's that the note cites."""

    fact: str
    owner: str  # the other interviewer
    kind: str  # "name", "topic" or "question"
    matched_words: tuple[str, ...] = ()


@dataclass(frozen=True)
class InventedMention:
    """A name, number, date, title or organisation the user never gave; `start:end` in the note."""

    text: str
    kind: str  # "name", "title", "organisation", "number", "date"
    start: int
    end: int


@dataclass(frozen=True)
class SharedSentence:
    """Two near-verbatim sentences, one from each note of a pair."""

    a: str
    b: str
    similarity: float


@dataclass(frozen=True)
class NotePair:
    """How alike two notes of one interview read (keyed by interviewer)."""

    a: str
    b: str
    jaccard: float
    cosine: float
    shared_sentences: tuple[SharedSentence, ...] = ()


@dataclass(frozen=True)
class SentenceScore:
    """One body sentence's specificity."""

    text: str
    score: float
    generic: bool
    stock_phrases: tuple[str, ...] = ()


@dataclass(frozen=True)
class StepProblems:
    """One plan step's defects: {class: offending text} and the same said for the user."""

    index: int
    problems: tuple[str, ...] = ()
    defects: Mapping[str, str] = field(default_factory=dict)


# --- Evidence, one type per kind of check ---------------------------------------------------------


@dataclass(frozen=True)
class NoEvidence:
    """A check that found nothing to show (a failed generation scores 0 with no evidence)."""

    @property
    def findings(self) -> tuple[str, ...]:
        """What the check points at in the text, as short strings to show or to name."""
        return ()


@dataclass(frozen=True)
class CoverageEvidence:
    found: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    per_fact: tuple[FactMatch, ...] = ()

    @property
    def findings(self) -> tuple[str, ...]:
        return self.missing


@dataclass(frozen=True)
class CrossTalkEvidence:
    leaked: tuple[Leak, ...] = ()

    @property
    def findings(self) -> tuple[str, ...]:
        return tuple(leak.fact for leak in self.leaked)


@dataclass(frozen=True)
class GroundingEvidence:
    invented: tuple[InventedMention, ...] = ()
    checked: int = 0  # how many mentions were looked up

    @property
    def findings(self) -> tuple[str, ...]:
        return tuple(item.text for item in self.invented)


@dataclass(frozen=True)
class LengthEvidence:
    words: int = 0
    max_words: int = 0

    @property
    def findings(self) -> tuple[str, ...]:
        return ()


@dataclass(frozen=True)
class DistinctnessEvidence:
    pairs: tuple[NotePair, ...] = ()
    max_jaccard: float = 0.0
    max_cosine: float = 0.0

    @property
    def findings(self) -> tuple[str, ...]:
        return tuple(s.a for pair in self.pairs for s in pair.shared_sentences)


@dataclass(frozen=True)
class GenericnessEvidence:
    sentences: tuple[SentenceScore, ...] = ()
    stock_phrases_found: tuple[str, ...] = ()
    generic_share: float = 0.0

    @property
    def findings(self) -> tuple[str, ...]:
        return self.stock_phrases_found


@dataclass(frozen=True)
class PlanEvidence:
    steps: tuple[StepProblems, ...] = ()
    problems: tuple[str, ...] = ()  # of the whole plan

    @property
    def findings(self) -> tuple[str, ...]:
        return (*self.problems, *(p for step in self.steps for p in step.problems))


@dataclass(frozen=True)
class InjectionEvidence:
    flags: tuple[Flag, ...] = ()

    @property
    def findings(self) -> tuple[str, ...]:
        return tuple(flag.span for flag in self.flags)


@dataclass(frozen=True)
class SendableEvidence:
    defects: tuple[Defect, ...] = ()

    @property
    def findings(self) -> tuple[str, ...]:
        return tuple(defect.span for defect in self.defects if defect.span)


@dataclass(frozen=True)
class MustReferenceEvidence:
    found: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    undefined: bool = False  # the case lists nothing to reference: no score to count

    @property
    def findings(self) -> tuple[str, ...]:
        return self.missing


@dataclass(frozen=True)
class ForbiddenEvidence:
    found: tuple[str, ...] = ()

    @property
    def findings(self) -> tuple[str, ...]:
        return self.found


@dataclass(frozen=True)
class JudgeEvidence:
    """The judge's ratings, 1..5 each (0: not rated), and its main complaint."""

    specific: int = 0
    personal: int = 0
    truthful: int = 0
    voice: int = 0
    reason: str = ""

    @property
    def findings(self) -> tuple[str, ...]:
        return (self.reason,) if self.reason else ()


Evidence = (
    NoEvidence
    | CoverageEvidence
    | CrossTalkEvidence
    | GroundingEvidence
    | LengthEvidence
    | DistinctnessEvidence
    | GenericnessEvidence
    | PlanEvidence
    | InjectionEvidence
    | SendableEvidence
    | MustReferenceEvidence
    | ForbiddenEvidence
    | JudgeEvidence
)

EVIDENCE_BY_KEY: dict[str, type[Evidence]] = {
    "coverage": CoverageEvidence,
    "cross_talk": CrossTalkEvidence,
    "grounding": GroundingEvidence,
    "length": LengthEvidence,
    "distinctness": DistinctnessEvidence,
    "genericness": GenericnessEvidence,
    "plan_concreteness": PlanEvidence,
    "injection": InjectionEvidence,
    "sendable": SendableEvidence,
    "must_reference": MustReferenceEvidence,
    "no_forbidden": ForbiddenEvidence,
    "judge": JudgeEvidence,
}
"""The evidence type of each check key; a key not listed here has `NoEvidence`."""

E = TypeVar("E", bound=Evidence, default=Evidence, covariant=True)


@dataclass(frozen=True)
class CheckResult(Generic[E]):
    """One check's verdict; `CheckResult[CoverageEvidence]` where the kind is known."""

    # key: one of EVIDENCE_BY_KEY, e.g. "coverage"
    key: str
    score: float  # 0..1, higher is better
    passed: bool
    comment: str  # one plain sentence for the user
    evidence: E = field(default_factory=NoEvidence)  # type: ignore[assignment]


AnyEvidence = TypeVar("AnyEvidence", bound=Evidence)


def evidence_as(check: CheckResult, kind: type[AnyEvidence]) -> AnyEvidence:
    """The check's evidence as `kind` (its empty value when the check holds another kind)."""
    return check.evidence if isinstance(check.evidence, kind) else kind()


# --- JSON -----------------------------------------------------------------------------------------


def evidence_to_json(evidence: Evidence) -> dict[str, Any]:
    """The evidence as plain JSON-ready data: the dict the check wrote before it was typed."""
    return dataclasses.asdict(evidence)


_type_hints = functools.cache(typing.get_type_hints)  # a draft has a handful of checks, a run many


def _from_json(kind: Any, value: Any) -> Any:
    """`value` (parsed JSON) as `kind`: dataclasses field by field, tuples item by item."""
    if dataclasses.is_dataclass(kind) and isinstance(kind, type):
        if not isinstance(value, Mapping):
            return kind()
        hints = _type_hints(kind)
        known = {f.name for f in dataclasses.fields(kind)}
        # Fields a newer version added are ignored; fields an older one lacked take defaults.
        return kind(**{k: _from_json(hints[k], v) for k, v in value.items() if k in known})
    origin = typing.get_origin(kind)
    if origin is tuple:
        item = typing.get_args(kind)[0]
        return tuple(_from_json(item, v) for v in value or ())
    if origin is Mapping:
        return dict(value or {})
    if kind is float and isinstance(value, int):
        return float(value)
    return value


def evidence_from_json(key: str, value: Any) -> Evidence:
    """The evidence of check `key` from JSON: the type by key, unknown fields ignored.

    No evidence (missing, null or `{}`, as `NoEvidence` is written) reads as `NoEvidence`, so
    every evidence round-trips exactly: each other type writes at least one field.
    """
    if not value:
        return NoEvidence()
    kind = EVIDENCE_BY_KEY.get(key, NoEvidence)
    return typing.cast(Evidence, _from_json(kind, value))


def check_to_json(check: CheckResult) -> dict[str, Any]:
    """One check as JSON-ready data (its evidence as the dict it was before it was typed)."""
    return {
        "key": check.key,
        "score": check.score,
        "passed": check.passed,
        "comment": check.comment,
        "evidence": evidence_to_json(check.evidence),
    }


def check_from_json(value: Any) -> CheckResult:
    """A check from JSON (a CheckResult is passed through)."""
    if isinstance(value, CheckResult):
        return value
    key = str(value["key"])
    return CheckResult(
        key=key,
        score=float(value["score"]),
        passed=bool(value["passed"]),
        comment=str(value.get("comment", "")),
        evidence=evidence_from_json(key, value.get("evidence")),
    )
