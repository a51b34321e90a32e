"""Written phone numbers: digits to E.164, and E.164 read back the French way.

The one home of the rule for what a French number is (phonenumbers' metadata) and how it is
written: nlp.phone (numbers said on the phone) normalises what it heard with
normalize_phone(); the dialogue, the SMS layer and the call store take caller IDs and
configured numbers through to_e164() / as_e164(); the read-back ("06 12 34 56 78") serves
the dialogue, the recap SMS and the dashboard. Pure functions, no I/O.
"""

from __future__ import annotations

import re

import phonenumbers

__all__ = [
    "InvalidPhoneNumber",
    "as_e164",
    "is_full_french",
    "is_mobile",
    "is_valid_phone",
    "normalize_phone",
    "read_back",
    "to_e164",
]

_SEPARATORS = re.compile(r"[\s.\-/()]")
_E164 = re.compile(r"^\+[1-9]\d{6,14}$")
_FULL_FRENCH = re.compile(r"\+33[1-9]\d{8}")


class InvalidPhoneNumber(ValueError):
    """The text is not a phone number we can dial or text."""


def _french(digits: str) -> phonenumbers.PhoneNumber | None:
    """A number phonenumbers can read with the right length; validity is checked apart."""
    try:
        number = phonenumbers.parse(digits, "FR")
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_possible_number(number) else None


def is_full_french(normal: str | None) -> bool:
    """'+33' and the nine digits of a French number (not necessarily an allocated one)."""
    return normal is not None and _FULL_FRENCH.fullmatch(normal) is not None


def is_valid_phone(normal: str) -> bool:
    """True when `normal` (E.164) is in an allocated range (phonenumbers' metadata)."""
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(normal))
    except phonenumbers.NumberParseException:
        return False


def normalize_phone(digits: str) -> str | None:
    """'0612345678' / '+33612345678' / '0033612345678' / '+33 0 6...' -> '+33612345678';
    a foreign or unknown number keeps its digits; None when too short to be a phone number."""
    plus = digits.startswith("+")
    bare = digits.lstrip("+")
    if plus and bare.startswith("330"):
        bare = "33" + bare[3:]  # "+33 (0)6 ...": the trunk zero said after the country code
    number = _french(("+" if plus else "") + bare)
    if number is None and not plus and len(bare) == 11 and bare.startswith("33"):
        number = _french("+" + bare)  # "trente-trois six ..." without the "plus"
    if number is not None and number.country_code == 33:
        e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        if is_full_french(e164):  # not '+33 0 62 ...' made of a 9-digit run with its zero
            return e164
    if 8 <= len(bare) <= 15:
        return ("+" if plus else "") + bare
    return None


def to_e164(raw: str) -> str:
    """'06 12 34 56 78', '0033 6...', '+33 (0)6...', '612345678' -> '+33612345678'; an
    international number ('+44 20...') as written. InvalidPhoneNumber for anything else."""
    digits = _SEPARATORS.sub("", raw.strip())
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if not re.fullmatch(r"\+?\d+", digits):
        raise InvalidPhoneNumber(f"{raw!r} holds characters that are not digits")
    if digits.startswith("+") and not digits.startswith("+33"):
        if not _E164.match(digits):
            raise InvalidPhoneNumber(f"{raw!r} is not an international number")
        return digits
    # A French number: +33 and nine digits (a trunk zero after +33 dropped), ten digits from
    # 0, or nine without it (callers drop the leading zero). Not "33 6...": written without
    # its "+", a caller ID is not taken for French (said, nlp.phone reads it so).
    national = (len(digits) == 10 and digits[0] == "0") or (len(digits) == 9 and digits[0] != "0")
    normal = normalize_phone(digits) if national or digits.startswith("+") else None
    if not is_full_french(normal) or normal is None:
        raise InvalidPhoneNumber(f"{raw!r} is not a French number (10 digits starting with 0)")
    return normal


def as_e164(raw: str | None) -> str | None:
    """to_e164(), or None for an empty or unusable number (a caller ID may be anything)."""
    if not raw:
        return None
    try:
        return to_e164(raw)
    except InvalidPhoneNumber:
        return None


def is_mobile(e164: str) -> bool:
    """French mobiles (06, 07) are the only numbers that can receive our SMS reliably."""
    return e164.startswith(("+336", "+337"))


def read_back(number: str) -> str:
    """'+33612345678' -> '06 12 34 56 78'; foreign numbers are grouped but kept international."""
    try:
        e164 = to_e164(number)
    except InvalidPhoneNumber:
        return number
    if e164.startswith("+33"):
        national = "0" + e164[3:]
        return " ".join(national[i : i + 2] for i in range(0, 10, 2))
    rest = e164[1:]
    return "+" + " ".join(rest[i : i + 3] for i in range(0, len(rest), 3))
