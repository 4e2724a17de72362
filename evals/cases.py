"""Eval cases: an interview file (`examples/` format) plus what each interviewer's note must do.

A case is `evals/cases/<id>.yaml`: the interview keys of `debrief.services.interview_file`, and
these eval-only keys::

    about: one line on what makes the case hard (shown in reports)
    tone: warm            # NoteOptions.tone
    max_words: 150        # NoteOptions.max_words
    expect:               # one entry per interviewer, by name
      Maria Chen:
        must_reference: [Kafka streams, on-call rotations]   # tolerant match, like coverage
        must_not_contain: [lower salary, Dev Patel]          # case-insensitive, whole words

Every note also must not contain the strings in `evals/common_expectations.yaml`, nor name its
interviewer's title as the job applied for ("the Design Lead role" in a note to the Design Lead
of a Product Designer candidate): a small model often confuses the two.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from debrief.errors import InputError
from debrief.services.interview_file import InterviewSpec, read_interview_file
from debrief.services.notes import NoteOptions, Tone
from evals.run_options import COMMON_EXPECTATIONS, DEFAULT_CASES


class Expectation(BaseModel):
    """What one interviewer's note must and must not say."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    must_reference: tuple[str, ...] = ()
    must_not_contain: tuple[str, ...] = ()


class CaseSettings(BaseModel):
    """The eval-only keys of a case file; a typo among them is an error, not a silent default."""

    model_config = ConfigDict(extra="forbid")
    about: str = ""
    tone: Tone = "warm"
    max_words: int = Field(default=150, ge=40, le=400)
    expect: dict[str, Expectation]


EVAL_KEYS = frozenset(CaseSettings.model_fields)


@dataclass(frozen=True)
class EvalCase:
    """One interview to draft notes for, and the expectations its notes are scored against."""

    case_id: str
    path: Path
    spec: InterviewSpec  # the interview alone: eval-only keys removed
    about: str
    options: NoteOptions
    expect: Mapping[str, Expectation]
    content_hash: str  # of what the model sees; editing expectations only re-scores

    @property
    def interviewer_names(self) -> tuple[str, ...]:
        return tuple(person.name for person in self.spec.interviewers)


def interview_hash(spec: InterviewSpec) -> str:
    """A stable hash of the interview's content (key order and YAML formatting do not count)."""
    data = spec.model_dump(mode="json")
    for person in data["interviewers"]:
        # Added after cases were recorded: a person without takeaways hashes as before, so the
        # recordings of unchanged cases stay valid.
        if not person.get("takeaways"):
            person.pop("takeaways", None)
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def load_common(path: Path = COMMON_EXPECTATIONS) -> Expectation:
    """What no note of any case may contain (an absent file means nothing extra)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return Expectation.model_validate(data)
    except FileNotFoundError:
        return Expectation()
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise InputError(f"{path} is not a valid list of common expectations: {exc}") from None


def load_case(path: Path, common: Expectation | None = None) -> EvalCase:
    """Read and validate one case file; every problem is an `InputError` naming the file."""
    full = read_interview_file(path)
    extras = dict(full.model_extra or {})
    try:
        settings = CaseSettings.model_validate(extras)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise InputError(f"{path} is not a valid eval case: {problems}.") from None
    spec = InterviewSpec.model_validate(full.model_dump(exclude=set(extras)))
    names = [person.name for person in spec.interviewers]
    _check_expectations(path, names, settings.expect)
    return EvalCase(
        case_id=path.stem,
        path=path,
        spec=spec,
        about=settings.about,
        options=NoteOptions(
            tone=settings.tone,
            max_words=settings.max_words,
            candidate_name=spec.candidate_name,
        ),
        expect={
            person.name: _with_derived(
                settings.expect[person.name], title_as_role(person.title, spec.role), common
            )
            for person in spec.interviewers
        },
        content_hash=interview_hash(spec),
    )


_ROLE_CLAIMS = ("{title} role", "{title} position", "role of {title}", "role as {title}")


def title_as_role(title: str, role: str) -> tuple[str, ...]:
    """Phrases that would name the interviewer's own title as the candidate's job."""
    title, role = title.strip(), role.strip()
    if not title or title.lower() in role.lower() or role.lower() in title.lower():
        return ()
    return tuple(claim.format(title=title) for claim in _ROLE_CLAIMS)


def _with_derived(
    expectation: Expectation, extra: Sequence[str], common: Expectation | None
) -> Expectation:
    shared = common.must_not_contain if common is not None else ()
    merged = dict.fromkeys([*expectation.must_not_contain, *extra, *shared])
    return expectation.model_copy(update={"must_not_contain": tuple(merged)})


def _check_expectations(path: Path, names: list[str], expect: Mapping[str, Expectation]) -> None:
    """Every interviewer has an entry and every entry names an interviewer."""
    unknown = sorted(set(expect) - set(names))
    missing = [name for name in names if name not in expect]
    if unknown:
        raise InputError(f"{path}: `expect` names unknown interviewers: {', '.join(unknown)}.")
    if missing:
        raise InputError(
            f"{path}: `expect` has no entry for {', '.join(missing)}.",
            hint="List must_reference and must_not_contain for every interviewer.",
        )
    if len(set(names)) != len(names):
        raise InputError(f"{path}: two interviewers share a name; expectations would be ambiguous.")


def load_cases(pattern: str = DEFAULT_CASES, limit: int | None = None) -> list[EvalCase]:
    """The cases matching a glob, sorted by file name; at most `limit` of them."""
    paths = _glob(pattern)
    if not paths:
        raise InputError(f"No eval cases match {pattern!r}.")
    if limit is not None:
        paths = paths[:limit]
    common = load_common()
    cases = [load_case(path, common) for path in paths]
    seen: dict[str, Path] = {}
    for case in cases:
        if case.case_id in seen:
            raise InputError(
                f"Two cases are called {case.case_id!r}: {seen[case.case_id]}, {case.path}."
            )
        seen[case.case_id] = case.path
    return cases


def _glob(pattern: str) -> list[Path]:
    """Paths matching an absolute or relative glob (pathlib alone cannot glob from '/')."""
    candidate = Path(pattern)
    if not any(char in pattern for char in "*?["):
        return [candidate] if candidate.is_file() else []
    anchor = Path(candidate.anchor) if candidate.is_absolute() else Path()
    relative = str(candidate.relative_to(anchor)) if candidate.is_absolute() else pattern
    return sorted(path for path in anchor.glob(relative) if path.is_file())
