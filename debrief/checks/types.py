"""Typed results shared by every check (app, services and evals use the same ones)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class CheckResult:
    # key: "coverage", "cross_talk", "grounding", "distinctness", "genericness", "length",
    # "plan_concreteness"
    key: str
    score: float  # 0..1, higher is better
    passed: bool
    comment: str  # one plain sentence for the user
    evidence: dict[str, Any] = field(default_factory=dict)
