"""The note frame written by code, and the check that keeps a rewritten line faithful."""

from __future__ import annotations

from datetime import datetime

import pytest

from debrief.checks.rewrite import judge_rewrite, reads_as_jotting, tidy_line
from debrief.records.models import Interview, Interviewer
from debrief.services import note_frame
from debrief.services.note_frame import addressee

INTERVIEW = Interview(
    id=1, company="Kestrel Outdoor", role="Brand Design Lead", held_at=datetime(2026, 11, 24, 10)
)


def person(name: str = "Natalie Brennan", **fields: object) -> Interviewer:
    return Interviewer(id=1, interview_id=1, name=name, **fields)


@pytest.mark.parametrize(
    ("name", "tone", "expected"),
    [
        ("Natalie Brennan", "warm", "Dear Natalie,"),
        ("Natalie Brennan", "formal", "Dear Natalie Brennan,"),
        ("Natalie Brennan", "brief", "Hi Natalie,"),
        ("Dr. Amara Osei", "warm", "Dear Dr. Osei,"),
        ("Dr Amara Osei", "brief", "Hi Dr. Osei,"),
        ("Mr. Paul Grant", "formal", "Dear Mr. Grant,"),
        ("Professor Ingrid Solberg", "warm", "Dear Professor Solberg,"),
        ("Reverend Paul Ashby", "warm", "Dear Reverend Ashby,"),
        ("ms. caroline webb", "warm", "Dear Ms. webb,"),
        ("Sgt. Ann Bell", "warm", "Dear Sgt. Bell,"),
        ("Capt Ravi Menon", "formal", "Dear Capt. Menon,"),
        ("Cllr Joan Hart", "warm", "Dear Cllr Hart,"),
        ("Gen. Ann Smith", "warm", "Dear Gen. Smith,"),  # a dotted abbreviation is a title
        ("Sir Elton John", "warm", "Dear Sir Elton,"),  # Sir and Dame take the first name
        ("Prof. Dr. Anna Weber", "formal", "Dear Prof. Dr. Weber,"),
        ("Cher", "warm", "Dear Cher,"),
        ("Dr", "warm", "Dear Dr,"),  # a bare honorific is a name, not an honorific
    ],
)
def test_greetings_never_name_an_honorific_alone(name: str, tone: str, expected: str) -> None:
    assert note_frame.greeting(person(name), tone) == expected  # type: ignore[arg-type]


def test_the_first_name_skips_an_honorific() -> None:
    assert note_frame.first_name("Dr. Amara Osei") == "Amara"
    assert addressee("Prof. Daniel Whitcombe").last == "Whitcombe"


def test_the_opening_names_this_persons_topics_and_lowers_a_capitalised_common_word() -> None:
    maria = person(topics=["Crew scheduling overhaul", "the NHS 111 pilot", "Kafka streams"])
    assert note_frame.opening(INTERVIEW, maria) == (
        "Thank you for talking with me on Tuesday about crew scheduling overhaul, "
        "the NHS 111 pilot and Kafka streams."
    )
    assert note_frame.opening(INTERVIEW, person()) == (
        "Thank you for taking the time to meet with me on Tuesday about the Brand Design Lead role."
    )


def test_openings_and_closings_differ_between_the_interviewers_of_one_interview() -> None:
    closings = [note_frame.closing(INTERVIEW, position) for position in range(4)]
    assert len(set(closings)) == 4
    assert all("Brand Design Lead" in closing for closing in closings)
    maria = person(topics=["the logo"])
    openings = [note_frame.opening(INTERVIEW, maria, position) for position in range(4)]
    assert len(set(openings)) == 4 and all("the logo" in opening for opening in openings)
    # With no topics the opening names the role, so the closing does not name it again.
    assert note_frame.closing(INTERVIEW, 0, names_role=False) == (
        "I hope we can continue the conversation about joining Kestrel Outdoor."
    )


