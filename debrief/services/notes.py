"""Thank-you notes: one per interviewer, specific to that person, checked, repaired once."""

from __future__ import annotations

import dataclasses
import logging
import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from types import GenericAlias
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, StringConstraints, ValidationError, create_model

from debrief.checks.defects import sendable
from debrief.checks.defects.text import all_input_texts
from debrief.checks.injection import KEY as INJECTION_KEY
from debrief.checks.injection import injection_check, output_flags
from debrief.checks.notes import check_note
from debrief.checks.notes.distinctness import distinctness
from debrief.checks.notes.inputs import NoteInputs, PersonFacts
from debrief.checks.rewrite import judge_rewrite
from debrief.checks.types import (
    CheckResult,
    Defect,
    Flag,
    InjectionEvidence,
    LengthEvidence,
    SendableEvidence,
    evidence_as,
)
from debrief.errors import InputError, LLMOutputInvalidError, LLMStreamIncompleteError
from debrief.llm.connection import ChatModel, ChatModelSource
from debrief.llm.model_files import ProgressCallback, no_progress
from debrief.llm.types import ChatMessage, Sampling, StreamStats
from debrief.records.models import (
    Draft,
    DraftKind,
    DraftStatus,
    DraftVersion,
    Interview,
    Interviewer,
    Stumble,
)
from debrief.services import note_frame
from debrief.services.exports import note_text
from debrief.services.history import HistoryService
from debrief.services.json_stream import partial_string_values
from debrief.text_safety import without_instructions
from prompts import Prompt, load_parts, load_prompt
from rag.index import SearchFilters

log = logging.getLogger(__name__)

Tone = Literal["warm", "formal", "brief"]
TONES: tuple[Tone, ...] = ("warm", "formal", "brief")
RESEARCH_TOKENS = 350
COVERAGE_THRESHOLD = 0.6
# The version the app drafts with. A newer file is a candidate until the evals show it is
# better: `python -m evals run --prompt vN --baseline v1` (see evals/README.md).
SHIPPED_PROMPT_VERSION = 4
_CHARS_PER_WORD = 6
MAX_TAKEAWAYS = 3  # of the candidate's lines per note (more would crowd out the rest)
SENTENCE_TOKENS = 80
MAX_SUBJECT_CHARS = 200
MAX_BODY_CHARS = 10_000


@dataclass(frozen=True)
class NoteOptions:
    tone: Tone = "warm"
    max_words: int = 150
    candidate_name: str = ""
    temperature: float = 0.0  # deterministic: the same input gives the same note (and evals)
    seed: int = 7


@dataclass(frozen=True)
class NoteDraft:
    interviewer: Interviewer
    subject: str
    body: str
    checks: tuple[CheckResult, ...]
    repaired: bool
    seconds: float
    prompt_ref: str
    draft_id: int | None = None

    @property
    def passed(self) -> bool:
        return all(check.passed for check in self.checks)


@dataclass(frozen=True)
class InterviewNotes:
    interview: Interview
    notes: tuple[NoteDraft, ...]
    distinctness: CheckResult
    seconds: float
    research_lines_dropped: int


@dataclass(frozen=True)
class NotesOverview:
    """What the notes page shows: each interviewer's latest note, and the notes compared."""

    interview: Interview
    people: tuple[Interviewer, ...]
    latest: dict[int, Draft | None]  # interviewer id -> their latest note
    distinctness: CheckResult | None  # None with fewer than two notes
    hints: dict[int, str] = dataclasses.field(default_factory=dict)  # what would make it stronger
    # interviewer id -> how many versions their note has had: drafts, regenerations and edits
    versions: dict[int, int] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True)
class NoteJob:
    """Everything one interviewer's note needs; built once per interview (shared context)."""

    interview: Interview
    person: Interviewer
    inputs: NoteInputs
    messages: tuple[ChatMessage, ...]
    schema: type[BaseModel]
    options: NoteOptions
    position: int = 0  # among the interview's interviewers (the frame varies its closing)
    sentences: tuple[SentenceRequest, ...] = ()  # the frame pipeline's model requests
    fumble: Stumble | None = None


