"""Rule-based note and plan checks, on one realistic interview with three interviewers."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from debrief.checks.notes import check_note
from debrief.checks.notes.coverage import coverage
from debrief.checks.notes.cross_talk import cross_talk
from debrief.checks.notes.distinctness import distinctness
from debrief.checks.notes.grounding import grounding
from debrief.checks.notes.inputs import NoteInputs, PersonFacts, note_facts
from debrief.checks.notes.length import length
from debrief.checks.plan import PlanStepInput, plan_concreteness
from debrief.checks.types import LengthEvidence, evidence_to_json

INTERVIEW_DAY = date(2025, 11, 18)  # a Tuesday
NEXT_INTERVIEW = date(2025, 12, 2)

MARIA = PersonFacts(
    name="Maria Chen",
    title="Engineering Manager",
    topics=("Kafka billing migration", "on-call rotation"),
    questions=("How would you handle a partition rebalance during a deploy?",),
)
DEV = PersonFacts(
    name="Dev Patel",
    title="Staff Engineer",
    topics=("splitting invoicing out of the monolith", "contract tests"),
    questions=("Walk me through a service boundary you drew.",),
)
PRIYA = PersonFacts(
    name="Priya Raman",
    title="Product Lead",
    topics=("customer-facing invoice disputes",),
    questions=("How do you explain a technical trade-off to a customer?",),
)
PANEL = (MARIA, DEV, PRIYA)


def inputs_for(person: PersonFacts, **overrides: Any) -> NoteInputs:
    inputs = NoteInputs(
        company="Northwind Logistics",
        role="Senior Backend Engineer",
        interviewer=person,
        others=tuple(other for other in PANEL if other is not person),
        interview_date=INTERVIEW_DAY,
        stage="onsite",
        candidate_name="Alex Kim",
    )
    if person is MARIA:
        inputs = replace(
            inputs,
            fumbled_question=MARIA.questions[0],
            clarification="pause consumers with cooperative rebalancing and idempotent writes",
        )
    return replace(inputs, **overrides)


MARIA_NOTE = """Subject: Thank you — Senior Backend Engineer interview

Dear Maria,

Thank you for walking me through the Kafka billing migration at Northwind Logistics. Your point \
about keeping the on-call rotation sane while two billing paths run side by side stuck with me.

You asked how I would handle a partition rebalance during a deploy, and I rushed it. What I \
meant: pause consumers with cooperative rebalancing and rely on idempotent writes, so a replayed \
event cannot bill a customer twice.

I would like to help your team land that migration as its next Senior Backend Engineer, and to \
learn how you run engineering management across two time zones.

Best regards,
Alex Kim"""

DEV_NOTE = """Dear Dev,

Your sketch of how invoicing could be split out of the monolith was the clearest part of my day \
at Northwind Logistics. I keep thinking about the seam you pointed to, where invoice numbering \
still reads from the orders table.

On contract tests: I said I had used them, but not how. On my last team we ran consumer-driven \
contracts on every pull request, so each service could ship without a shared staging \
environment.

Your question about a service boundary I drew made me want to work on exactly this problem, \
with a staff engineer who thinks this carefully about seams.

Best,
Alex Kim"""

PRIYA_NOTE = """Hi Priya,

I keep coming back to the customer-facing invoice disputes you described, the ones opened \
because a credit note and an invoice arrive out of order. It is rare to hear a product lead \
talk about failure modes in that much detail.

You asked how I explain a technical trade-off to a customer. A better answer than mine: show \
what they will see on the invoice under each option, not the architecture behind it.

I would enjoy building the Senior Backend Engineer side of those fixes with you at Northwind.