@pytest.mark.parametrize(
    ("topics", "expected"),
    [
        (["a", "b"], "a and b"),
        (["a", "b", "c"], "a, b and c"),
        (["the robot and its volume", "ward stock"], "the robot and its volume, and ward stock"),
        (
            ["wholesale bread for cafés, delivered before 5 a.m.", "allergen labels"],
            "wholesale bread for cafés, delivered before 5 a.m., and allergen labels",
        ),
        (
            ["bread for cafés, before 5 a.m.", "allergen labels", "the rota"],
            "bread for cafés, before 5 a.m.; allergen labels; and the rota",
        ),
    ],
)
def test_topics_join_into_one_readable_phrase(topics: list[str], expected: str) -> None:
    joined = note_frame.join_phrases([note_frame._as_running_text(t) for t in topics])
    assert joined == expected


def test_a_note_is_greeting_opening_sentences_repair_closing_and_sign_off() -> None:
    subject, body = note_frame.assemble(
        INTERVIEW,
        person(topics=["refreshing the logo"]),
        tone="warm",
        candidate_name="Ravi Kapoor",
        position=0,
        sentences=["I would keep the older customers in the first round of testing."],
        repair="I would agree a baseline before launch.",
    )
    assert subject == "Thank you — Brand Design Lead interview"
    assert body == (
        "Dear Natalie,\n\n"
        "Thank you for talking with me on Tuesday about refreshing the logo. "
        "I would keep the older customers in the first round of testing.\n\n"
        "I would agree a baseline before launch.\n\n"
        "I would welcome the chance to join Kestrel Outdoor in the Brand Design Lead role.\n\n"
        "Best regards,\nRavi Kapoor"
    )


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "what stuck with me: the robot picks about 1,800 items a day",
            "What stuck with me: the robot picks about 1,800 items a day.",
        ),
        ("I'd add a weekly 10-minute stand-up", "I'd add a weekly 10-minute stand-up."),
        ("3 clinics, ~120 shots each", "What stayed with me: 3 clinics, ~120 shots each."),
    ],
)
def test_a_line_used_as_written_is_tidied_and_stays_the_users(line: str, expected: str) -> None:
    assert note_frame.takeaway_as_written(line) == expected


def test_a_clarification_used_as_written_follows_a_lead_in() -> None:
    assert note_frame.repair_as_written("Track brand search volume against a baseline") == (
        "Since we spoke, I have thought more about your question: I would track brand search "
        "volume against a baseline."
    )


def test_a_hint_asks_for_the_candidates_own_line_only_when_there_is_none() -> None:
    assert (
        "Crew scheduling overhaul".lower()
        in note_frame.hint(person(topics=["Crew scheduling overhaul"])).lower()
    )
    assert note_frame.hint(person(takeaways=["I'd add a rota app"])) == ""


LINE = "my unit moved to Cerner in 2024, 3 clinics with ~120 shots each"


@pytest.mark.parametrize(
    ("sentence", "ok", "reason"),
    [
        ("My unit moved to Cerner in 2024, and I ran 3 clinics of ~120 shots each.", True, ""),
        ("My unit moved to Epic in 2024, and I ran 3 clinics of ~120 shots each.", False, "names"),
        ("My unit moved to Cerner, and I ran 3 clinics with 1,200 shots in all.", False, "numbers"),
        ("My unit moved to Cerner in 2024, and I ran three clinics of ~120 shots each.", True, ""),
        (
            "Dana said the unit moved to Cerner in 2024 with 3 clinics of ~120 shots each.",
            False,
            "names",
        ),
        (
            "The candidate's unit moved to Cerner in 2024 with 3 clinics of ~120 shots each.",
            False,
            "first person",
        ),
        (
            "I am grateful that my unit moved to Cerner in 2024 with 3 clinics of ~120 shots each.",
            False,
            "filler",
        ),
        (
            "My unit moved to Cerner in 2024. I ran 3 clinics of ~120 shots each.",
            False,
            "more than one",
        ),
        (
            "My unit moved to Cerner in 2024 with 3 clinics of ~120 shots each and",
            False,
            "sentence",
        ),
        ("My unit moved to Cerner 在 2024, 3 clinics of ~120 shots each.", False, "script"),
        ("I moved.", False, "words"),
    ],
)
def test_judge_rewrite(sentence: str, ok: bool, reason: str) -> None:
    verdict = judge_rewrite(sentence, LINE, addressee_names=("Dana", "Whitaker"))
    assert verdict.ok is ok, verdict.reason
    assert reason in verdict.reason


