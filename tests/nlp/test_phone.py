import pytest

from nlp import extract_phone
from nlp.phone_numbers import normalize_phone


@pytest.mark.parametrize(
    "said",
    [
        "zéro six douze trente quatre cinquante six soixante dix huit",
        "mon numéro c'est le 06 12 34 56 78",
        "06.12.34.56.78",
        "plus trente-trois six douze trente-quatre cinquante-six soixante-dix-huit",
        "+33 6 12 34 56 78",
        "zéro zéro trente trois six douze trente quatre cinquante six soixante dix huit",
        "zéro six euh douze trente-quatre euh cinquante-six soixante-dix-huit",
        "zéro six un deux trois quatre cinq six sept huit",
    ],
)
def test_mobile_read_every_way(said):
    assert extract_phone(said) == "+33612345678"


def test_landline_with_double_and_ambiguous_quatre_vingt():
    assert extract_phone("zéro quatre soixante-douze double zéro onze vingt-deux") == "+33472001122"
    # after "zéro", "quatre vingt" is 04 20, not 0 80
    assert extract_phone("zéro quatre vingt soixante-cinq quarante-six vingt-quatre") == (
        "+33420654624"
    )


def test_phone_not_confused_with_address_numbers():
    text = "j'habite au 12 rue des lilas 69500 bron et mon portable c'est le 07 81 22 33 44"
    assert extract_phone(text) == "+33781223344"


def test_no_phone():
    assert extract_phone("douze rue des lilas à bron") is None
    assert extract_phone("j'ai une fuite depuis deux jours") is None


def test_unnormalisable_numbers_keep_digits():
    assert normalize_phone("0612345678") == "+33612345678"
    assert normalize_phone("612345678") == "+33612345678"
    assert normalize_phone("00491701234567") == "00491701234567"
    assert normalize_phone("1234") is None


def test_hyphenated_pair_after_zero_is_kept_whole():
    said = "zéro quatre quatre-vingt-dix soixante et onze zéro zéro quatre-vingt-dix"
    assert extract_phone(said) == "+33490710090"
