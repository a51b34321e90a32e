from __future__ import annotations

import pytest

from agent.sms.gsm import fit_segments, segments_for, septets, to_gsm7
from nlp.phone_numbers import InvalidPhoneNumber, is_mobile, read_back, to_e164


def test_french_accents_in_gsm7_are_kept():
    assert to_gsm7("éèàùç É") == "éèàùç É"


def test_characters_outside_gsm7_are_transliterated():
    assert to_gsm7("fête, âne, île, côte, bûche, cœur, l’eau, « oui »") == (
        'fete, ane, ile, cote, buche, coeur, l\'eau, " oui "'
    )
    assert to_gsm7("Œuvre – Noël…") == "OEuvre - Noel..."
    assert to_gsm7("😀") == "?"


def test_extension_characters_count_two_septets():
    assert septets("10 €") == 5
    assert septets("[a]") == 5


@pytest.mark.parametrize(
    ("length", "segments"), [(1, 1), (160, 1), (161, 2), (306, 2), (307, 3), (459, 3)]
)
def test_segment_boundaries(length, segments):
    assert segments_for("a" * length) == segments


def test_escape_pair_is_not_split_across_parts():
    # 306 septets would fit two parts, but the € (2 septets) cannot straddle the first part's
    # last septet: it moves to the second part, and one "b" spills into a third.
    text = "a" * 152 + "€" + "b" * 152
    assert septets(text) == 306
    assert segments_for(text) == 3
    assert segments_for("a" * 151 + "€" + "b" * 153) == 2


def test_fit_caps_segments_and_marks_truncation():
    long = "mot " * 200
    fitted = fit_segments(long, 2)
    assert fitted.truncated and fitted.segments == 2
    assert fitted.text.endswith("...")
    assert fitted.septets <= 306
    one = fit_segments("ça coûte " + "x" * 200, 1)
    assert one.segments == 1 and one.septets <= 160 and "coute" in one.text


def test_fit_leaves_short_messages_alone():
    fitted = fit_segments("Plomberie Martin : nous avons bien noté votre appel.", 3)
    assert not fitted.truncated and fitted.segments == 1
    assert fitted.text == "Plomberie Martin : nous avons bien noté votre appel."


@pytest.mark.parametrize(
    "raw",
    ["06 12 34 56 78", "06.12.34.56.78", "0612345678", "+33 6 12 34 56 78", "0033612345678",
     "+33 (0)6 12 34 56 78", "6 12 34 56 78"],
)  # fmt: skip
def test_french_numbers_normalised(raw):
    assert to_e164(raw) == "+33612345678"


@pytest.mark.parametrize("raw", ["12345", "0012", "06 12 34", "+3361234567890", "abc", ""])
def test_invalid_numbers_raise(raw):
    with pytest.raises(InvalidPhoneNumber):
        to_e164(raw)


def test_read_back_and_mobile():
    assert read_back("+33612345678") == "06 12 34 56 78"
    assert read_back("+33478000000") == "04 78 00 00 00"
    assert read_back("+442071234567") == "+442 071 234 567"
    assert is_mobile("+33712345678") and not is_mobile("+33478000000")
