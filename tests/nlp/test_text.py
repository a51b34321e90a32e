"""The French rules merged into nlp/: each pins the behaviour both former copies relied on."""

import pytest

from nlp.letters import spelled_letters
from nlp.text import FILLERS, HESITATIONS, corrected_at, fold


@pytest.mark.parametrize(
    ("text", "bare", "phrase"),
    [
        ("C’est ça, allez-y !", "c est ca allez y", "c'est ca allez-y"),
        ("Jean-Pierre L'Hermite", "jean pierre l hermite", "jean-pierre l'hermite"),
        ("06.12.34.56.78", "06 12 34 56 78", "06 12 34 56 78"),
        ("Pas celui-là... l'autre", "pas celui la l autre", "pas celui-la l'autre"),
        ("+33 6 12", "+33 6 12", "33 6 12"),
    ],
)
def test_fold_keeps_apostrophes_only_when_asked(text: str, bare: str, phrase: str) -> None:
    # Extractors compare bare words; the dialogue's phrase lists hold "c'est", "allez-y".
    assert fold(text) == bare
    assert fold(text, keep_apostrophes=True) == phrase


def test_hesitation_sounds_are_fillers_but_yes_is_no_hesitation() -> None:
    assert HESITATIONS < FILLERS
    assert "oui" in FILLERS and "oui" not in HESITATIONS


@pytest.mark.parametrize(
    ("text", "letters"),
    [
        ("L, Y.", "Ly"),  # a whole answer of two letters (the dialogue's former reader)
        ("B comme Bernard, O", "Bo"),
        ("c'est L Y", None),  # two letters inside a sentence are words, not a spelling
        ("elle a", None),
        ("N G U Y E N", "Nguyen"),  # runs of three or more (the NLP's reader)
        ("c'est D U P O N T merci", "Dupont"),
        ("L, E, F, E accent grave, V, R, E.", "Lefèvre"),
    ],
)
def test_one_reader_of_spelled_letters(text: str, letters: str | None) -> None:
    assert spelled_letters(text) == letters


@pytest.mark.parametrize(
    ("said", "after"),
    [
        ("12 rue Garibaldi, non pardon, rue Moncey", "rue Moncey"),
        ("Dupont, excusez-moi, Dupond.", "Dupond."),
        ("Au 35, euh, plutôt au 33", "au 33"),
        ("Moi, c'est Martin.", ""),  # "moi" is the tail of "excusez-moi" only
        ("Au 12 rue Moncey", ""),
    ],
)
def test_the_words_after_the_last_correction_are_found(said: str, after: str) -> None:
    cut = corrected_at(said)
    assert (said[cut:].lstrip(" ,") if cut else "") == after
