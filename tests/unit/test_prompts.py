from __future__ import annotations

import re

import pytest

from prompts import PromptError, _parse, load_prompt, prompt_files


@pytest.mark.parametrize("file_name", prompt_files())
def test_every_prompt_renders_with_all_its_variables(file_name: str) -> None:
    name, version = re.match(r"(.+)\.v(\d+)\.md", file_name).groups()  # type: ignore[union-attr]
    prompt = load_prompt(name, int(version))
    values = {var: f"<<{var}>>" for var in prompt.variables}
    messages = prompt.render(**values)
    text = "\n".join(m.content for m in messages)
    for var in prompt.variables:
        assert f"<<{var}>>" in text, f"{var} is declared but never shown to the model"
    assert not re.search(r"\{[a-z_]+\}", text), "an unfilled placeholder is left"
    assert prompt.purpose and len(prompt.content_hash) == 16
    assert messages and all(m.content.strip() for m in messages)


def test_there_is_at_least_one_prompt() -> None:
    assert "quick_draft.v1.md" in prompt_files()


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
