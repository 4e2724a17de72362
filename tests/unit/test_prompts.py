from __future__ import annotations

import re

import pytest

from debrief.records.models import Reflection
from prompts import (
    PromptError,
    _parse,
    _parse_parts,
    _parse_table,
    load_parts,
    load_prompt,
    load_reflection_questions,
    load_table,
    prompt_files,
)


def _name_and_version(file_name: str) -> tuple[str, int]:
    name, version = re.match(r"(.+)\.v(\d+)\.md", file_name).groups()  # type: ignore[union-attr]
    return name, int(version)


@pytest.mark.parametrize("file_name", prompt_files("chat"))
def test_every_prompt_renders_with_all_its_variables(file_name: str) -> None:
    prompt = load_prompt(*_name_and_version(file_name))
    values = {var: f"<<{var}>>" for var in prompt.variables}
    messages = prompt.render(**values)
    text = "\n".join(m.content for m in messages)
    for var in prompt.variables:
        assert f"<<{var}>>" in text, f"{var} is declared but never shown to the model"
    assert not re.search(r"\{[a-z_]+\}", text), "an unfilled placeholder is left"
    assert prompt.purpose and len(prompt.content_hash) == 16
    assert messages and all(m.content.strip() for m in messages)


def test_there_is_at_least_one_prompt_of_each_kind() -> None:
    assert "quick_draft.v1.md" in prompt_files("chat")
    assert "thank_you_note_parts.v1.md" in prompt_files("parts")
    assert "reflection_questions.v1.md" in prompt_files("table")


def test_missing_and_unknown_variables_are_errors() -> None:
    prompt = load_prompt("quick_draft")
    with pytest.raises(PromptError, match="missing variables \\['max_words'\\]"):
        prompt.render(request="x")
    with pytest.raises(PromptError, match="unknown variables \\['tone'\\]"):
        prompt.render(request="x", max_words="5", tone="warm")


@pytest.mark.parametrize("literal", ["{x}", "{{x}}", "{user.__class__}", "{request}", "} {"])
def test_template_syntax_in_user_text_reaches_the_model_literally(literal: str) -> None:
    messages = load_prompt("quick_draft").render(
        request=f"Note about {literal} here", max_words="9"
    )
    assert messages[-1].content == f"Note about {literal} here"


GOOD = "---\npurpose: test\nvariables: a\n---\n## system\nBe brief.\n## user\n{a}\n"


@pytest.mark.parametrize(
    ("file_name", "text", "error"),
    [
        ("bad name.md", GOOD, "named"),
        ("p.v1.md", "## system\nx\n", "header"),
        ("p.v1.md", GOOD.replace("variables: a", "variables: a, b"), "declared variables"),
        ("p.v1.md", GOOD.replace("variables: a", "variables:"), "declared variables"),
        ("p.v1.md", GOOD.replace("## user\n{a}", "## user\n"), "empty"),
        ("p.v1.md", GOOD.replace("---\n## system", "---\nstray\n## system"), "before the first"),
    ],
)
def test_malformed_prompt_files_are_refused(file_name: str, text: str, error: str) -> None:
    with pytest.raises(PromptError, match=error):
        _parse(file_name, text)


def test_unknown_prompt_or_version() -> None:
    with pytest.raises(PromptError):
        load_prompt("no_such_prompt")
    with pytest.raises(PromptError, match="versions"):
        load_prompt("quick_draft", 99)


# -- parts: named pieces of prompt text that code puts together --------------------------------


@pytest.mark.parametrize("file_name", prompt_files("parts"))
def test_every_part_renders_with_all_its_variables(file_name: str) -> None:
    parts = load_parts(*_name_and_version(file_name))
    assert parts.kind == "parts" and parts.purpose and len(parts.content_hash) == 16
    used: set[str] = set()
    for name in parts.names:
        variables = parts.variables_of(name)
        text = parts.render(name, **{v: f"<<{v}>>" for v in variables})
        for var in variables:
            assert f"<<{var}>>" in text
        assert not re.search(r"\{[a-z_]+\}", text), "an unfilled placeholder is left"
        assert text.strip() == text and text
        used |= variables
    assert used == parts.variables


def test_the_services_parts_files_have_the_parts_they_use() -> None:
    assert load_parts("thank_you_note_parts").names == (
        "interview_facts",
        "interviewer_name",
        "interviewer_title",
        "topics_heading",
        "questions_heading",
        "no_notes",
        "repair_request",
    )
    assert set(load_parts("note_revision_parts").names) == {
        "missing",
        "invented",
        "other_interviewer",
        "planted",
        "too_long",
        "stock_phrases",
    }


