"""evals.cases: the committed case files, the case format's errors and the case hash."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from debrief.errors import InputError
from evals.cases import interview_hash, load_case, load_cases, title_as_role
from evals.run_options import CASES_DIR
from evals.scoring import forbidden_strings
from tests.evals.scripted import TWO_PEOPLE


def test_the_committed_cases_cover_the_issue() -> None:
    cases = load_cases()
    assert len(cases) >= 15
    industries = {case.case_id.split("_")[0] for case in cases}
    assert industries >= {"software", "nursing", "retail", "finance", "teaching", "design"}
    assert {len(case.interviewer_names) for case in cases} >= {1, 2, 3, 4}
    people = [p for case in cases for p in case.spec.interviewers]
    assert any(not p.topics and not p.questions for p in people), "an interviewer with no topics"
    assert any("assistant" in r.text.lower() for c in cases for r in c.spec.research)
    assert any(s.question and not s.what_i_wish for c in cases for s in c.spec.stumbles)
    assert any(s.what_i_wish for c in cases for s in c.spec.stumbles)
    similar = [c for c in cases if "similar_names" in c.case_id]
    assert len(similar) >= 1
    for case in cases:
        assert case.about, f"{case.case_id}: say what makes the case hard"
        for name in case.interviewer_names:
            expectation = case.expect[name]
            assert expectation.must_not_contain, f"{case.case_id}/{name}: nothing forbidden"


def test_similar_names_are_similar() -> None:
    for case in load_cases(str(CASES_DIR / "*similar_names*.yaml")):
        first, second = case.interviewer_names
        assert first.split()[0][:4] == second.split()[0][:4]


@pytest.mark.parametrize(
    ("edit", "error"),
    [
        (lambda t: t + "\ntemperature: 0.3\n", "not a valid eval case"),
        (lambda t: t.replace("  Dev Patel:\n", "  Dev Patil:\n"), "unknown interviewers"),
        (lambda t: t.split("  Dev Patel:\n")[0], "no entry for Dev Patel"),
        (lambda t: t.replace("max_words", "x") + "max_words: 5\n", "not a valid eval case"),
        (lambda t: t.replace("company: Northwind Logistics\n", ""), "does not describe"),
    ],
)
def test_bad_case_files_are_named_errors(tmp_path: Path, edit: Any, error: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(edit(TWO_PEOPLE), encoding="utf-8")
    with pytest.raises(InputError, match=error):
        load_case(path)


def test_the_case_hash_ignores_expectations_and_formatting(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(TWO_PEOPLE, encoding="utf-8")
    original = load_case(path).content_hash
    path.write_text(TWO_PEOPLE.replace("[Maria, Kafka]", "[Maria, Kafka, Chen]") + "\n# x\n")
    assert load_case(path).content_hash == original
    path.write_text(TWO_PEOPLE.replace("contract tests]", "contract testing]"))
    assert load_case(path).content_hash != original
    assert interview_hash(load_case(path).spec) == load_case(path).content_hash


def test_no_cases_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="No eval cases"):
        load_cases(str(tmp_path / "*.yaml"))


def test_common_expectations_apply_to_every_note() -> None:
    case = load_cases(limit=1)[0]
    for expectation in case.expect.values():
        assert "croissant" in expectation.must_not_contain


@pytest.mark.parametrize(
    ("title", "role", "forbidden"),
    [
        ("Design Lead", "Product Designer", True),
        ("FP&A Manager", "FP&A Analyst", True),
        ("", "Product Designer", False),
        ("Senior Backend Engineer", "Backend Engineer", False),  # the same job, more or less
        ("Store Manager", "Store Manager", False),
    ],
)
def test_a_note_must_not_name_the_interviewers_title_as_the_job(
    title: str, role: str, forbidden: bool
) -> None:
    phrases = title_as_role(title, role)
    assert bool(phrases) == forbidden
    if forbidden:
        text = f"I would bring this to the {title} role at Quill."
        assert not forbidden_strings(text, phrases).passed
        assert forbidden_strings(f"I would bring this to the {role} role.", phrases).passed


def test_a_case_without_takeaways_hashes_as_before_takeaways_existed() -> None:
    """The recordings of unchanged cases stay valid when the interview format gains a field."""
    import json

    from evals.run_options import RECORDED_DIR

    case = next(c for c in load_cases() if c.case_id == "design_brand_lead_one")
    recorded = next((RECORDED_DIR / "design_brand_lead_one").glob("thank_you_note@v1-*.json"))
    assert case.content_hash == json.loads(recorded.read_text())["key"]["case_hash"]
