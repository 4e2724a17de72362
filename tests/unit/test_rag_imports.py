"""`rag/` is a generic index: of this project it imports only token counting and the errors."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

RAG = Path(__file__).parents[2] / "rag"
FIRST_PARTY = {"debrief", "prompts", "evals", "app_pages", "app", "bench", "tests"}
ALLOWED = {"debrief.tokens", "debrief.errors"}


def project_imports(source: str) -> set[str]:
    """What a source file imports from this project outside `rag`.

    `from debrief import tokens` counts as `debrief.tokens` (a submodule or a name, alike).
    """
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            package = node.module in FIRST_PARTY  # `from debrief import tokens`
            names = [f"{node.module}.{a.name}" for a in node.names] if package else [node.module]
        else:
            continue
        found.update(name for name in names if name.split(".")[0] in FIRST_PARTY)
    return found


@pytest.mark.parametrize("path", sorted(RAG.glob("*.py")), ids=lambda p: p.name)
def test_rag_knows_nothing_of_the_domain(path: Path) -> None:
    imported = project_imports(path.read_text(encoding="utf-8"))
    assert imported <= ALLOWED, f"rag/{path.name} imports {sorted(imported - ALLOWED)}"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from debrief.records.models import Interview", {"debrief.records.models"}),
        ("from debrief import services, tokens", {"debrief.services", "debrief.tokens"}),
        ("import debrief.settings as s", {"debrief.settings"}),
        ("from prompts import load_prompt", {"prompts.load_prompt"}),
        ("from debrief.errors import InputError", {"debrief.errors"}),
        ("from rag.index import Hit\nfrom .chunking import chunk_text\nimport numpy", set()),
        (
            "def f():\n    from debrief.services.history import HistoryService",
            {"debrief.services.history"},
        ),
    ],
)
def test_every_kind_of_import_is_seen(source: str, expected: set[str]) -> None:
    assert project_imports(source) == expected
