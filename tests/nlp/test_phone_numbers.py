"""Written numbers (nlp.phone_numbers): to_e164 now shares the French rule of the spoken-number
reader (normalize_phone), where the SMS layer had its own."""

import pytest

from nlp.phone_numbers import InvalidPhoneNumber, as_e164, normalize_phone, to_e164


@pytest.mark.parametrize(
    "raw", ["0033 (0)6 12 34 56 78", "+33 0 6 12 34 56 78", "+33 (0)6 12 34 56 78"]
)
def test_trunk_zero_after_the_country_code_is_dropped(raw: str) -> None:
    assert to_e164(raw) == "+33612345678"


@pytest.mark.parametrize("raw", ["0033 0 12 34 56 78", "+33 (0) 0 12 34 56 78", "+33 6 12 34 56"])
def test_a_zero_then_eight_digits_is_no_french_number(raw: str) -> None:
    # The former SMS rule let "0033 0..." through as "+330..." (12 characters, undiallable).
    with pytest.raises(InvalidPhoneNumber):
        to_e164(raw)


def test_thirty_three_without_plus_is_read_when_said_not_when_written() -> None:
    # "trente-trois six douze..." said is a French number; a caller ID "33612..." is not taken.
    assert normalize_phone("33612345678") == "+33612345678"
    assert as_e164("33612345678") is None


@pytest.mark.parametrize(
    ("raw", "e164"),
    [("+44 20 7946 0958", "+442079460958"), ("0044 20 7946 0958", "+442079460958"),
     ("+6901234", "+6901234"), ("09 72 10 20 30", "+33972102030"),
     ("1 23 45 67 89", "+33123456789")],
)  # fmt: skip
def test_international_and_national_numbers(raw: str, e164: str) -> None:
    assert to_e164(raw) == e164
