"""The small set of errors a user can meet. Each carries a message and what to do next."""

from __future__ import annotations


class DebriefError(Exception):
    """Base for errors shown to the user: `message` says what happened, `hint` what to do."""

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} {self.hint}".strip()


class ConfigurationError(DebriefError):
    """A setting is missing or invalid."""


class ModelNotFoundError(DebriefError):
    """The GGUF file (or the packages it is assembled from) is not there."""


class ModelIntegrityError(DebriefError):
    """The model file is corrupt: wrong sha256, not a GGUF, or llama.cpp cannot load it."""


class LLMError(DebriefError):
    """Any failure talking to the LLM endpoint."""


class LLMUnreachableError(LLMError):
    """Nothing answers at the endpoint URL."""


class LLMTimeoutError(LLMError):
    """The endpoint did not answer within the configured timeout."""


class LLMRateLimitedError(LLMError):
    """The endpoint said 429: too many requests (or out of quota)."""


class LLMAuthError(LLMError):
    """The endpoint rejected the API key."""


class LLMBadResponseError(LLMError):
    """The endpoint answered with an error status or something that is not a chat completion."""


class LLMStreamIncompleteError(LLMError):
    """A streamed answer stopped before the model finished; `partial` holds what arrived."""

    def __init__(self, message: str, *, partial: str, hint: str = "") -> None:
        super().__init__(message, hint=hint)
        self.partial = partial


class LLMOutputInvalidError(LLMError):
    """Structured output did not match the requested schema; `raw` holds the model's text."""

    def __init__(self, message: str, *, raw: str, hint: str = "") -> None:
        super().__init__(message, hint=hint)
        self.raw = raw


class InputError(DebriefError):
    """The user's input cannot be used as it is (empty, too long, ...)."""
