"""The prompts and index text the services build are byte-identical to the captured fixture.

The fixture was captured before the wording moved from the services into `prompts/`; the eval
cache and the recorded generations are keyed by these bytes, so any change must be deliberate
(regenerate the fixture as `tests/unit/rendered_prompts.py` says, and re-run the evals).
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path

import pytest

from tests.unit.rendered_prompts import rendered_prompts

FIXTURE = Path(__file__).parents[1] / "fixtures" / "rendered_prompts.json"
EXPECTED: dict[str, str] = json.loads(FIXTURE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def rendered() -> dict[str, str]:
    return rendered_prompts()


def test_the_same_things_are_rendered(rendered: dict[str, str]) -> None:
    assert sorted(rendered) == sorted(EXPECTED)


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_rendered_text_is_unchanged(rendered: dict[str, str], key: str) -> None:
    if rendered.get(key) != EXPECTED[key]:
        diff = difflib.unified_diff(
            EXPECTED[key].splitlines(), rendered.get(key, "").splitlines(), "before", "now"
        )
        pytest.fail(f"{key} changed:\n" + "\n".join(diff))


def test_the_fixture_covers_every_branch() -> None:
    """Both note versions, a fumble and none, topics and none, every repair problem."""
    users = [
        text.split("=== user\n", 1)[1] for k, text in EXPECTED.items() if k.startswith("notes/")
    ]
    assert any("badly" in u and "You have no notes" in u for u in users)
    assert any("badly" in u and "Topics we discussed" in u for u in users)
    assert any("badly" not in u and "You have no notes" in u for u in users)
    assert any("badly" not in u and "Questions" in u and "Topics" not in u for u in users)
    assert any("Title:" not in u for u in users) and any("Title:" in u for u in users)
    assert {k.split("/")[2] for k in EXPECTED if k.startswith(("notes/", "eval/"))} == {"v1", "v2"}
    problems = EXPECTED["problems/every kind"].splitlines()
    assert len(problems) == 5
    assert sum(k.startswith("eval/") for k in EXPECTED) >= 18 * 2
