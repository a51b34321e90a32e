import pytest

from nlp import words_to_digits


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
