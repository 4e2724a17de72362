"""The unit the index stores: one text with the metadata its search filters need.

What a document says is decided by the application (`debrief.services.history_documents`);
the index only chunks, embeds and filters it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

DocumentKind = str  # what the record is, e.g. "reflection"; filters select by it


@dataclass(frozen=True)
class IndexDocument:
    kind: DocumentKind
    record_id: int
    text: str
    title: str
    interview_id: int | None = None
    company: str = ""
    day: date | None = None
    cause_tags: tuple[str, ...] = field(default_factory=tuple)

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.record_id}"