@dataclass(frozen=True)
class SentenceRequest:
    """One sentence the model writes from the candidate's own line (the frame pipeline)."""

    kind: Literal["takeaway", "repair"]
    line: str  # the candidate's words, used as written when the rewrite is not faithful
    messages: tuple[ChatMessage, ...]


def _person(interviewer: Interviewer) -> PersonFacts:
    return PersonFacts(
        name=interviewer.name,
        title=interviewer.title,
        topics=tuple(interviewer.topics),
        questions=tuple(interviewer.questions),
    )


def _interview_facts(interview: Interview) -> str:
    when = interview.held_at.strftime("%d %B %Y").lstrip("0")
    held = ", ".join(part for part in (interview.stage, interview.format.value, when) if part)
    return load_parts("thank_you_note_parts").render(
        "interview_facts", company=interview.company, role=interview.role, interview=held
    )


def _interviewer_facts(person: Interviewer) -> str:
    parts = load_parts("thank_you_note_parts")
    lines = [parts.render("interviewer_name", name=person.name)]
    if person.title:
        lines.append(parts.render("interviewer_title", title=person.title))
    first = note_frame.first_name(person.name)
    if person.topics:
        lines.append(parts.render("topics_heading", first_name=first))
        lines += [f"- {topic}" for topic in person.topics]
    if person.questions:
        lines.append(parts.render("questions_heading", first_name=first))
        lines += [f"- {question}" for question in person.questions]
    if not person.topics and not person.questions:
        lines.append(parts.render("no_notes", first_name=first))
    return "\n".join(lines)


def _repair_request(fumble: Stumble | None) -> str:
    """The request for a repair sentence, as a paragraph of its own; empty without a fumble."""
    if fumble is None:
        return ""
    request = load_parts("thank_you_note_parts").render(
        "repair_request", question=fumble.question, what_i_wish=fumble.what_i_wish
    )
    return f"\n{request}\n"


def _same_question(a: str, b: str) -> bool:
    def normal(text: str) -> str:
        return " ".join(text.casefold().split()).strip(" ?.!")

    return normal(a) == normal(b)


def _fumble_for(person: Interviewer, stumbles: Sequence[Stumble], alone: bool) -> Stumble | None:
    """This person's stumble that has a clarification.

    A stumble the user tied to nobody is this person's when they were the only interviewer, or
    when its question is one this person asked, word for word.
    """
    for stumble in stumbles:
        if not stumble.what_i_wish:
            continue
        if stumble.interviewer_id is None:
            mine = alone or any(_same_question(stumble.question, q) for q in person.questions)
        else:
            mine = stumble.interviewer_id == person.id
        if mine:
            return stumble
    return None


def _schema(max_words: int, with_repair: bool, with_details: bool = True) -> type[BaseModel]:
    """JSON fields with caps the server enforces; the word limit is verified by the checks."""
    # Generous caps: a cap the model reaches cuts a sentence mid-way, so they only stop runaway
    # output; the length check (and its repair) holds the requested word count. (Tried: regex
    # patterns forcing "I …"/"Thank you …" openings made the 1.5B model loop inside a field.)
    budget = max(40, max_words - 8) * _CHARS_PER_WORD  # 8 words for greeting and sign-off

    def text(share: float) -> Any:
        cap = max(160, int(budget * share * 1.6))
        return Annotated[str, StringConstraints(min_length=10, max_length=cap)]

    fields: dict[str, Any] = {
        "subject": (Annotated[str, StringConstraints(min_length=3, max_length=70)], ...),
        "opening": (text(0.28), ...),
    }
    if with_details:  # no facts about this person: a required field would only invite invention
        fields["details"] = (GenericAlias(list, (text(0.22),)), Field(min_length=1, max_length=2))
    if with_repair:
        fields["repair"] = (text(0.2), ...)
    fields["closing"] = (text(0.2), ...)
    return create_model("ThankYouNote", **fields)


def _greeting(person: Interviewer, tone: Tone) -> str:
    # "Dear Dr. Osei," for "Dr. Amara Osei": the first word of a name may be an honorific.
    return note_frame.greeting(person, tone)


def _sign_off(options: NoteOptions) -> str:
    closing = "Kind regards," if options.tone == "formal" else "Best,"
    return f"{closing}\n{options.candidate_name or '[Your name]'}"