def test_tidy_line() -> None:
    assert tidy_line("  - weekly stand-up  ") == "Weekly stand-up."
    assert tidy_line("Is it? ") == "Is it?"
    assert tidy_line("   ") == ""


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "How would you explain a model override to a regulator?",
            "how I would explain a model override to a regulator",
        ),
        (
            "Why are you leaving your current bank after eight years?",
            "why I am leaving my current bank after eight years",
        ),
        (
            "Which two priorities would you set for your first term?",
            "which two priorities I would set for my first term",
        ),
        ("How do you make a backfill safe to rerun?", "how I make a backfill safe to rerun"),
        (
            "How do you manage a home visit where you suspect domestic abuse?",
            "how I manage a home visit where I suspect domestic abuse",
        ),
        ("How would you explain it to you?", "how I would explain it to me"),
        ("How did you reduce shrinkage in your last store?", ""),  # the tense would go wrong
        ("Tell me about a difficult conversation.", "about a difficult conversation"),
        ("When does a useEffect cleanup function run?", ""),
    ],
)
def test_a_question_asked_of_the_candidate_reads_as_an_indirect_phrase(
    question: str, expected: str
) -> None:
    assert note_frame.indirect_question(question) == expected


def test_the_opening_thanks_for_a_question_other_than_the_fumbled_one() -> None:
    asked = ["How would you explain a model override to a regulator?", "Why are you leaving?"]
    mei = person(topics=["default models"], questions=asked)
    assert note_frame.opening(INTERVIEW, mei) == (
        "Thank you for talking with me on Tuesday about default models, and for asking how I "
        "would explain a model override to a regulator and why I am leaving."
    )
    assert note_frame.opening(INTERVIEW, mei, fumbled=asked[0]) == (
        "Thank you for talking with me on Tuesday about default models, and for asking why I am "
        "leaving."
    )
    no_topics = person(questions=asked[:1])
    assert note_frame.opening(INTERVIEW, no_topics) == (
        "Thank you for meeting with me on Tuesday and for asking how I would explain a model "
        "override to a regulator."
    )


def test_the_second_frame_names_the_question_the_repair_answers() -> None:
    assert note_frame.repair_sentence(
        "I would build it from a hiring plan by month.",
        "How would you forecast headcount cost for a team that hires in waves?",
    ) == (
        "Since we spoke, I have thought more about how I would forecast headcount cost for a "
        "team that hires in waves: I would build it from a hiring plan by month."
    )
    # The first frame (thank_you_note v3) keeps its text.
    assert note_frame.repair_sentence("I would build it.", "How would you do it?", frame=1) == (
        "Since we spoke, I have thought more about your question: I would build it."
    )


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("I'd add: a monthly stock-out review", "I'd add a monthly stock-out review."),
        ("I would suggest: weekly stand-ups", "I would suggest weekly stand-ups."),
    ],
)
def test_a_jotting_after_a_first_person_lead_becomes_a_sentence(line: str, expected: str) -> None:
    assert note_frame.takeaway_as_written(line) == expected


def test_a_company_named_like_an_institution_takes_its_article() -> None:
    university = INTERVIEW.model_copy(update={"company": "University of Eastbrook"})
    assert note_frame.closing(university, 2) == (
        "I am still very keen on the Brand Design Lead role at the University of Eastbrook."
    )


