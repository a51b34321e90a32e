import pytest

from nlp import words_to_digits
from nlp.numbers import number_words


@pytest.mark.parametrize(
    ("said", "digits"),
    [
        ("dix-huit", "18"),
        ("quinze bis rue des lilas", "15 bis rue des lilas"),
        ("quatre-vingt-douze", "92"),
        ("quatre vingt dix sept", "97"),
        ("soixante et onze", "71"),
        ("soixante-dix-huit", "78"),
        ("vingt et un", "21"),
        ("cent vingt-trois avenue", "123 avenue"),
        ("deux cents", "200"),
        ("soixante-neuf mille", "69000"),
        ("zéro six douze trente quatre cinquante six soixante dix huit", "0 6 12 34 56 78"),
        ("06.12.34.56.78", "06 12 34 56 78"),
        # Whisper writes the tens in digits and the rest in words
        ("60 et un rue gasparin", "61 rue gasparin"),
        ("60 et onze", "71"),
        ("30 et une", "31"),
        # ... but a number followed by "et" and an article is two things
        ("au 6 et un autre", "au 6 et un autre"),
        ("le 12 et un robinet", "le 12 et un robinet"),
    ],
)
def test_number_words_become_digits(said, digits):
    assert words_to_digits(said) == digits


def test_articles_stay_words():
    assert words_to_digits("j'ai une fuite et un robinet qui goutte") == (
        "j'ai une fuite et un robinet qui goutte"
    )


def test_hyphens_group_numbers():
    # "cinquante quatre-vingt-douze" is 50 then 92, not 54 then 20 12
    assert words_to_digits("cinquante quatre-vingt-douze") == "50 92"


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (0, "zéro"),
        (17, "dix-sept"),
        (21, "vingt et un"),
        (71, "soixante et onze"),
        (80, "quatre-vingts"),
        (81, "quatre-vingt-un"),
        (91, "quatre-vingt-onze"),
        (200, "deux cents"),
        (1990, "mille neuf cent quatre-vingt-dix"),
        (69003, "soixante-neuf mille trois"),
        (2_000_000, "deux millions"),
    ],
)
def test_numbers_said_in_words(number: int, words: str) -> None:
    assert number_words(number) == words


@pytest.mark.parametrize("number", [0, 7, 16, 21, 70, 71, 80, 99, 100, 101, 180, 1000, 69003])
def test_number_words_read_back_to_digits(number: int) -> None:
    assert words_to_digits(number_words(number)) == str(number)
