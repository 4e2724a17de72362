"""Typed settings, read from `DEBRIEF_*` environment variables (and Streamlit secrets for keys)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from platformdirs import user_data_dir
from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ENV_PREFIX = "DEBRIEF_"
API_KEY_VARIABLES = ("DEBRIEF_LLM_API_KEY", "OPENAI_API_KEY")


def default_data_dir() -> Path:
    """The per-user data directory (e.g. ~/.local/share/debrief on Linux)."""
    return Path(user_data_dir("debrief", appauthor=False))


def default_threads() -> int:
    """llama.cpp is fastest with one thread per physical core; leave nothing idle on 2 cores."""
    return max(1, os.cpu_count() or 1)


class Settings(BaseSettings):
    """Everything a user can configure. Every field has a `DEBRIEF_<NAME>` environment variable."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_file=None,
        extra="ignore",
        validate_default=True,
        frozen=True,
    )

    data_dir: Path = Field(
        default_factory=default_data_dir,
        description="Where records, the index and the assembled model live.",
    )
    llm_provider: Literal["embedded", "openai_compatible"] = Field(
        default="embedded",
        description="`embedded` runs llama.cpp in-process; `openai_compatible` uses llm_base_url.",
    )
    llm_base_url: str | None = Field(
        default=None,
        description="Base URL of an OpenAI-compatible server, e.g. http://127.0.0.1:11434/v1.",
    )
    llm_api_key: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices(*API_KEY_VARIABLES),
        description="API key for the custom endpoint (falls back to OPENAI_API_KEY). Never shown.",
    )
    llm_model: str | None = Field(
        default=None,
        description="Model id on the custom endpoint, e.g. gpt-4o-mini or llama3.1:8b.",
    )
    llm_timeout_s: float = Field(
        default=120.0,
        gt=0,
        description="Seconds to wait for one LLM request before giving up.",
    )
    llm_max_retries: int = Field(
        default=2,
        ge=0,
        le=10,
        description="Retries on connection errors, 429 and 5xx (with backoff).",
    )
    embedded_model: Literal["qwen2.5-coder-1.5b", "gemma-3-270m"] = Field(
        default="qwen2.5-coder-1.5b",
        description="Packaged GGUF to assemble and serve. gemma-3-270m is the fast test model.",
    )
    model_path: Path | None = Field(
        default=None,
        description="Serve this GGUF file instead of a packaged model (no sha256 is known for it).",
    )
    threads: int = Field(
        default_factory=default_threads,
        ge=1,
        le=256,
        description="CPU threads llama.cpp uses for generation.",
    )
    chroma_host: str | None = Field(
        default=None,
        validation_alias=AliasChoices("DEBRIEF_CHROMA_HOST", "CHROMA_HOST"),
        description="Use the Chroma server at this host instead of the embedded index.",
    )
    chroma_port: int = Field(
        default=8000,
        ge=1,
        le=65535,
        validation_alias=AliasChoices("DEBRIEF_CHROMA_PORT", "CHROMA_PORT"),
        description="Port of the Chroma server (with DEBRIEF_CHROMA_HOST).",
    )
    context_size: int = Field(
        default=4096,
        ge=512,
        le=131072,
        description="Context window (tokens) of the embedded model.",
    )

    @field_validator("llm_base_url")
    @classmethod
    def _check_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        value = value.strip().rstrip("/")
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"must start with http:// or https:// (got {value!r})")
        return value

    @field_validator("data_dir", "model_path")
    @classmethod
    def _expand(cls, value: Path | None) -> Path | None:
        return None if value is None else value.expanduser()

    @model_validator(mode="after")
    def _check_provider(self) -> Settings:
        if self.llm_provider == "openai_compatible":
            missing = [
                f"{ENV_PREFIX}{name.upper()}"
                for name, value in (
                    ("llm_base_url", self.llm_base_url),
                    ("llm_model", self.llm_model),
                )
                if not value
            ]
            if missing:
                raise ValueError(
                    "llm_provider=openai_compatible needs " + " and ".join(missing) + " to be set"
                )
        return self

    def public_view(self) -> dict[str, str]:
        """The effective configuration with the API key reduced to set/unset."""
        view: dict[str, str] = {}
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, SecretStr):
                view[name] = "set (hidden)"
            elif value is None:
                view[name] = "-" if name != "llm_api_key" else "not set"
            else:
                view[name] = str(value)
        return view


def load_settings(**overrides: object) -> Settings:
    """Read settings from the environment; raise `ConfigurationError` with a readable message."""
    from pydantic import ValidationError

    from debrief.errors import ConfigurationError

    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            where = ".".join(str(part) for part in err["loc"]) or "settings"
            env = f"{ENV_PREFIX}{where.upper()}" if err["loc"] else where
            problems.append(f"{env}: {err['msg']}")
        raise ConfigurationError(
            "The configuration is not valid: " + "; ".join(problems),
            hint="Fix or unset these environment variables (see the README, 'Configuration').",
        ) from None