def test_a_part_with_missing_or_unknown_variables_is_an_error() -> None:
    parts = load_parts("note_revision_parts")
    with pytest.raises(PromptError, match=r"## too_long: missing variables \['words'\]"):
        parts.render("too_long", max_words="150")
    with pytest.raises(PromptError, match=r"unknown variables \['words'\]"):
        parts.render("missing", items="x", words="3")
    with pytest.raises(PromptError, match="no part 'nope'"):
        parts.render("nope")


def test_braces_in_values_reach_the_text_literally() -> None:
    text = load_parts("note_revision_parts").render("missing", items="{items} and {{x}}")
    assert text.endswith(": {items} and {{x}}")


PARTS = "---\npurpose: test\nkind: parts\nvariables: a, b\n---\n## one\nA {a}.\n\n## two\nB {b}.\n"


def test_a_parts_file_is_parsed_part_by_part() -> None:
    parts = _parse_parts("p.v1.md", PARTS)
    assert parts.names == ("one", "two") and parts.ref == "p@v1"
    assert parts.render("one", a="x") == "A x."
    assert parts.variables_of("two") == {"b"}


@pytest.mark.parametrize(
    ("text", "error"),
    [
        (PARTS.replace("variables: a, b", "variables: a"), "declared variables"),
        (PARTS.replace("variables: a, b", "variables: a, b, c"), "declared variables"),
        (PARTS.replace("## two", "## one"), "appears twice"),
        (PARTS.replace("B {b}.", "").replace(", b", ""), "empty"),
        (PARTS.replace("---\n## one", "---\nstray\n## one"), "before the first"),
        (PARTS.replace("kind: parts", "kind: chat"), "not a parts file"),
        (PARTS.replace("kind: parts", "kind: poem"), "kind 'poem'"),
    ],
)
def test_malformed_parts_files_are_refused(text: str, error: str) -> None:
    with pytest.raises(PromptError, match=error):
        _parse_parts("p.v1.md", text)


def test_each_loader_takes_only_its_kind() -> None:
    with pytest.raises(PromptError, match="parts file"):
        load_prompt("thank_you_note_parts")
    with pytest.raises(PromptError, match="not parts"):
        load_parts("thank_you_note")
    with pytest.raises(PromptError, match="not a table"):
        load_table("note_revision_parts")
    with pytest.raises(PromptError, match="not a chat prompt"):
        _parse("p.v1.md", PARTS)


# -- tables: short texts in rows, e.g. the reflection questions --------------------------------


@pytest.mark.parametrize("file_name", prompt_files("table"))
def test_every_table_loads_with_full_rows(file_name: str) -> None:
    table = load_table(*_name_and_version(file_name))
    assert table.kind == "table" and table.purpose and len(table.content_hash) == 16
    assert table.rows and all(len(row) == len(table.columns) for row in table.rows)


TABLE = "---\npurpose: t\nkind: table\n---\n| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |\n"


def test_a_table_file_is_parsed_row_by_row() -> None:
    table = _parse_table("t.v1.md", TABLE)
    assert table.columns == ("a", "b") and table.rows == (("1", "2"), ("3", "4"))


@pytest.mark.parametrize(
    ("text", "error"),
    [
        (TABLE.replace("| 3 | 4 |", "| 3 |"), "non-empty cells"),
        (TABLE.replace("| 3 | 4 |", "| 3 |  |"), "non-empty cells"),
        (TABLE.replace("|---|---|", "| x | y |"), "separator"),
        (TABLE.replace("| 1 | 2 |\n| 3 | 4 |\n", ""), "one Markdown table"),
        (TABLE.replace("| 3 | 4 |", "3 | 4"), "one Markdown table"),
        (TABLE.replace("kind: table", "kind: table\nvariables: a"), "no variables"),
    ],
)
def test_malformed_tables_are_refused(text: str, error: str) -> None:
    with pytest.raises(PromptError, match=error):
        _parse_table("t.v1.md", text)


def test_the_reflection_questions_are_the_reflections_answers_in_order() -> None:
    answers = tuple(name for name, f in Reflection.model_fields.items() if f.annotation is str)
    questions = load_reflection_questions()
    assert tuple(q.field for q in questions) == answers
