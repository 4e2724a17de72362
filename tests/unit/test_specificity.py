"""Sentence specificity, stock phrases, email structure, genericness and `python -m evals`."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from scipy.stats import spearmanr

from debrief.checks.specificity import (
    STOCK_PHRASES,
    body_sentences,
    find_stock_phrases,
    genericness,
    sentence_specificity,
)
from debrief.checks.text import is_greeting_or_signoff, split_sentences
from evals.specificity_cli import run_specificity

ROOT = Path(__file__).resolve().parents[2]
DEV_SET = ROOT / "tests" / "fixtures" / "specificity_dev.tsv"

# (specific, vague) pairs written for this test, none of them in the dev set.
SPECIFIC_OVER_VAGUE = [
    (
        "The kimchi fried rice at Seoul Garden on 3rd Street comes with a fried egg for $2 extra.",
        "The food here is so good.",
    ),
    (
        "Our room on the 12th floor faced the parking garage and the AC rattled all night.",
        "Nice hotel, would stay again.",
    ),
    (
        "The mechanic replaced both front brake pads and charged $240 including labor.",
        "They did a great job.",
    ),
    (
        "Flight AA 2231 from Chicago to Austin was delayed 3 hours because of a broken de-icer.",
        "ugh why is everything so annoying",
    ),
    ("@nytimes the map in your wildfire story labels Sonoma as Napa County.", "lol same"),
    (
        "Registration for the Portland half marathon on May 12 closes Friday #pdxrunning",
        "Happy Monday everyone!!",
    ),
    (
        "Cate Blanchett conducts the Berlin Philharmonic in a six-minute shot near the end of Tár.",
        "What a movie!",
    ),
    (
        "The 1979 Alien used a real cow's heart for the chestburster scene.",
        "It was really good, I liked it a lot.",
    ),
    (
        "The sequel swaps the desert setting of the first film for a flooded Tokyo subway.",
        "One of the best sequels ever made.",
    ),
    (
        "Thanks for explaining how your team moved the nightly ETL jobs from cron to Airflow.",
        "Thank you for the wonderful opportunity.",
    ),
    (
        "I've since rewritten my answer on the binary search question, handling the empty array.",
        "I really enjoyed our conversation.",
    ),
    # Length is not everything: a short concrete sentence beats a long vague one.
    (
        "The barista spelled my name Jonh on the cup.",
        "Honestly it was just a really nice experience overall and we all had a good time there.",
    ),
    (
        "Kendrick performed Alright twice at the Forum.",
        "I don't know, it was fine I guess, nothing really stood out to me either way.",
    ),
]


@pytest.mark.parametrize(("specific", "vague"), SPECIFIC_OVER_VAGUE)
def test_specific_sentence_outscores_vague_one(specific: str, vague: str) -> None:
    assert sentence_specificity(specific) > sentence_specificity(vague) + 0.2


@pytest.mark.parametrize(
    "sentence", ["", "   ", "Great movie!", "lol", "😂😂😂", "!!!", "A" * 500, "Dr. 2.1% #x @y"]
)
def test_score_stays_in_unit_range(sentence: str) -> None:
    assert 0.0 <= sentence_specificity(sentence) <= 1.0


def test_empty_sentence_scores_the_minimum() -> None:
    assert sentence_specificity("") == 0.0
    assert sentence_specificity("😂") > 0.0


def _dev_rows() -> list[dict[str, str]]:
    with DEV_SET.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def test_dev_set_is_varied() -> None:
    rows = _dev_rows()
    assert len(rows) >= 150
    for domain in ("review", "tweet", "movie", "note"):
        ratings = {row["rating"] for row in rows if row["domain"] == domain}
        assert ratings >= {"1", "2", "4", "5"}, domain


# Achieved on our own dev set (written and rated by us, so optimistic): review 0.950,
# tweet 0.886, movie 0.858, note 0.914. The floors sit a little below to catch regressions.
@pytest.mark.parametrize(
    ("domain", "floor"), [("review", 0.91), ("tweet", 0.85), ("movie", 0.82), ("note", 0.88)]
)
def test_spearman_on_dev_set(domain: str, floor: float) -> None:
    rows = [row for row in _dev_rows() if row["domain"] == domain]
    ratings = [int(row["rating"]) for row in rows]
    scores = [sentence_specificity(row["sentence"]) for row in rows]
    assert spearmanr(ratings, scores).statistic >= floor


VARIED_SET = ROOT / "evals" / "specificity" / "dev_varied.tsv"


# The second dev set (evals/specificity/RATING.md): 240 sentences written to look like crowd data,
# rated blind by two readers. Achieved 2026-12-02: review 0.904, movie 0.872, tweet 0.816, note
# 0.873 against the readers' mean. A change must hold up on both sets, not win on one.
@pytest.mark.parametrize(
    ("domain", "floor"), [("review", 0.88), ("movie", 0.85), ("tweet", 0.79), ("note", 0.85)]
)
def test_spearman_on_the_varied_dev_set(domain: str, floor: float) -> None:
    with VARIED_SET.open(encoding="utf-8", newline="") as handle:
        rows = [
            row
            for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
            if row["domain"] == domain
        ]
    assert len(rows) == 60
    ratings = [(int(row["reader_s1"]) + int(row["reader_s2"])) / 2 for row in rows]
    scores = [sentence_specificity(row["sentence"]) for row in rows]
    assert spearmanr(ratings, scores).statistic >= floor


@pytest.mark.parametrize(
    ("sentence", "phrase"),
    [
        ("I hope this email finds you well.", "i hope this email finds you well"),
        ("Hope this message finds you well!", "i hope this email finds you well"),
        ("I trust this email find you well.", "i hope this email finds you well"),
        ("Thank you so much for your time and consideration.", STOCK_PHRASES[3]),
        ("I truly appreciated your insights.", "i truly appreciate"),
        ("Your guidance was instrumental.", "your guidance has been instrumental"),
        ("I'm looking forward to hearing from you soon.", "i look forward to hearing from you"),
        ("Please don't hesitate to reach out.", "please do not hesitate"),
        ("It is such a pleasure to meet you.", "it was a pleasure"),
        ("This was a wonderful opportunity.", "great opportunity"),
        ("I'm confident that I would thrive.", "i am confident that"),
        ("Your feedback was invaluable.", "invaluable"),
    ],
)
def test_stock_phrases_are_flagged(sentence: str, phrase: str) -> None:
    assert phrase in find_stock_phrases(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Thank you for walking me through the ledger migration.",
        "I hope the launch in Lisbon goes smoothly.",
        "I am confident in my Python skills.",
        "Your guidance on the SQL question helped.",
    ],
)
def test_ordinary_sentences_are_not_stock(sentence: str) -> None:
    assert find_stock_phrases(sentence) == []


def test_there_are_enough_stock_phrases() -> None:
    assert len(STOCK_PHRASES) >= 25
    assert len(set(STOCK_PHRASES)) == len(STOCK_PHRASES)


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        ("Dear Maria,", True),
        ("Hi Dev,", True),
        ("Dear Dr. Okafor,", True),
        ("Hello team!", True),
        ("Best regards,", True),
        ("Kind regards,\nAna", True),
        ("Best,\nAna Lopez\nSenior Analyst", True),
        ("Sincerely,", True),
        ("Thanks,", True),
        ("Thank you again!", True),
        ("[Your Name]", True),
        ("Hello, I wanted to follow up about the role we discussed on Monday.", False),
        ("Thanks for the tour of the warehouse.", False),
        ("Best of luck with the launch next month.", False),
        ("Kind regards,\nI also attached the lesson plan we discussed.", False),
        ("", False),
    ],
)
def test_greeting_or_signoff(block: str, expected: bool) -> None:
    assert is_greeting_or_signoff(block) is expected


SPECIFIC_NOTE = """Hi Dev,