Warm regards,
Alex Kim"""

GOOD_NOTES = {MARIA: MARIA_NOTE, DEV: DEV_NOTE, PRIYA: PRIYA_NOTE}


# --------------------------------------------------------------------------------------------
# Per-note checks
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("person", PANEL, ids=lambda person: person.name)
def test_a_good_note_passes_every_per_note_check(person: PersonFacts) -> None:
    results = check_note(GOOD_NOTES[person], inputs_for(person))

    assert [result.key for result in results] == [
        "coverage",
        "cross_talk",
        "grounding",
        "length",
        "genericness",
    ]
    failed = {result.key: result.comment for result in results if not result.passed}
    assert failed == {}
    for result in results:
        json.dumps(
            evidence_to_json(result.evidence)
        )  # evidence goes to SQLite and the eval report as JSON
        assert 0.0 <= result.score <= 1.0


def test_note_facts_list_this_interviewers_facts_in_order() -> None:
    facts = note_facts(inputs_for(DEV))

    assert [(fact.kind, fact.text) for fact in facts] == [
        ("name", "Dev Patel"),
        ("title", "Staff Engineer"),
        ("company", "Northwind Logistics"),
        ("role", "Senior Backend Engineer"),
        ("topic", "splitting invoicing out of the monolith"),
        ("topic", "contract tests"),
        ("question", "Walk me through a service boundary you drew."),
    ]


def test_coverage_fails_and_names_the_missing_topics() -> None:
    note = """Dear Maria,

Thank you for your time at Northwind Logistics. I enjoyed our conversation and I am excited \
about the Senior Backend Engineer role.

