"""The first page's one-off draft: a free-form request, answered as a stream."""

from __future__ import annotations

from collections.abc import Iterator

from debrief.errors import InputError
from debrief.llm.connection import ChatModelSource
from debrief.llm.model_files import ProgressCallback, no_progress
from debrief.llm.types import Sampling, StreamStats
from debrief.text_safety import clean_user_text
from debrief.tokens import count_tokens
from prompts import load_prompt

MAX_WORDS = 180
ANSWER_TOKENS = 400
# cl100k counts differ from the model's own tokenizer by up to ~15%; keep room for that.
_TOKENIZER_MARGIN = 0.85


class QuickDraftService:
    """Streams a short draft for a free-form request."""

    def __init__(self, llm: ChatModelSource, context_size: int) -> None:
        self._llm = llm
        self._prompt = load_prompt("quick_draft")
        fixed = count_tokens("\n".join(text for _, text in self._prompt.sections))
        self.max_request_tokens = max(
            64, int((context_size - ANSWER_TOKENS - fixed) * _TOKENIZER_MARGIN)
        )

    @property
    def prompt_ref(self) -> str:
        return self._prompt.ref

    def validate(self, request: str) -> str:
        """The cleaned request, or `InputError` saying what to change."""
        cleaned = clean_user_text(request)
        if not cleaned:
            raise InputError("Write what you would like drafted first.")
        tokens = count_tokens(cleaned)
        if tokens > self.max_request_tokens:
            raise InputError(
                f"The request is too long for the model's context ({tokens} tokens; "
                f"the limit is {self.max_request_tokens}).",
                hint="Shorten it, or keep only what the draft needs.",
            )
        return cleaned

    def stream(
        self,
        request: str,
        progress: ProgressCallback = no_progress,
        stats: StreamStats | None = None,
    ) -> Iterator[str]:
        """Validate, make sure the model is ready, then yield the draft as it is written."""
        cleaned = self.validate(request)
        model = self._llm.get(progress)
        messages = self._prompt.render(request=cleaned, max_words=str(MAX_WORDS))
        yield from model.stream_chat(messages, Sampling(max_tokens=ANSWER_TOKENS), stats)
