"""Callback numbers as Whisper base wrote them through the phone line (devkit.eval.phone
transcripts of Pico answers): garbled number words, pairs split at commas, 'soixante' heard
as 'soit exemple', and how sure the reading is."""

from __future__ import annotations

import pytest

from nlp.phone import extract_phone, phone_with_confidence
from nlp.phone_words import spoken_readings


@pytest.mark.parametrize(
    ("heard", "number"),
    [
        # dix-nose = dix-neuf, cinquante-troix, 'quarante et neuf'
        ("Heu, alors, zéro-six, dix-nose, vingt-huit, trente-sept, quarante-six.", "+33619283746"),
        (
            "C'est le zéro deux, quatre-vingt-dix, vingt-six, quarante et neuf, cinquante-troix.",
            "+33290264953",
        ),
        (
            "Mon portable, c'est le zéro six, cinquante, soixante et dix-nose, trente, "
            "quatre-vingt-quatre.",
            "+33650793084",
        ),
        ("E, zéro six, 48, 21, 4-vingt-dix-sept, 0-3.", "+33648219703"),
        # a pair split at a comma: 'quatre, vingt-dix' is 90
        (
            "C'est le zéro, deux, quatre, vingt-dix, vingt-six, quarante et neuf, cinquante-trois.",
            "+33290264953",
        ),
        # 'sur exemple, neuf' is soixante-neuf; 'quator' quatorze; 'quatre, vingt, deux' 82
        (
            "Alors c'est le zéro, sept, sur exemple, neuf, quator, quatre, vingt, deux, cinquante.",
            "+33769148250",
        ),
        ("07 8 2 5 3 1 6 9 4", "+33782531694"),
        ("Plus 33, 7, 58, 52, 39, 14.", "+33758523914"),
        ("Zérosis, soixante-3, 60 et 1, quatre-vingt-dix-suit, cinquante-cin.", "+33663619855"),
    ],
)
def test_whisper_wordings_are_read(heard: str, number: str) -> None:
    assert extract_phone(heard, expecting=True) == number
    assert phone_with_confidence(heard)[0] == number


def test_compositions_follow_french_grammar() -> None:
    best = spoken_readings("Zérosis, soixante-3, 4-vingt-dix, 60 et 1, dix-nose")[0]
    assert best.tokens == ("0", "6", "63", "90", "61", "19")
    assert spoken_readings("soixante et dix-huit, trente-troix")[0].tokens == ("78", "33")
    # The reading that leaves 'soixante-dix-huit' apart costs more than the composed one.
    readings = spoken_readings("soixante-dix-huit")
    assert readings[0].tokens == ("78",) and all(r.cost > 0 for r in readings[1:])


def test_a_hyphenated_number_is_never_cut_to_make_a_number() -> None:
    # 06 70 80 90 100 is no phone number: 'quatre' must not join the '80' before it.
    assert (
        extract_phone("Zéro six, soixante-dix, quatre-vingts, quatre-vingt-dix, cent.", True)
        is None
    )


def test_words_that_only_look_like_numbers_are_not_repaired() -> None:
    assert extract_phone("C'est cette rue, sur le mur, si vous voulez.", expecting=True) is None


def test_a_clean_agreed_number_is_sure_and_a_repaired_one_less() -> None:
    clean = "Zéro six, douze, trente-quatre, cinquante-six, soixante-dix-huit."
    number, sure = phone_with_confidence(clean, [clean + " ", clean.lower()])
    assert (number, sure) == ("+33612345678", 1.0)
    repaired = "Heu, alors, zéro-six, dix-nose, vingt-huit, trente-sept, quarante-six."
    number, unsure = phone_with_confidence(repaired, [repaired, repaired])
    assert number == "+33619283746"
    assert 0.0 < unsure < sure


def test_digits_grouped_unlike_a_french_number_are_unsure() -> None:
    # Said 01 42 67 19 38; Whisper wrote the pairs as lone digits in every hypothesis.
    heard = ["0, 42, 3, 6, 6, 6, 9, 38", "0, 42, 3, 6, 6, 9, 38", "0, 42, 3, 6, 6, 9, 38."]
    number, confidence = phone_with_confidence(heard[0], heard[1:])
    assert number is None or confidence < 0.6
    # Digits one by one, or '0X' then pairs, are the two ways numbers are said: sure.
    assert phone_with_confidence("07 8 2 5 3 1 6 9 4")[1] == 1.0
    assert phone_with_confidence("06 12 34 56 78")[1] == 1.0