Best regards,
Alex Kim"""

    result = coverage(note, inputs_for(MARIA))

    assert not result.passed
    assert "Kafka billing migration" in result.evidence.missing
    assert "on-call rotation" in result.evidence.missing
    assert "Kafka billing migration" in result.comment
    assert "on-call rotation" in result.comment
    assert result.evidence.found == (
        "Maria Chen",
        "Northwind Logistics",
        "Senior Backend Engineer",
    )


@pytest.mark.parametrize(
    ("fact", "note_text", "cited"),
    [
        ("Kafka billing migration", "migrating billing onto Kafka", True),
        ("Kafka billing migration", "the billing work", False),
        ("on-call rotation", "the on call rotations", True),
        ("contract tests", "contract testing", True),
        ("contract tests", "your tests", False),
        ("cutting p99 latency to 200 ms", "getting p99 latency down to 200 ms", True),
        ("cutting p99 latency to 200 ms", "getting p99 latency down to 300 ms", False),
    ],
)
def test_coverage_matches_topics_tolerantly_but_numbers_exactly(
    fact: str, note_text: str, cited: bool
) -> None:
    person = PersonFacts(name="Maria Chen", topics=(fact,))
    inputs = NoteInputs(company="Northwind Logistics", role="Backend Engineer", interviewer=person)

    result = coverage(f"Dear Maria, I enjoyed {note_text} at Northwind.", inputs)

    assert (fact in result.evidence.found) is cited


@pytest.mark.parametrize(
    ("kind", "text", "note_text"),
    [
        ("name", "Maria Chen", "Thanks, Maria."),
        ("name", "Maria Chen", "Thank you, Ms. Chen."),
        ("title", "Engineering Manager", "how you approach engineering management"),
        ("company", "Northwind Logistics", "Northwind's platform team"),
    ],
)
def test_coverage_accepts_first_name_title_variants_and_the_brand(
    kind: str, text: str, note_text: str
) -> None:
    result = coverage(note_text, inputs_for(MARIA))

    per_fact = {(item.kind, item.text): item for item in result.evidence.per_fact}
    assert (kind, text) in per_fact
    assert text in result.evidence.found


def test_cross_talk_catches_another_interviewers_topic() -> None:
    note = MARIA_NOTE.replace(
        "stuck with me.", "stuck with me, as did the plan to split invoicing out of the monolith."
    )

    result = cross_talk(note, inputs_for(MARIA))

    assert not result.passed
    assert result.score < 1.0
    assert result.evidence.leaked[0].fact == "splitting invoicing out of the monolith"
    assert result.evidence.leaked[0].owner == "Dev Patel"
    assert "Dev Patel" in result.comment


@pytest.mark.parametrize(
    ("addition", "leaked_facts"),
    [
        ("I also enjoyed meeting Dev.", ["Dev Patel"]),
        (
            "Wrong totals become invoice disputes for customers.",
            ["customer-facing invoice disputes"],
        ),
        # One shared word, the company, or a lowercase "dev" are not someone else's facts.
        ("A wrong invoice is expensive.", []),
        ("Northwind Logistics clearly cares about this.", []),
        ("It worked on my dev machine.", []),
    ],
)
def test_cross_talk_table(addition: str, leaked_facts: list[str]) -> None:
    note = MARIA_NOTE.replace("stuck with me.", f"stuck with me. {addition}")

    result = cross_talk(note, inputs_for(MARIA))

    assert [item.fact for item in result.evidence.leaked] == leaked_facts
    assert result.passed is (not leaked_facts)


def test_a_topic_both_interviewers_discussed_is_not_cross_talk() -> None:
    maria = PersonFacts("Maria Chen", topics=("contract tests for the billing service",))
    dev = PersonFacts("Dev Patel", topics=("contract tests",))
    inputs = NoteInputs("Northwind", "Backend Engineer", maria, others=(dev,))

    result = cross_talk("Dear Maria, your contract tests idea was great.", inputs)

    assert result.passed


@pytest.mark.parametrize(
    ("sentence", "invented"),
    [
        (
            "I also appreciated Jennifer from HR explaining the timeline.",
            [("Jennifer", "name"), ("HR", "organisation")],
        ),
        ("Jennifer mentioned the timeline.", [("Jennifer", "name")]),
        ("I would love to join your 12-person team.", [("12-person", "number")]),
        ("It is impressive that Northwind has run Kafka since 2015.", [("2015", "date")]),
        ("As the VP of Engineering said, it matters.", [("VP of Engineering", "title")]),
        ("I have worked with Kafka for six months.", [("six months", "number")]),
        ("Growth of 40% is remarkable.", [("40%", "number")]),
        ("Thank you for meeting on Wednesday, November 18.", [("Wednesday, November 18", "date")]),
        ("I met the director of engineering too.", [("director of engineering", "title")]),
    ],
)
def test_grounding_flags_invented_facts_with_offsets(
    sentence: str, invented: list[tuple[str, str]]
) -> None:
    note = MARIA_NOTE.replace("stuck with me.", f"stuck with me. {sentence}")

    result = grounding(note, inputs_for(MARIA))

    assert not result.passed
    found = [(item.text, item.kind) for item in result.evidence.invented]
    assert found == invented
    for item in result.evidence.invented:
        assert note[item.start : item.end] == item.text
        assert item.start == note.index(item.text)
        assert item.text in result.comment


@pytest.mark.parametrize(
    "sentence",
    [
        "Thank you for meeting with me on Tuesday, November 18, 2025.",
        "Thank you for meeting with me on 18 November.",
        "Thank you for the interview on 11/18 (2025-11-18).",
        "Ms. Chen, Northwind's Kafka work impressed me.",
        "Priya Raman and Dev Patel were generous with their time.",
        "I can send an update by Friday.",
        "The notes are in [link to portfolio].",
        "Reflecting on it, Kafka-based billing is a good fit for both teams.",
    ],
)
def test_grounding_accepts_what_the_user_gave_us(sentence: str) -> None:
    note = MARIA_NOTE.replace("stuck with me.", f"stuck with me. {sentence}")

    result = grounding(note, inputs_for(MARIA))

    assert result.evidence.invented == ()
    assert result.passed


def test_grounding_ignores_greeting_and_sign_off_boilerplate() -> None:
    note = (
        f"Dear Hiring Team,\n\n{body_paragraphs(MARIA_NOTE)}\n\n"
        "Thank you for your time and consideration,\nAlex Kim"
    )

    result = grounding(note, inputs_for(MARIA))

    assert result.passed, result.evidence


def test_grounding_uses_the_retrieved_context_and_flags_an_unknown_signature() -> None:
    note = "Dear Maria,\n\nYour move to Confluent Cloud in 2023 makes sense.\n\nBest,\nSam Ortiz"
    context = "Northwind moved to Confluent Cloud in 2023."

    result = grounding(note, inputs_for(MARIA, candidate_name="", context=context))

    assert [item.text for item in result.evidence.invented] == ["Sam Ortiz"]


@pytest.mark.parametrize(
    ("words", "max_words", "passed"),
    [(150, 150, True), (151, 150, False), (10, 150, True)],
)
def test_length_allows_no_slack(words: int, max_words: int, passed: bool) -> None:
    note = "Subject: Thank you for the onsite interview today\n\n" + " ".join(["word"] * words)

    result = length(note, max_words)

    assert result.passed is passed
    assert result.evidence == LengthEvidence(words, max_words)
    assert ("cut 1 " in result.comment) is (words == max_words + 1)


# --------------------------------------------------------------------------------------------
# Distinctness
# --------------------------------------------------------------------------------------------

GOOD_BY_NAME = {person.name: note for person, note in GOOD_NOTES.items()}
TEMPLATE_LINE = "Thank you for meeting with me on November 18."


def test_three_genuinely_different_notes_pass() -> None:
    result = distinctness(GOOD_BY_NAME)

    assert result.passed, result.comment
    assert len(result.evidence.pairs) == 3
    assert 0.0 < result.score <= 1.0
    json.dumps(evidence_to_json(result.evidence))


def test_the_same_note_with_names_swapped_fails() -> None:
    copy = MARIA_NOTE.replace("Maria", "Dev")

    result = distinctness({"Maria Chen": MARIA_NOTE, "Dev Patel": copy})

    assert not result.passed
    assert result.score == 0.0
    pair = result.evidence.pairs[0]
    assert pair.jaccard > 0.9
    assert pair.cosine > 0.9


def with_opening(note: str, sentence: str) -> str:
    """The note with `sentence` opening its first body paragraph."""
    paragraphs = note.split("\n\n")
    first_body = next(
        index
        for index, paragraph in enumerate(paragraphs)
        if not paragraph.startswith(("Subject:", "Dear", "Hi"))
    )
    paragraphs[first_body] = f"{sentence} {paragraphs[first_body]}"
    return "\n\n".join(paragraphs)


def test_one_templated_sentence_in_every_note_fails() -> None:
    notes = {name: with_opening(note, TEMPLATE_LINE) for name, note in GOOD_BY_NAME.items()}

    result = distinctness(notes)

    assert not result.passed
    assert result.score == 0.0
    assert TEMPLATE_LINE in result.comment
    for pair in result.evidence.pairs:
        assert [shared.a for shared in pair.shared_sentences] == [TEMPLATE_LINE]
        assert pair.jaccard < 0.2 and pair.cosine < 0.6


def test_a_shared_sentence_is_found_after_replacing_the_interviewers_names() -> None:
    maria = MARIA_NOTE.replace("Your point", "Maria, it was a pleasure to meet you. Your point")
    dev = DEV_NOTE.replace("Your sketch", "Dev, it was a pleasure to meet you. Your sketch")

    result = distinctness({"Maria Chen": maria, "Dev Patel": dev})

    assert not result.passed
    assert len(result.evidence.pairs[0].shared_sentences) == 1


def body_paragraphs(note: str) -> str:
    """The note's paragraphs between the greeting and the sign-off."""
    paragraphs = note.split("\n\n")
    return "\n\n".join(paragraphs[2:-1] if note.startswith("Subject:") else paragraphs[1:-1])


