"""Spelled letters as Whisper base writes them through the phone line (nlp.letters): the
readings below are its own, of Pico spelling names (devkit.eval.spelling)."""

from __future__ import annotations

import pytest

from nlp.letters import spelled_letters


@pytest.mark.parametrize(
    ("heard", "letters"),
    [
        ("Alors, elle, eux, j'y, eux, commégènes,", "Leje"),  # L, E, J, E comme Eugène
        ("Alors, elle, eux, est-ce comme Suzanne, à G, eux comme eux-gènes ?", "Lesage"),
        ("Dès comme désiré, eux, elles, ont", "Del"),
        ("V, O, U, T, I, N comanatole", "Voutin"),
        # Whole calls: "D comme David, U, B comme Bernard, ..." and "C, O, L, A, S".
        ("Décondes d'avis, U, Décondes Bernard, R, E, U, I, L", "Dubreuil"),
        ("Si, ou, L, A, S", "Colas"),
    ],
)
def test_letter_names_written_as_words(heard: str, letters: str) -> None:
    assert spelled_letters(heard) == letters


@pytest.mark.parametrize(
    "sentence",
    ["Je pense que chez eux il y a des fuites.", "Ils sont chez eux, elles aussi.",
     "Est-ce que vous venez demain ?", "Je ne sais pas si ou quand il vient.",
     "Ils habitent deux rues plus loin, si tu veux, ou à côté."],
)  # fmt: skip
def test_the_same_words_in_a_sentence_spell_nothing(sentence: str) -> None:
    assert spelled_letters(sentence) is None


@pytest.mark.parametrize(
    ("heard", "letters"),
    [
        ("D-A-NG", "Dang"),  # D, A, N, G
        ("CG-O-S-S-E-L-U-N", "Cgosselun"),  # "C'est G, O, S, S, E, L, I, N."
        ("Alors, R-U-Duel-AMD", "Rullamd"),  # "R, O, deux L, A, N, D."
        ("V-R-UN", "Vrun"),  # whole call: "B, R, U, N."
    ],
)
def test_letters_glued_into_a_chunk_are_unglued(heard: str, letters: str) -> None:
    assert spelled_letters(heard) == letters


@pytest.mark.parametrize(
    "words", ["Jean-Pierre", "Saint-Jean-de-Luz", "Aix-en-Provence", "UN-DEUX"]
)
def test_hyphened_words_are_no_glued_letters(words: str) -> None:
    assert spelled_letters(words) is None