def render_note(
    fields: dict[str, Any], person: Interviewer, options: NoteOptions
) -> tuple[str, str]:
    """(subject, body) from the model's JSON fields; greeting and sign-off are added by code."""
    sentences = [fields.get("opening", ""), *fields.get("details", []), fields.get("repair", "")]
    paragraph = " ".join(s.strip() for s in sentences if s and s.strip())
    parts = [_greeting(person, options.tone), paragraph, str(fields.get("closing", "")).strip()]
    body = "\n\n".join(p for p in parts if p) + "\n\n" + _sign_off(options)
    return str(fields.get("subject", "")).strip(), body


class NotesService:
    """Drafts, checks and stores the thank-you notes of an interview."""

    def __init__(
        self,
        llm: ChatModelSource,
        history: HistoryService,
        prompt_version: int | None = None,
        *,
        warm_prefix: bool = False,
    ) -> None:
        """`prompt_version` picks a thank_you_note version (for evals); default: the shipped one.

        `warm_prefix`: let `warm_in_background` pre-process the shared prompt prefix. Only for a
        local server with a prompt cache (the embedded one): elsewhere it would cost tokens.
        """
        self._llm = llm
        self._history = history
        self._warm_prefix = warm_prefix
        self._warmed: set[str] = set()  # system prompts already sent (or being sent) to the model
        self._warm_lock = threading.Lock()
        self._prompt: Prompt = load_prompt(
            "thank_you_note", prompt_version or SHIPPED_PROMPT_VERSION
        )
        self._revision: Prompt = load_prompt("note_revision")
        # The frame pipeline's note text, at the version the prompt names (v3 predates the field).
        self._frame = self._prompt.frame or 1
        self._rewrite: Prompt = load_prompt("sentence_rewrite")

    @property
    def prompt_ref(self) -> str:
        return self._prompt.ref

    def with_prompt_version(self, version: int | None) -> NotesService:
        """The same service drafting with another thank_you_note version (None: the shipped one)."""
        return NotesService(self._llm, self._history, version, warm_prefix=self._warm_prefix)

    def warm_in_background(self, interview_id: int) -> threading.Thread | None:
        """Start processing this interview's shared prompt prefix while the user reads the page.

        The notes of an interview share a long system prompt (instructions, interview facts,
        research). Processing it is most of the wait for the first note (about 10-17 s of ~20 s
        on two cores, see bench/results.md); the server's prompt cache keeps it, so the notes
        drafted afterwards only pay for their own part. Does nothing when warming is off, the
        model is not loaded yet, or this prefix was already sent. Failures are only logged: a
        cold prefix is merely slower.
        """
        if not self._warm_prefix or not self._llm.is_ready():
            return None
        try:
            jobs, _ = self.jobs(interview_id)
        except InputError:
            return None  # no interviewers yet: nothing to warm
        prompted = [job for job in jobs if job.messages]
        if not prompted:
            return None  # the frame pipeline with no line of the candidate's: nothing to ask
        system = prompted[0].messages[0]
        with self._warm_lock:
            if system.content in self._warmed:
                return None
            self._warmed.add(system.content)
        thread = threading.Thread(
            target=self._warm, args=(system,), name="debrief-warm-prefix", daemon=True
        )
        thread.start()
        return thread

    def _warm(self, system: ChatMessage) -> None:
        started = time.perf_counter()
        try:
            model = self._llm.get()
            model.chat([system, ChatMessage("user", ".")], Sampling(max_tokens=1, temperature=0))
        except Exception as exc:  # never surfaces: the drafts will simply process it themselves
            with self._warm_lock:
                self._warmed.discard(system.content)
            log.info("warming the notes prompt prefix failed: %s", exc)
            return
        log.info("notes prompt prefix warmed in %.1f s", time.perf_counter() - started)

    def jobs(
        self, interview_id: int, options: NoteOptions = NoteOptions()
    ) -> tuple[list[NoteJob], int]:
        """One job per interviewer, all sharing the same system prompt (the cacheable prefix)."""
        if options.tone not in TONES:
            raise InputError(f"Unknown tone {options.tone!r}; choose one of {', '.join(TONES)}.")
        if not 40 <= options.max_words <= 400:
            raise InputError("The length must be between 40 and 400 words.")
        store = self._history.store
        interview = store.get_interview(interview_id)
        people = store.list_interviewers(interview_id)
        if not people:
            raise InputError(
                "This interview has no interviewers yet.",
                hint="Add at least one interviewer first.",
            )
        stumbles = store.list_stumbles(interview_id)
        research, dropped = self._research(interview, people)
        jobs = []
        for position, person in enumerate(people):
            fumble = _fumble_for(person, stumbles, alone=len(people) == 1)
            sentences: tuple[SentenceRequest, ...] = ()
            if self._prompt.pipeline == "frame":
                sentences = self._sentence_requests(interview, person, fumble)
                messages = [sentences[0].messages[0]] if sentences else []
                messages += [r.messages[-1] for r in sentences]
            else:
                messages = self._prompt.render(
                    interview_facts=_interview_facts(interview),
                    research=research or "(none)",
                    first_name=note_frame.first_name(person.name),
                    interviewer_facts=_interviewer_facts(person),
                    repair_request=_repair_request(fumble),
                    tone=options.tone,
                    max_words=str(options.max_words),
                )
            inputs = NoteInputs(
                company=interview.company,
                role=interview.role,
                interviewer=_person(person),
                others=tuple(_person(p) for p in people if p.id != person.id),
                interview_date=interview.held_at.date(),
                stage=interview.stage,
                fumbled_question=fumble.question if fumble else "",
                clarification=fumble.what_i_wish if fumble else "",
                candidate_name=options.candidate_name,
                context=research,
                max_words=options.max_words,
                takeaways=tuple(person.takeaways),
            )
            jobs.append(
                NoteJob(
                    interview,
                    person,
                    inputs,
                    tuple(messages),
                    _schema(
                        options.max_words,
                        with_repair=fumble is not None,
                        with_details=bool(person.topics or person.questions),
                    ),
                    options,
                    position,
                    sentences,
                    fumble,
                )
            )
        return jobs, dropped

    def _sentence_requests(
        self, interview: Interview, person: Interviewer, fumble: Stumble | None
    ) -> tuple[SentenceRequest, ...]:
        """The model requests of one note: a sentence per takeaway, and the repair."""
        frame = load_parts(note_frame.FRAME, self._frame)

        def request(kind: Literal["takeaway", "repair"], line: str, ask: str) -> SentenceRequest:
            messages = self._prompt.render(
                first_name=note_frame.first_name(person.name),
                title=f", {person.title}" if person.title else "",
                company=interview.company,
                role=interview.role,
                request=ask,
                line=line,
            )
            return SentenceRequest(kind, line, tuple(messages))

        wanted = [
            request("takeaway", note_frame.addressed(line), frame.render("ask_takeaway"))
            for line in person.takeaways[:MAX_TAKEAWAYS]
        ]
        if fumble is not None:
            ask = frame.render("ask_repair", question=fumble.question)
            wanted.append(request("repair", fumble.what_i_wish, ask))
        return tuple(wanted)

    def _research(self, interview: Interview, people: Sequence[Interviewer]) -> tuple[str, int]:
        """The most relevant research, the same for every interviewer, with instructions removed."""
        query = " ".join(
            [interview.company, interview.role, *(t for p in people for t in p.topics)]
        )
        hits = self._history.search(
            query,
            k=4,
            filters=SearchFilters(interview_id=interview.id, kinds=("research",)),
            token_budget=RESEARCH_TOKENS,
        )
        if not hits:
            hits = self._history.search(
                query,
                k=4,
                filters=SearchFilters(company=interview.company, kinds=("research",)),
                token_budget=RESEARCH_TOKENS,
            )
        cleaned, dropped = without_instructions("\n".join(f"- {hit.text}" for hit in hits))
        return cleaned, dropped

    def draft(self, job: NoteJob, progress: ProgressCallback = no_progress) -> NoteDraft:
        """Draft one note (not streamed), check it, repair once if needed."""
        return _last(self.stream(job, progress))

    def stream(
        self, job: NoteJob, progress: ProgressCallback = no_progress
    ) -> Iterator[str | NoteDraft]:
        """Yield the note's text as it is written, then the finished `NoteDraft`."""
        if self._prompt.pipeline == "frame":
            yield from self._stream_frame(job, progress)
            return
        started = time.perf_counter()
        model = self._llm.get(progress)
        raw = ""
        stats = StreamStats()
        for piece in model.stream_chat(
            job.messages, self._sampling(job), stats=stats, json_schema=job.schema
        ):
            raw += piece
            yield self._preview(raw, job)
        name = job.person.name
        if stats.finish_reason == "length":  # cut at max_tokens: never pass it off as a note
            raise LLMStreamIncompleteError(
                f"The note to {name} ran over the length limit and stopped half-way.",
                partial=raw,
                hint="Try again, or ask for a shorter note.",
            )
        try:
            fields = job.schema.model_validate_json(raw).model_dump()
        except ValidationError:
            raise LLMOutputInvalidError(
                f"The model's note to {name} is not in the expected form.",
                raw=raw,
                hint="Try again; if it keeps happening, the model may not support JSON schemas.",
            ) from None
        subject, body = render_note(fields, job.person, job.options)
        checks = self._checks(body, job.inputs, subject)
        repaired = False
        problems = _problems(checks, job.inputs.max_words)
        if problems:
            revised = self._repair(model, job, raw, problems)
            if revised is not None:
                revised_checks = self._checks(revised[1], job.inputs, revised[0])
                # A small model's revision can be worse than its first try: keep the better one.
                if _quality(revised_checks) >= _quality(checks):
                    (subject, body), checks, repaired = revised, revised_checks, True
        yield NoteDraft(
            job.person,
            subject,
            body,
            (*checks, sendable(subject, body, job.inputs)),  # the repair pass used the rest
            repaired,
            time.perf_counter() - started,
            self.prompt_ref,
        )

    def _stream_frame(
        self, job: NoteJob, progress: ProgressCallback = no_progress
    ) -> Iterator[str | NoteDraft]:
        """Code writes the note; the model writes each of the candidate's sentences."""
        started = time.perf_counter()
        model = self._llm.get(progress) if job.sentences else None
        takeaways: list[str] = []
        repair = ""

        def note() -> tuple[str, str]:
            return note_frame.assemble(
                job.interview,
                job.person,
                tone=job.options.tone,
                candidate_name=job.options.candidate_name,
                position=job.position,
                sentences=takeaways,
                repair=repair,
                fumbled=job.fumble.question if job.fumble else "",
                frame=self._frame,
            )

        for request in job.sentences:
            yield note_text(*note())
            assert model is not None
            sentence = self._sentence(model, job, request)
            if request.kind == "repair":
                repair = sentence
            else:
                takeaways.append(sentence)
        subject, body = note()
        # Over the asked length: the candidate's later lines go first, the repair stays.
        while takeaways and _words(body) > job.options.max_words:
            takeaways.pop()
            subject, body = note()
        yield NoteDraft(
            job.person,
            subject,
            body,
            tuple(self._final_checks(subject, body, job.inputs)),
            False,
            time.perf_counter() - started,
            self.prompt_ref,
        )

    def _sentence(self, model: ChatModel, job: NoteJob, request: SentenceRequest) -> str:
        """The model's sentence when it is a faithful rewrite of the line; else the line itself."""
        known = [
            job.interview.company,
            job.interview.role,
            *job.person.topics,
            *job.person.questions,
            *([job.fumble.question] if job.fumble else []),
        ]
        names = note_frame.addressee(job.person.name)
        question = job.fumble.question if job.fumble else ""
        # One request per sentence: in the first trials a second try at a refused rewrite was
        # refused too, and each try costs seconds; the candidate's own line is the fallback.
        # Streamed like a whole note, so a reply cut off half-way is a typed error (and the
        # note is not saved), never a sentence that silently stops.
        stats = StreamStats()
        sampling = Sampling(
            max_tokens=SENTENCE_TOKENS, temperature=job.options.temperature, seed=job.options.seed
        )
        reply = "".join(model.stream_chat(list(request.messages), sampling, stats=stats))
        # Cut at the token limit: not a sentence, so the candidate's own line is used.
        sentence = "" if stats.finish_reason == "length" else _one_sentence(reply)
        verdict = judge_rewrite(
            sentence, request.line, known=known, addressee_names=(names.first, names.last)
        )
        # A postscript, a link or another language: not the candidate's line, whoever asked.
        planted = output_flags(sentence, research=job.inputs.context, own=_user_texts(job.inputs))
        if verdict.ok and not planted:
            if request.kind == "repair":
                return note_frame.repair_sentence(sentence, question, self._frame)
            return note_frame.without_jotting_colon(sentence)
        log.info("rewrite of %r refused (%s): %r", request.line, verdict.reason, sentence)
        if request.kind == "repair":
            return note_frame.repair_as_written(request.line, question, self._frame)
        return note_frame.takeaway_as_written(request.line, self._frame)

    def draft_all(
        self,
        interview_id: int,
        options: NoteOptions = NoteOptions(),
        progress: ProgressCallback = no_progress,
        on_note: Callable[[NoteDraft], None] | None = None,
    ) -> InterviewNotes:
        """Every interviewer's note, saved; one after another (faster than parallel on 2 cores)."""
        started = time.perf_counter()
        jobs, dropped = self.jobs(interview_id, options)
        drafts: list[NoteDraft] = []
        for job in jobs:
            note = self.save(self.draft(job, progress))
            drafts.append(note)
            if on_note:
                on_note(note)
        across = distinctness({d.interviewer.name: d.body for d in drafts})
        return InterviewNotes(
            jobs[0].interview, tuple(drafts), across, time.perf_counter() - started, dropped
        )

    def save(self, note: NoteDraft) -> NoteDraft:
        """Store a finished note as a Draft record with its checks."""
        assert note.interviewer.id is not None
        saved = self._history.store.add_draft(
            Draft(
                interview_id=note.interviewer.interview_id,
                kind=DraftKind.THANK_YOU,
                interviewer_id=note.interviewer.id,
                prompt_name=self._prompt.name,
                prompt_version=self._prompt.version,
                prompt_hash=self._prompt.content_hash,
                model_id=self._model_id(),
                subject=note.subject,
                body=note.body,
                checks=list(note.checks),
            )
        )
        return dataclasses.replace(note, draft_id=saved.id)

    def overview(self, interview_id: int) -> NotesOverview:
        """Each interviewer's latest note (or None), and whether the notes are too alike."""
        store = self._history.store
        people = tuple(store.list_interviewers(interview_id))
        latest: dict[int, Draft] = {}
        versions: dict[int, int] = {}
        for draft in store.list_drafts(interview_id):
            if draft.kind == DraftKind.THANK_YOU and draft.interviewer_id is not None:
                latest[draft.interviewer_id] = draft  # ordered by id: the last one wins
                # A regenerated note is a new draft at its version 1; count across them all.
                versions[draft.interviewer_id] = (
                    versions.get(draft.interviewer_id, 0) + draft.version
                )
        bodies = {p.name: latest[p.id].body for p in people if p.id in latest}
        across = distinctness(bodies) if len(bodies) > 1 else None
        hints = {}
        if self._prompt.pipeline == "frame":  # the version that writes from the user's lines
            hints = {
                p.id: hint
                for p in people
                if p.id is not None and (hint := note_frame.hint(p, self._frame))
            }
        return NotesOverview(
            store.get_interview(interview_id),
            people,
            {p.id: latest.get(p.id) for p in people if p.id is not None},
            across,
            hints,
            versions,
        )

    def revise(
        self, draft_id: int, subject: str, body: str, options: NoteOptions = NoteOptions()
    ) -> Draft:
        """Save the user's edit as a new version of the note, with the checks of the new text."""
        subject, body = subject.strip(), body.strip()
        if not body:
            raise InputError("The note is empty; write something or regenerate it.")
        if len(subject) > MAX_SUBJECT_CHARS:
            raise InputError(f"The subject is longer than {MAX_SUBJECT_CHARS} characters.")
        if len(body) > MAX_BODY_CHARS:
            raise InputError(f"The note is longer than {MAX_BODY_CHARS:,} characters.")
        store = self._history.store
        draft = store.get_draft(draft_id)
        if draft.kind != DraftKind.THANK_YOU:
            raise InputError("Only thank-you notes are edited here.")
        jobs, _ = self.jobs(draft.interview_id, options)
        job = next((j for j in jobs if j.person.id == draft.interviewer_id), None)
        # The interviewer was removed since: the note keeps no checks rather than stale ones.
        checks = self._final_checks(subject, body, job.inputs) if job is not None else []
        return store.revise_draft(draft_id, subject, body, checks)

    def rewrite_sentence(
        self, draft_id: int, span: str, reason: str, options: NoteOptions = NoteOptions()
    ) -> Draft:
        """Rewrite the sentence of a note that holds `span` so that `reason` no longer applies.

        The model's sentence is kept only when it adds no number or name the user did not give
        and the detectors no longer find that defect there; otherwise `InputError` says so and
        the note is unchanged (the user can edit or remove the sentence).
        """
        store = self._history.store
        draft = store.get_draft(draft_id)
        sentence = _sentence_holding(draft.body, span)
        if not sentence:
            raise InputError("That sentence is no longer in the note; it was edited meanwhile.")
        jobs, _ = self.jobs(draft.interview_id, options)
        job = next((j for j in jobs if j.person.id == draft.interviewer_id), None)
        if job is None:
            raise InputError("This note's interviewer was removed from the interview.")
        facts = "\n".join(f"- {fact}" for fact in _own_facts(job))
        messages = self._rewrite.render(
            first_name=note_frame.first_name(job.person.name),
            facts=facts or "- (none)",
            sentence=sentence,
            reason=reason,
        )
        reply = self._llm.get().chat(
            messages, Sampling(max_tokens=SENTENCE_TOKENS, temperature=0.0, seed=options.seed)
        )
        rewritten = _one_sentence(reply.text)
        verdict = judge_rewrite(
            rewritten,
            sentence,
            known=_own_facts(job),
            addressee_names=(note_frame.addressee(job.person.name).first,),
            same_numbers=False,
        )
        body = draft.body.replace(sentence, rewritten, 1)
        after = sendable(draft.subject, body, job.inputs)
        # Kept only when the new sentence holds no defect (the note's other sentences may).
        still_here = [d for d in after.evidence.defects if d.span and d.span in rewritten]
        if not verdict.ok or not rewritten or still_here:
            raise InputError(
                "The model could not rewrite that sentence without adding to it.",
                hint="Edit or delete the sentence yourself, then save.",
            )
        checks = [*self._checks(body, job.inputs, draft.subject), after]
        return store.revise_draft(draft_id, draft.subject, body, checks)

    def mark_sent(self, draft_id: int, *, override: bool = False) -> Draft:
        """Record that the user sent this note (the time counts for the 24-hour pattern).

        A note flagged for text the research may have planted (a postscript, a link, another
        language, a copied sentence) is marked as sent only with `override`: the user has read
        the flagged text and chosen to keep it.
        """
        store = self._history.store
        draft = store.get_draft(draft_id)
        flagged = planted_text(draft)
        if flagged and not override:
            spans = "; ".join(f"“{flag.span}”" for flag in flagged)
            raise InputError(
                f"This note holds text that may come from instructions hidden in the research: "
                f"{spans}.",
                hint="Edit it out and save, or confirm that you have read it and send it anyway.",
            )
        store.set_draft_status(draft_id, DraftStatus.SENT)
        return store.get_draft(draft_id)

    def versions(self, draft_id: int) -> list[DraftVersion]:
        """The earlier texts of a note, oldest first."""
        return self._history.store.draft_versions(draft_id)

    def _model_id(self) -> str:
        try:
            return self._llm.get().model_id
        except Exception:  # the id is a label; never lose a draft over it
            return self._llm.describe()

    def _sampling(self, job: NoteJob) -> Sampling:
        return Sampling(max_tokens=600, temperature=job.options.temperature, seed=job.options.seed)

    def _final_checks(self, subject: str, body: str, inputs: NoteInputs) -> list[CheckResult]:
        """Every check a finished note carries: the specificity checks, the planted-text check
        and the reader's standard."""
        return [*self._checks(body, inputs, subject), sendable(subject, body, inputs)]

    def _checks(self, body: str, inputs: NoteInputs, subject: str = "") -> list[CheckResult]:
        planted = output_flags(
            f"{subject}\n{body}", research=inputs.context, own=_user_texts(inputs)
        )
        return [*check_note(body, inputs), injection_check(planted)]

    def _preview(self, raw: str, job: NoteJob) -> str:
        values = partial_string_values(raw)
        if not values:
            return ""
        subject, sentences = values[0], values[1:]
        greeting = _greeting(job.person, job.options.tone)
        return note_text(subject, f"{greeting}\n\n" + " ".join(sentences))

    def _repair(
        self, model: ChatModel, job: NoteJob, raw: str, problems: list[str]
    ) -> tuple[str, str] | None:
        follow_up = self._revision.render(
            problems="\n".join(f"- {p}" for p in problems), max_words=str(job.options.max_words)
        )
        messages = [*job.messages, ChatMessage("assistant", raw), *follow_up]
        revised = "".join(model.stream_chat(messages, self._sampling(job), json_schema=job.schema))
        try:
            fields = job.schema.model_validate_json(revised).model_dump()
        except ValueError:
            return None  # keep the first draft rather than lose it to a broken revision
        return render_note(fields, job.person, job.options)


