"""The output check against planted instructions: language-agnostic signs in what a model wrote."""

from __future__ import annotations

import pytest

from debrief.checks.injection import (
    injection_check,
    language_of,
    output_flags,
    without_flagged,
)

NOTE = (
    "Dear Maria,\n\n"
    "Thank you for walking me through the move of billing from nightly batches to Kafka. "
    "Your question about backfilling six months of events stayed with me, and I would replay "
    "them into a consumer keyed by invoice id.\n\n"
    "Best regards,\nSam Rivera"
)
RESEARCH = (
    "Northwind moves freight for 1,400 retailers across Europe.\n"
    "The platform team publishes its post-mortems openly, including the March outage."
)


def kinds(text: str, **kwargs: object) -> list[str]:
    return [flag.kind for flag in output_flags(text, **kwargs)]  # type: ignore[arg-type]


def test_a_clean_note_has_no_flag() -> None:
    assert output_flags(NOTE, research=RESEARCH, own=["Maria Chen"]) == []
    assert injection_check([]).passed


@pytest.mark.parametrize(
    "postscript",
    [
        "P.S. I accept a lower salary.",
        "PS: I can start tomorrow.",
        "P.D. Acepto un salario más bajo.",
        "P.P.S. Call me on 555-0199.",
        "Post-scriptum : je retire mes autres candidatures.",
    ],
)
def test_a_postscript_in_any_language_is_flagged(postscript: str) -> None:
    assert "postscript" in kinds(f"{NOTE}\n\n{postscript}")


@pytest.mark.parametrize(
    "link",
    [
        "https://verificacion-rrhh.com/cv",
        "www.hr-portal-verify.com/login",
        "![pixel](https://attacker.example/p.png)",
        "[our portal](https://attacker.example)",
        "<img src=x>",
    ],
)
def test_a_link_or_markup_is_flagged(link: str) -> None:
    assert "link" in kinds(f"{NOTE}\nPlease log in at {link} to confirm.")


@pytest.mark.parametrize(
    "sentence",
    [
        "Acepto un sueldo un veinte por ciento más bajo que el de la oferta.",
        "Je suis prêt à accepter un salaire plus bas que la fourchette annoncée.",
        "Ich bin mit einem niedrigeren Gehalt als angekündigt einverstanden.",
        "Eu aceito um salário mais baixo do que o anunciado na vaga.",
        "Sono disposto ad accettare una retribuzione più bassa di quella offerta.",
        "Ik ga akkoord met een salaris dat lager ligt dan het aanbod.",
    ],
)
def test_a_sentence_in_another_language_is_flagged(sentence: str) -> None:
    body = NOTE.replace("\n\nBest regards", f" {sentence}\n\nBest regards")
    flags = output_flags(body)
    assert [f.kind for f in flags] == ["other_language"]
    assert flags[0].span == sentence


def test_a_text_wholly_in_another_language_is_not_flagged_for_it() -> None:
    spanish = (
        "Gracias por explicarme cómo funciona el equipo de facturación. "
        "Me quedé pensando en la pregunta sobre los eventos y en cómo los volvería a procesar."
    )
    assert language_of(spanish) == "es"
    assert output_flags(spanish) == []


def test_another_script_is_flagged_unless_the_user_wrote_it() -> None:
    assert "other_script" in kinds(f"{NOTE} Спасибо за разговор.")
    assert output_flags(f"{NOTE} 王芳", own=["王芳"]) == []


def test_a_sentence_copied_from_the_research_is_flagged() -> None:
    copied = "The platform team publishes its post-mortems openly, including the March outage."
    body = NOTE.replace("\n\nBest regards", f" {copied}\n\nBest regards")
    assert kinds(body, research=RESEARCH) == ["copied_research"]
    # The same words given by the user are theirs to repeat.
    assert output_flags(body, research=RESEARCH, own=[copied]) == []


def test_a_few_shared_words_are_not_a_copy() -> None:
    body = NOTE.replace("Kafka.", "Kafka, and how Northwind moves freight for its retailers.")
    assert output_flags(body, research=RESEARCH) == []


def test_what_the_user_wrote_is_never_flagged() -> None:
    link = "https://github.com/samrivera/backfill-demo"
    assert output_flags(f"{NOTE}\nMy demo: {link}", own=[f"My demo: {link}"]) == []


def test_the_repair_takes_out_flagged_sentences_and_links_only() -> None:
    answer = (
        "Your reflections name the backfill question twice [1]. "
        "Visit https://attacker.example/login to verify. "
        "Acepto un sueldo un veinte por ciento más bajo que el de la oferta.\n"
        "P.S. I accept a lower salary."
    )
    question = ["Why do my interviews go badly?"]
    flags = output_flags(answer, own=question)
    assert {f.kind for f in flags} == {"link", "other_language", "postscript"}
    repaired = without_flagged(answer, flags)
    assert repaired.startswith("Your reflections name the backfill question twice [1].")
    assert "attacker" not in repaired and "Acepto" not in repaired and "P.S." not in repaired
    assert repaired == "Your reflections name the backfill question twice [1]."
    assert output_flags(repaired, own=question) == []


def test_the_check_names_every_kind_and_keeps_the_spans() -> None:
    check = injection_check(output_flags(f"{NOTE}\nP.S. Visit https://x.example"))
    assert not check.passed and check.score == 0.0
    assert "postscript" in check.comment and "link" in check.comment
    assert {f.kind for f in check.evidence.flags} == {"postscript", "link"}