@pytest.mark.parametrize(
    "sign_off",
    [
        "Thank you again,\nAlex Kim\nalex.kim@example.com",
        "Thank you for your time and consideration,\nAlex Kim",
        "Best regards,\n[Your Name]",
    ],
)
def test_greeting_and_sign_off_lines_are_not_shared_sentences(sign_off: str) -> None:
    notes = {
        name: f"Dear Hiring Team,\n\n{body_paragraphs(note)}\n\n{sign_off}"
        for name, note in GOOD_BY_NAME.items()
    }

    result = distinctness(notes)

    assert result.passed, result.comment
    assert all(not pair.shared_sentences for pair in result.evidence.pairs)


def test_an_injected_postscript_in_two_notes_is_caught() -> None:
    postscript = "\n\nP.S. I accept a lower salary."
    notes = dict(GOOD_BY_NAME)
    notes["Maria Chen"] += postscript
    notes["Dev Patel"] += postscript

    result = distinctness(notes)

    assert not result.passed
    assert "I accept a lower salary" in result.comment


@pytest.mark.parametrize("notes", [{}, {"Maria Chen": MARIA_NOTE}])
def test_nothing_to_compare_passes(notes: dict[str, str]) -> None:
    result = distinctness(notes)

    assert result.passed
    assert result.score == 1.0
    assert "nothing to compare" in result.comment


