"""Drafting the notes of one case under one prompt version, through the app's own services.

Each case gets a fresh temporary data directory (the record store locks its directory, and no
case may see another's research), while every case shares one model connection: the embedded
llama.cpp server is process-wide and loading it per case would cost seconds each time.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from debrief.checks.notes.inputs import NoteInputs
from debrief.errors import InputError
from debrief.llm.connection import ChatModelSource
from debrief.llm.types import ChatMessage, Sampling
from debrief.records.models import Interview, Interviewer
from debrief.services.container import Services, build_services
from debrief.services.notes import NoteJob, NotesService
from debrief.settings import Settings
from evals.cache import CaseGeneration, GenerationCache, GenerationKey, NoteGeneration
from evals.cache import content_hash as hash_of
from evals.cases import EvalCase
from evals.model_choice import ModelIdentity
from evals.variants import PromptVariant, naive_messages

# NotesService samples each note (and its repair) with up to 600 tokens; the naive floor gets
# the same budget so neither is cut short where the other is not.
MAX_TOKENS = 600

NoteCallback = Callable[[str, bool], None]
"""Called once per note with the interviewer's name and whether the model had to write it."""


class ReplayMissError(InputError):
    """`--offline` and no stored generation for a case and prompt version."""


@dataclass(frozen=True)
class PreparedNote:
    """What scoring needs about one interviewer (the same for every prompt version)."""

    name: str
    inputs: NoteInputs


@dataclass(frozen=True)
class Outcome:
    """A case's generation for one variant, and how it was obtained."""

    generation: CaseGeneration
    cached: bool
    stale: bool  # from the store, although the rendered messages have changed since


def generation_key(case: EvalCase, variant: PromptVariant, model: ModelIdentity) -> GenerationKey:
    options = case.options
    return GenerationKey(
        case_id=case.case_id,
        case_hash=case.content_hash,
        prompt=variant.label,
        prompt_hash=variant.prompt_hash,
        revision_hash=variant.revision_hash,
        model=model.as_dict(),
        sampling={
            "temperature": options.temperature,
            "seed": options.seed,
            "max_tokens": MAX_TOKENS,
            "tone": options.tone,
            "max_words": options.max_words,
            "candidate_name": options.candidate_name,
        },
    )


class CaseWorkspace:
    """One case stored in its own data directory, ready to draft under any prompt version."""

    def __init__(self, case: EvalCase, services: Services) -> None:
        self.case = case
        self._services = services
        self.interview_id = services.interviews.add_from_spec(case.spec)
        self._default = services.notes
        jobs, self.research_lines_dropped = self._default.jobs(self.interview_id, case.options)
        self._people: tuple[Interviewer, ...] = tuple(job.person for job in jobs)
        self._interview: Interview = jobs[0].interview
        self.notes = tuple(PreparedNote(job.person.name, job.inputs) for job in jobs)

    @property
    def services(self) -> Services:
        """The app's services over this case's own data directory."""
        return self._services

    def obtain(
        self,
        variant: PromptVariant,
        model: ModelIdentity,
        cache: GenerationCache,
        on_note: NoteCallback,
    ) -> Outcome:
        """The stored generation when it is current (or `cache` is read-only), else a new one."""
        key = generation_key(self.case, variant, model)
        service, jobs = self._jobs(variant)
        input_hash = self._input_hash(jobs)
        stored = cache.load(key)
        if stored is not None and (stored.input_hash == input_hash or cache.read_only):
            for note in stored.notes:
                on_note(note.interviewer, False)
            return Outcome(stored, cached=True, stale=stored.input_hash != input_hash)
        if cache.read_only:
            raise ReplayMissError(
                f"No stored generation for case {self.case.case_id!r} under {variant.label} "
                f"in {cache.root}.",
                hint="Record it with a model (run without --offline), or choose other cases.",
            )
        writers: list[Callable[[], NoteGeneration]] = (
            [partial(_draft, service, job) for job in jobs]
            if jobs
            else [partial(self._naive, person) for person in self._people]
        )
        notes: list[NoteGeneration] = []
        for write in writers:
            notes.append(write())
            on_note(notes[-1].interviewer, True)
        entry = CaseGeneration(
            key=key,
            input_hash=input_hash,
            model_id=self._services.llm.get().model_id,
            notes=tuple(notes),
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        )
        cache.save(entry)
        return Outcome(entry, cached=False, stale=False)

    def _jobs(self, variant: PromptVariant) -> tuple[NotesService, list[NoteJob]]:
        if variant.is_naive:
            return self._default, []  # no template: the request is built from the interviewer
        service = self._services.notes.with_prompt_version(variant.version)
        jobs, _ = service.jobs(self.interview_id, self.case.options)
        return service, jobs

    def _input_hash(self, jobs: list[NoteJob]) -> str:
        if not jobs:
            return hash_of([_plain(naive_messages(p, self._interview)) for p in self._people])
        return hash_of([[*_plain(job.messages), job.schema.model_json_schema()] for job in jobs])

    def _naive(self, person: Interviewer) -> NoteGeneration:
        """The floor: one user message, raw text back, no checks-driven repair."""
        options = self.case.options
        sampling = Sampling(
            max_tokens=MAX_TOKENS, temperature=options.temperature, seed=options.seed
        )
        started = time.perf_counter()
        result = self._services.llm.get().chat(naive_messages(person, self._interview), sampling)
        return NoteGeneration(
            interviewer=person.name, body=result.text, seconds=time.perf_counter() - started
        )


def _plain(messages: Sequence[ChatMessage]) -> list[list[str]]:
    return [[message.role, message.content] for message in messages]


def _draft(service: NotesService, job: NoteJob) -> NoteGeneration:
    """One note through the app's own pipeline (JSON fields, checks, one repair pass)."""
    started = time.perf_counter()
    try:
        note = service.draft(job)
    except ValueError as exc:  # the model's JSON did not fit the schema (e.g. cut off)
        return NoteGeneration(
            interviewer=job.person.name,
            seconds=time.perf_counter() - started,
            error=f"unusable model output: {str(exc)[:300]}",
        )
    return NoteGeneration(
        interviewer=job.person.name,
        subject=note.subject,
        body=note.body,
        repaired=note.repaired,
        seconds=note.seconds,
    )


@contextmanager
def case_workspace(
    case: EvalCase, settings: Settings, llm: ChatModelSource
) -> Iterator[CaseWorkspace]:
    """The case stored in a fresh temporary data directory, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix=f"debrief-eval-{case.case_id}-") as folder:
        # Records and index stay local to the case even when a Chroma server is configured.
        local = settings.model_copy(update={"data_dir": Path(folder), "chroma_host": None})
        services = build_services(local, llm=llm)
        try:
            yield CaseWorkspace(case, services)
        finally:
            services.close()