@pytest.mark.parametrize(
    ("line", "jotting"),
    [
        ("90 covers Sat, 7-course tasting Thu-Fri, kitchen of 6", True),
        ("what stuck with me: 410 completions last year with just 3 paralegals", True),
        ("what stuck with me: 35 repairs operatives moving over on 1 February", True),
        ("waits 14 wks -> target 6 wks by Sept", True),
        ("new rota from January", True),
        ("what stuck with me: the bypass is 4.2 km and should open in autumn 2028", False),
        ("what stuck with me: carbapenem use fell 18% after the review sticker", False),
        ("the robot picks about 1,800 items a day", False),
        ("I'd add: a weekly 10-minute stand-up for the night shift", False),  # made a sentence
        ("The clinics run on Tuesdays", False),  # a plain verb form counts
        ("They hire 40 agency temps", False),
        ("3 paralegals handle 410 completions a year", False),
        ("", False),
    ],
)
def test_a_line_the_note_could_only_paste_in_is_a_jotting(line: str, jotting: bool) -> None:
    assert reads_as_jotting(line) is jotting


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "He mentioned that analytics cut fieldwork from 15 days to 11.",
            "What stayed with me: you mentioned that analytics cut fieldwork from 15 days to 11.",
        ),
        ("She told me hangar 2 has four bays.", "You told me hangar 2 has four bays."),
        (
            "She said they are training 6 student nurses and want one nurse to lead their coaching.",
            "What stayed with me: you said you are training 6 student nurses and want one nurse "
            "to lead your coaching.",
        ),
        ("Helen runs the Leeds store", "What stayed with me: Helen runs the Leeds store."),
        (
            "He wants someone who can run the pass",
            "What stayed with me: you want someone who can run the pass.",
        ),
        (
            "She said she is training 6 nurses",
            "What stayed with me: you said you are training 6 nurses.",
        ),
        (
            "She told me that she has 12 beds on her ward",
            "You told me that you have 12 beds on your ward.",
        ),
        ("She said he is retiring in May", "What stayed with me: you said he is retiring in May."),
        (
            "Kitchen does 90 covers on Saturdays",
            "What stayed with me: Kitchen does 90 covers on Saturdays.",
        ),
        ("carbapenem use fell 18%", "What stayed with me: carbapenem use fell 18%."),
        ("the board sees the runway", "What stayed with me: the board sees the runway."),
    ],
)
def test_the_candidates_line_speaks_to_the_interviewer_and_keeps_names(
    line: str, expected: str
) -> None:
    """A line about the interviewer ("He mentioned…") says "you" in the note to them; a name
    the user capitalised is not lowered after the lead-in."""
    assert note_frame.takeaway_as_written(note_frame.addressed(line)) == expected


@pytest.mark.parametrize(
    ("question", "phrase"),
    [
        (
            "Tell me about a time you challenged a client's estimate.",
            "about a time I challenged a client's estimate",
        ),
        ("Walk me through your last rota.", "about my last rota"),
        ("Can you describe how you handle a grievance?", "about how I handle a grievance"),
        ("Tell me about yourself.", "about me"),
        ("Describe what motivates you.", ""),  # "you" not plainly the subject: left out
        ("Tell me about a time you've had to push back.", ""),
        ("Tell me about yourself and your background.", ""),
        ("How would you check a cut slope?", "how I would check a cut slope"),
        ("Do you have a licence?", ""),  # no shape to turn: the question is left out
    ],
)
def test_a_question_asked_as_a_request_is_thanked_for_too(question: str, phrase: str) -> None:
    """ "Tell me about a time you…" was left out of the opening, so the note never named it."""
    assert note_frame.indirect_question(question) == phrase


def test_the_repair_after_a_request_keeps_the_plain_lead_in() -> None:
    sentence = note_frame.repair_sentence(
        "I would pull the journals and test them.", "Tell me about a time you challenged a client."
    )
    assert sentence.startswith("Since we spoke, I have thought more about your question: ")