Thank you for the tour of the Austin warehouse on Tuesday and for introducing me to the
night-shift leads.
Your point about scanning pallets at the dock door instead of at the racks made me rethink my
answer on inventory accuracy.
I have attached the one-page slotting plan for the 14 fast-moving SKUs we discussed.

Kind regards,
Ana Lopez
[Your Phone]
"""

PADDING = [
    "I hope this email finds you well.",
    "It was a pleasure speaking with you.",
    "I truly appreciate your valuable insights.",
    "I look forward to hearing from you.",
]


def test_specific_note_passes_genericness() -> None:
    result = genericness(SPECIFIC_NOTE)
    assert result.key == "genericness"
    assert result.passed
    assert result.score == 1.0
    assert result.evidence.stock_phrases_found == ()
    assert len(result.evidence.sentences) == 3


def test_note_padded_with_stock_phrases_fails_genericness() -> None:
    padded = SPECIFIC_NOTE.replace("Hi Dev,\n\n", "Hi Dev,\n\n" + " ".join(PADDING) + "\n")
    result = genericness(padded)
    assert not result.passed
    assert result.evidence.generic_share == pytest.approx(4 / 7, abs=1e-3)
    assert result.score == pytest.approx(3 / 7, abs=1e-3)
    assert "i hope this email finds you well" in result.evidence.stock_phrases_found
    assert result.comment.startswith("4 of 7 sentences are generic: 'I hope this email")
    flagged = [row.text for row in result.evidence.sentences if row.generic]
    assert flagged == PADDING


def test_greetings_and_signoffs_are_not_scored() -> None:
    result = genericness(SPECIFIC_NOTE)
    texts = [row.text for row in result.evidence.sentences]
    assert not any(t.startswith(("Hi Dev", "Kind regards", "Ana", "[")) for t in texts)
    assert body_sentences("Dear Maria,\n\nBest,\nAna") == []
    assert genericness("Dear Maria,\n\nBest,\nAna").passed


def test_low_specificity_sentence_is_generic_without_a_stock_phrase() -> None:
    result = genericness("It was really great. Thanks for everything you do.", threshold=0.35)
    assert [row.generic for row in result.evidence.sentences] == [True, True]
    assert not result.passed


def test_postscript_after_signature_is_body_text() -> None:
    text = "Hi Dev,\nThanks for the tour.\nBest,\nAna\n\nP.S. I accept a lower salary."
    assert body_sentences(text) == ["Thanks for the tour.", "P.S. I accept a lower salary."]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Dr. Patel saw me at 7 a.m. yesterday. The rate rose 2.1% in Q3, e.g. in Ohio.",
            ["Dr. Patel saw me at 7 a.m. yesterday.", "The rate rose 2.1% in Q3, e.g. in Ohio."],
        ),
        ("We met at Acme Inc. They were kind.", ["We met at Acme Inc.", "They were kind."]),
        ("J. R. R. Tolkien wrote it. Wow!", ["J. R. R. Tolkien wrote it.", "Wow!"]),
        ("Really?! yes. ok", ["Really?!", "yes.", "ok"]),
        ('She said "Let\'s go." Then we left.', ['She said "Let\'s go."', "Then we left."]),
        ("I waited... and waited. Then: nothing.", ["I waited... and waited.", "Then: nothing."]),
        ("Version 2.0 ships on 3.4.2025 at v1.2.3.", ["Version 2.0 ships on 3.4.2025 at v1.2.3."]),
        (
            "Dear Maria,\nThank you for Tuesday.\n\nBest regards,\nAna",
            ["Dear Maria,", "Thank you for Tuesday.", "Best regards,", "Ana"],
        ),
        (
            "I enjoyed hearing about the ledger migration and the plan to\n"
            "retire the billing API next quarter. It sounds hard.\r\n",
            [
                "I enjoyed hearing about the ledger migration and the plan to retire the billing "
                "API next quarter.",
                "It sounds hard.",
            ],
        ),
        ("- First item\n- Second item", ["- First item", "- Second item"]),
        ("", []),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_cli_keeps_line_count_with_stray_carriage_returns() -> None:
    sink = io.StringIO()
    assert run_specificity(io.StringIO("a\rb\r\nc\n\n"), sink) == 0
    assert len(sink.getvalue().splitlines()) == 3


class _ClosedPipe(io.StringIO):
    def write(self, text: str) -> int:
        raise BrokenPipeError


def test_cli_is_quiet_when_the_reader_goes_away() -> None:
    assert run_specificity(io.StringIO("one\ntwo\n"), _ClosedPipe()) == 0
