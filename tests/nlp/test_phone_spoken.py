"""Callback numbers said every way (nlp/data/ear_phones*.jsonl) and the n-best vote."""

import pytest

from nlp.ear_eval import phone_scores
from nlp.phone import extract_phone, find_phone, phone_with_confidence


def test_spoken_number_sets_are_read():
    written, heldout = phone_scores()
    assert written.n >= 60
    assert written.accuracy >= 0.97, written.misses
    assert heldout.accuracy >= 0.9, heldout.misses


@pytest.mark.parametrize(
    ("said", "number"),
    [
        ("zéro six douze trente-trois, non, trente-quatre, cinquante-six, soixante-dix-huit",
         "+33612345678"),
        ("zéro six onze vingt-deux, je recommence, zéro sept quatre-vingt-un vingt-deux "
         "trente-trois quarante-quatre", "+33781223344"),
        ("Zéro six cent onze, vingt-deux, trente-trois, quarante-quatre.", "+33611223344"),
        ("zéro sept quatre-vingt-un double zéro vingt-deux trente-trois", "+33781002233"),
        ("plus trente trois zéro six onze vingt-deux trente-trois quarante-quatre",
         "+33611223344"),
        ("c'est un zéro six onze vingt-deux trente-trois quarante-quatre", "+33611223344"),
    ],
)  # fmt: skip
def test_corrections_and_whisper_artefacts(said, number):
    assert extract_phone(said, expecting=True) == number


def test_a_french_number_of_the_wrong_length_is_not_written_down():
    assert extract_phone("zéro six onze vingt-deux trente-trois quatre", expecting=True) is None
    assert extract_phone("zéro six soixante-dix quatre-vingts quatre-vingt-dix cent") is None


def test_a_correction_is_reported():
    found = find_phone(
        "zéro six douze trente-trois non trente-quatre cinquante-six soixante-dix-huit"
    )
    assert found is not None and found.corrected
    plain = find_phone("06 12 34 56 78")
    assert plain is not None and not plain.corrected


def test_confidence_follows_agreement_of_the_hypotheses():
    number, agreed = phone_with_confidence(
        "zéro six douze trente-quatre cinquante-six soixante-dix-huit",
        ["06 12 34 56 78", "zéro six douze trente quatre cinquante six soixante dix huit"],
    )
    assert number == "+33612345678"
    _, split = phone_with_confidence(
        "zéro six douze trente-quatre cinquante-six soixante-dix-huit",
        ["06 12 34 56 79", "zéro six douze trente-quatre cinquante-sept soixante-dix-huit"],
    )
    assert agreed > 0.9 > split
    assert phone_with_confidence("je n'ai pas de portable") == (None, 0.0)


def test_a_lone_euh_written_eux_inside_a_number_is_no_digit():
    # Whole call (held-out set): "Zéro six, euh, soixante, ..." heard "Zéro, six, eux, 60,
    # 44, 22, 11.": "eux" was repaired into "deux", the number read unsure and asked again.
    assert phone_with_confidence("Zéro, six, eux, 60, 44, 22, 11.") == ("+33660442211", 1.0)
    said = "C'est le zéro six, eux, soixante-deux, eux, dix-sept, quarante-trois, quatre-vingt-un."
    assert phone_with_confidence(said)[0] == "+33662174381"