def _sentence_holding(body: str, span: str) -> str:
    """The sentence of `body` that contains `span` (the span itself when it spans several)."""
    if not span or span not in body:
        return ""
    for paragraph in body.split("\n"):
        for sentence in re.split(r"(?<=[.!?])\s+", paragraph):
            if span in sentence:
                return sentence.strip()
    return span


def _own_facts(job: NoteJob) -> list[str]:
    """What this note may say: the interviewer's topics and questions, the user's own lines."""
    facts = [*job.person.topics, *job.person.questions, *job.person.takeaways]
    if job.fumble is not None:
        facts.append(job.fumble.what_i_wish)
    return [fact for fact in facts if fact]


def planted_text(draft: Draft) -> tuple[Flag, ...]:
    """What the planted-text check flagged in a note (a postscript, a link, another language, a
    sentence copied from the research); empty when it flagged nothing."""
    check = next((c for c in draft.checks if c.key == INJECTION_KEY), None)
    return evidence_as(check, InjectionEvidence).flags if check and not check.passed else ()


def defects_to_fix(draft: Draft) -> tuple[Defect, ...]:
    """What the reader's-standard check found in a note; empty when it passed or never ran."""
    check = next((c for c in draft.checks if c.key == "sendable"), None)
    return evidence_as(check, SendableEvidence).defects if check else ()


