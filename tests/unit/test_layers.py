"""The layers contract: data flows one way, pages → services → prompts/rag/LLM → stores.

Pages (and the entry file) receive services and typed results only. Read by parsing the source,
so the contract holds for code paths no other test runs.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted([ROOT / "app.py", *(ROOT / "app_pages").glob("*.py")])

# What a page may not import: the stores, the index, prompt text, the checks' internals, the LLM
# adapters and the network. (`debrief.llm.types` holds typed results such as StreamStats.)
FORBIDDEN_IN_PAGES = (
    "debrief.records.store",
    "debrief.records.migrations",
    "debrief.services.history",
    "debrief.checks",
    "debrief.intake",
    "debrief.llm.client",
    "debrief.llm.connection",
    "debrief.llm.embedded",
    "debrief.llm.model_files",
    "rag",
    "prompts",
    "evals",
    "openai",
    "chromadb",
    "sqlite3",
    "httpx",
    "langchain_core",
)
# Attributes through which a page would reach past the services.
FORBIDDEN_ATTRIBUTES = frozenset({"history", "store", "records"})


def _imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def _is_within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_pages_import_only_services_and_typed_results(page: Path) -> None:
    offending = [
        f"{page.name}:{line} imports {module}"
        for line, module in _imports(page)
        if any(_is_within(module, forbidden) for forbidden in FORBIDDEN_IN_PAGES)
    ]
    assert offending == []


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_pages_do_not_reach_past_the_services(page: Path) -> None:
    tree = ast.parse(page.read_text(encoding="utf-8"), filename=str(page))
    offending = [
        f"{page.name}:{node.lineno} uses .{node.attr}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and (
            node.attr in FORBIDDEN_ATTRIBUTES
            or (node.attr.startswith("_") and not node.attr.startswith("__"))
        )
    ]
    assert offending == []


@pytest.mark.parametrize(
    ("package", "may_not_import"),
    [
        ("debrief", ("app_pages", "streamlit", "evals", "bench", "tests")),
        ("rag", ("app_pages", "streamlit", "evals", "bench", "prompts", "debrief.services")),
        ("prompts", ("app_pages", "streamlit", "evals", "bench", "debrief.services", "rag")),
    ],
)
def test_lower_layers_never_import_upper_ones(
    package: str, may_not_import: tuple[str, ...]
) -> None:
    offending = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in sorted((ROOT / package).rglob("*.py"))
        for line, module in _imports(path)
        if any(_is_within(module, upper) for upper in may_not_import)
    ]
    assert offending == []


def test_the_contract_sees_a_violation(tmp_path: Path) -> None:
    """The parser finds both kinds of reach-past (so a green run means something)."""
    page = tmp_path / "bad.py"
    page.write_text(
        "from debrief.records.store import RecordStore\n"
        "import chromadb\n"
        "rows = services.history.store.list_interviews()\n",
        encoding="utf-8",
    )
    modules = [module for _, module in _imports(page)]
    assert "debrief.records.store" in modules and "chromadb" in modules
    attributes = {
        n.attr for n in ast.walk(ast.parse(page.read_text())) if isinstance(n, ast.Attribute)
    }
    assert {"history", "store"} <= attributes
