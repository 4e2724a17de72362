"""Interviews as the user enters them: who was there, where it went wrong, company research."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from pydantic import ValidationError

from debrief import intake
from debrief.checks.rewrite import reads_as_jotting
from debrief.errors import InputError
from debrief.intake import ResearchText
from debrief.records.models import CompanyResearch, Interview, Interviewer, Stumble
from debrief.services.history import HistoryService
from debrief.services.interview_file import InterviewSpec, read_interview_file, store_interview

# The example the Start page offers: two interviewers, a fumbled question, and research with an
# injected instruction, so every part of the flow has something to show.
EXAMPLE_FILE = "software_two_interviewers.yaml"


@dataclass(frozen=True)
class InterviewDetails:
    """One interview with everything that belongs to it, as the Interview page shows it."""

    interview: Interview
    people: tuple[Interviewer, ...]
    stumbles: tuple[Stumble, ...]
    research: tuple[CompanyResearch, ...]


class InterviewService:
    """Create, read, update and delete interviews; bring in company research."""

    def __init__(self, history: HistoryService, examples_dir: Path | None = None) -> None:
        self._history = history
        self._examples_dir = examples_dir

    # -- reads ----------------------------------------------------------------------------

    def all(self) -> list[Interview]:
        """Every interview, oldest first."""
        return self._history.store.list_interviews()

    def get(self, interview_id: int) -> Interview:
        """One interview; `RecordNotFoundError` when it no longer exists."""
        return self._history.store.get_interview(interview_id)

    def people(self, interview_id: int) -> list[Interviewer]:
        return self._history.store.list_interviewers(interview_id)

    def details(self, interview_id: int) -> InterviewDetails:
        store = self._history.store
        return InterviewDetails(
            store.get_interview(interview_id),
            tuple(store.list_interviewers(interview_id)),
            tuple(store.list_stumbles(interview_id)),
            tuple(store.list_research(interview_id)),
        )

    @staticmethod
    def jottings(lines: Sequence[str]) -> list[str]:
        """The candidate's own lines a note could only paste in as written, not as a sentence
        ("90 covers Sat, 7-course tasting Thu-Fri"): the form suggests writing them out."""
        return [line for line in lines if line.strip() and reads_as_jotting(line)]

    def companies(self) -> list[str]:
        """The companies interviewed with, sorted, each once."""
        return sorted({interview.company for interview in self.all()})

    # -- writes ---------------------------------------------------------------------------

    def save(
        self,
        interview: Interview,
        people: Sequence[Interviewer],
        stumbles: Sequence[tuple[Stumble, str | None]],
    ) -> Interview:
        """Save an interview as the form shows it: people and stumbles not listed are removed.

        `stumbles` pairs each stumble with the name of the interviewer it belongs to (or None).
        """
        return self._history.save_interview_with_people(interview, people, stumbles)

    def add_from_spec(self, spec: InterviewSpec) -> int:
        """Store an interview read from a YAML/JSON file; returns its id."""
        return store_interview(self._history, spec)

    def has_example(self) -> bool:
        """True when the example interview file is there to load."""
        return self._examples_dir is not None and (self._examples_dir / EXAMPLE_FILE).is_file()

    def add_example(self, now: datetime | None = None) -> int:
        """Store the example interview as if it had been held two hours ago; returns its id.

        The file's dates are moved by the same amount, so the 24-hour window for the notes is
        open and the next interview (which the plan runs up to) is still ahead.
        """
        if self._examples_dir is None:
            raise InputError("No example interviews are installed with this copy of Debrief.")
        spec = read_interview_file(self._examples_dir / EXAMPLE_FILE)
        now = now or datetime.now()
        held = now.replace(minute=0, second=0, microsecond=0) - timedelta(hours=2)
        shift = held - spec.held_at
        next_at = spec.next_interview_at + shift if spec.next_interview_at else None
        stage = f"{spec.stage} (example)" if spec.stage else "example"
        moved = spec.model_copy(
            update={"held_at": held, "next_interview_at": next_at, "stage": stage}
        )
        return store_interview(self._history, moved)

    def set_email(self, person: Interviewer, email: str) -> Interviewer:
        """Keep an interviewer's e-mail address (the note's `To:`); empty clears it."""
        try:
            updated = Interviewer.model_validate(
                person.model_dump() | {"email": email.strip() or None}
            )
        except ValidationError:
            raise InputError("That e-mail address is too long (at most 254 characters).") from None
        self._history.update_interviewer(updated)
        return updated

    def delete(self, interview_id: int) -> None:
        """Delete an interview and everything that belongs to it."""
        self._history.delete_interview(interview_id)

    # -- company research -----------------------------------------------------------------

    def add_pasted_research(self, interview_id: int, text: str) -> CompanyResearch:
        return self._add_research(interview_id, intake.research_from_paste(text))

    def add_research_file(self, interview_id: int, file_name: str, data: bytes) -> CompanyResearch:
        """A .txt, .md, .pdf or .html file; `InputError` for anything else."""
        return self._add_research(interview_id, intake.research_from_file(file_name, data))

    def add_research_url(self, interview_id: int, address: str) -> CompanyResearch:
        """Fetch a public web page (never a private or loopback address) and keep its text."""
        return self._add_research(interview_id, intake.research_from_url(address))

    def delete_research(self, research_id: int) -> None:
        self._history.delete_research(research_id)

    def _add_research(self, interview_id: int, research: ResearchText) -> CompanyResearch:
        company = self.get(interview_id).company
        return self._history.add_research_text(research, interview_id=interview_id, company=company)