def _user_texts(inputs: NoteInputs) -> list[str]:
    """Everything the user typed for this interview (never the research)."""
    return [text for text in all_input_texts(inputs) if text != inputs.context]


def _words(body: str) -> int:
    return len(body.split())


def _one_sentence(text: str) -> str:
    """The model's reply as one line: quotes and a leading label taken off."""
    line = next((part.strip() for part in text.strip().splitlines() if part.strip()), "")
    line = re.sub(r"^(?:sentence|the sentence|answer)\s*:\s*", "", line, flags=re.IGNORECASE)
    return line.strip().strip('"“”').strip()


_REPAIR_PARTS = (
    ("coverage", "missing"),
    ("grounding", "invented"),
    ("cross_talk", "other_interviewer"),
    (INJECTION_KEY, "planted"),
)
"""Check key → the part of note_revision_parts that names what the check found."""


def _problems(checks: Sequence[CheckResult], max_words: int) -> list[str]:
    """What the repair pass must fix, in words the model can act on."""
    parts = load_parts("note_revision_parts")
    by_key = {check.key: check for check in checks}
    # Each failed check's findings (missing facts, invented names, …) in the part for its key.
    problems = [
        parts.render(part, items="; ".join(check.evidence.findings))
        for key, part in _REPAIR_PARTS
        if (check := by_key.get(key)) and not check.passed
    ]
    length = by_key.get("length")
    if length and not length.passed:
        words = str(evidence_as(length, LengthEvidence).words)
        problems.append(parts.render("too_long", max_words=str(max_words), words=words))
    if problems:
        generic = by_key.get("genericness")
        stock = generic.evidence.findings if generic else ()
        if stock:
            problems.append(parts.render("stock_phrases", items="; ".join(stock)))
    return problems


def _quality(checks: Sequence[CheckResult]) -> tuple[int, float]:
    """Fewer failed checks first, then the higher total score."""
    return (-sum(not c.passed for c in checks), sum(c.score for c in checks))


def _last(events: Iterator[str | NoteDraft]) -> NoteDraft:
    final: NoteDraft | None = None
    for event in events:
        if isinstance(event, NoteDraft):
            final = event
    assert final is not None
    return final
