"""Callback numbers Whisper garbled beyond its words, read group by group (nlp.phone_groups).

The answers are written for these tests in the way Whisper base writes pairs through the
phone line (a tens word heard as 'soit'/'soyez' and the rest as other words, 'dixi' for
dix-huit), not taken from the evaluation calls."""

import pytest

from nlp.phone import phone_with_confidence
from nlp.phone_groups import read_groups

# The dialogue's threshold (DialogueSettings.confidence_threshold): below it, asked again.
_SURE = 0.6


@pytest.mark.parametrize(
    ("heard", "number"),
    [
        ("Alors, zéro sept, soyez vers deux, onze, quarante, dix-neuf.", "+33762114019"),
        ("Zéro quatre, soit en seize, trente-deux, zéro huit, quarante.", "+33476320840"),
        ("Euh, zéro six, euh, soit la neuf, quatorze, vingt, trente-trois.", "+33669142033"),
        ("Zéro six, vingt, non pardon, zéro six, soit un an trois, douze, quarante-quatre, dix.",
         "+33663124410"),
        ("Plus trente-trois, sept, cinquante, soit sans quinze, douze, zéro un.", "+33750751201"),
        ("Zéro deux, quarante et un, quatre vent dix-sept, treize, cinquante-cinq.",
         "+33241971355"),
        ("C'est le zéro un, quatre-vingt, douze, six dans huit, trente.", "+33180126830"),
        ("Zéro neuf, soit sans un, vingt-deux, quatre-vingt-trois, quinze.", "+33961228315"),
    ],
)  # fmt: skip
def test_garbled_pairs_are_guessed_below_the_threshold(heard, number):
    got, confidence = phone_with_confidence(heard)
    assert got == number
    assert 0.0 < confidence < _SURE  # a guess: asked again, or written down to check


@pytest.mark.parametrize(
    "heard",
    [
        "Zéro six, douze, trente-quatre, cinquante-six, soixante-dix-huit.",
        "Zéro, six, douze, trente-quatre, cinquante-six, soixante-dix-huit.",
        "0, 6, 1, 2, 3, 4, 5, 6, 7, 8",
    ],
)
def test_a_number_read_plainly_stays_sure(heard):
    assert phone_with_confidence(heard) == ("+33612345678", 1.0)


def test_the_groups_make_no_number_of_the_wrong_length():
    # Four pairs after 06: one is missing, and no group may be read as two.
    assert read_groups("Zéro six, soyez vers deux, onze, quarante.") is None
    assert phone_with_confidence("Zéro six, soyez vers deux, onze, quarante.")[0] is None


def test_a_number_said_in_one_breath_is_not_guessed_by_its_commas():
    assert read_groups("Zéro six, soyez vers deux onze quarante dix-neuf") is None


def test_no_guess_when_no_number_is_expected():
    heard = "Alors, zéro sept, soyez vers deux, onze, quarante, dix-neuf."
    assert phone_with_confidence(heard, expecting=False)[0] is None


def test_the_words_before_a_correction_are_dropped():
    found = read_groups("Zéro six, treize, non pardon, zéro sept, soit en deux, onze, vingt, dix.")
    assert found is not None and found.number == "+33762112010"


@pytest.mark.parametrize(
    ("heard", "number"),
    [
        ("Zéro six, quatre et un tour, treize, quarante, soit une zone deux.", "+33681134062"),
        ("Zéro six, quatre en un tour, onze, vingt, soyez d'une zone cinq.", "+33681112065"),
    ],
)
def test_a_reading_that_leaves_out_the_start_gives_way_to_the_groups(heard, number):
    # Read word by word, the garbled pair cuts the number: the words after it are read as
    # a whole number that leaves out 'zéro six' (and needs repairs); the groups keep them.
    got, confidence = phone_with_confidence(heard)
    assert got == number and confidence < _SURE