# --------------------------------------------------------------------------------------------
# Plan concreteness
# --------------------------------------------------------------------------------------------

CAUSES = ("unprepared_question", "company_research", "narrative")
GOOD_PLAN = (
    PlanStepInput(
        action="Write three STAR stories about incident response",
        due_date=date(2025, 11, 21),
        done_when="3 stories written, each under 2 minutes out loud",
        cause="unprepared_question",
    ),
    PlanStepInput(
        action="Research the company's latest product launches",
        due_date=date(2025, 11, 25),
        done_when="one-page summary saved in my notes",
        cause="company_research",
    ),
    PlanStepInput(
        action="Rehearse the elevator pitch with a friend",
        due_date=date(2025, 12, 1),
        done_when="rehearsed twice and recorded once",
        cause="narrative",
    ),
)


def plan_check(steps: tuple[PlanStepInput, ...]) -> tuple[bool, float, list[str]]:
    result = plan_concreteness(
        steps, interview_date=INTERVIEW_DAY, next_date=NEXT_INTERVIEW, kept_causes=CAUSES
    )
    problems = [problem for step in result.evidence.steps for problem in step.problems]
    return result.passed, result.score, problems + list(result.evidence.problems)


def test_a_good_plan_passes() -> None:
    passed, score, problems = plan_check(GOOD_PLAN)

    assert (passed, score, problems) == (True, 1.0, [])


def replace_first(**changes: Any) -> tuple[PlanStepInput, ...]:
    return (replace(GOOD_PLAN[0], **changes), *GOOD_PLAN[1:])


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"action": "Think about my weaknesses"}, "vague (“Think about”)"),
        ({"action": "Try to be more confident"}, "vague (“Try to”)"),
        ({"action": "Be more confident"}, "vague (“Be”)"),
        ({"action": "Review the job description again"}, "vague"),
        ({"action": "Prepare a response to the unprepared_question"}, "internal name"),
        ({"action": "Research the company's latest product launches"}, "repeats step 1"),
        ({"done_when": "I feel ready"}, "nothing you could check"),
        ({"done_when": "10 minutes"}, "nothing you could check"),
        ({"done_when": "Completed"}, "nothing you could check"),
        ({"done_when": "3 stories written by 20 November"}, "before the step is due"),
        ({"cause": "rapport"}, "a cause you did not keep (rapport)"),
    ],
)
def test_a_flawed_step_fails_with_the_reason(changes: dict[str, object], reason: str) -> None:
    passed, score, problems = plan_check(replace_first(**changes))

    assert not passed
    assert score == pytest.approx(2 / 3)
    assert len(problems) == 1
    assert reason in problems[0]


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"due_date": date(2025, 12, 3)}, "after the next interview"),
        ({"due_date": INTERVIEW_DAY}, "before the interview"),
    ],
)
def test_a_step_out_of_the_window_fails_the_plan(changes: dict[str, object], reason: str) -> None:
    passed, score, problems = plan_check(replace_first(**changes))

    assert (passed, score) == (False, 0.0)
    assert any(reason in problem for problem in problems)


def test_every_step_on_one_day_fails_when_the_window_is_longer() -> None:
    one_day = tuple(replace(step, due_date=date(2025, 11, 21)) for step in GOOD_PLAN)

    passed, _, problems = plan_check(one_day)

    assert not passed and "every step is due Fri 21 Nov" in problems[-1]


def test_the_due_date_may_be_the_day_of_the_next_interview() -> None:
    passed, _, _ = plan_check(replace_first(due_date=NEXT_INTERVIEW))

    assert passed


@pytest.mark.parametrize("count", [2, 8])
def test_a_plan_needs_three_to_seven_steps(count: int) -> None:
    steps = (GOOD_PLAN * 3)[:count]

    passed, score, problems = plan_check(steps)

    assert not passed
    assert score == 0.0
    assert f"the plan has {count} steps; it needs 3 to 7" in problems
