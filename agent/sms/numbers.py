"""Phone numbers: French input normalised to E.164, and E.164 read back the French way.

Pure functions, shared by the dialogue (read-back) and the SMS layer (recipients).
"""

from __future__ import annotations

import re

__all__ = ["InvalidPhoneNumber", "is_mobile", "read_back", "to_e164"]

_SEPARATORS = re.compile(r"[\s.\-/()]")
_E164 = re.compile(r"^\+[1-9]\d{6,14}$")


class InvalidPhoneNumber(ValueError):
    """The text is not a phone number we can dial or text."""


def to_e164(raw: str) -> str:
    """'06 12 34 56 78', '0033 6...', '+33 (0)6...', '612345678' -> '+33612345678'."""
    digits = _SEPARATORS.sub("", raw.strip()).replace("+33(0)", "+33").replace("+330", "+33")
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if digits.startswith("+"):
        if digits.startswith("+33") and len(digits) != 12:
            raise InvalidPhoneNumber(f"{raw!r}: a French number has 9 digits after +33")
        if not _E164.match(digits):
            raise InvalidPhoneNumber(f"{raw!r} is not an international number")
        return digits
    if not digits.isdigit():
        raise InvalidPhoneNumber(f"{raw!r} holds characters that are not digits")
    if len(digits) == 10 and digits[0] == "0" and digits[1] != "0":
        return "+33" + digits[1:]
    # Callers sometimes drop the leading zero ("6 12 34 56 78").
    if len(digits) == 9 and digits[0] in "123456789":
        return "+33" + digits
    raise InvalidPhoneNumber(f"{raw!r} is not a French number (10 digits starting with 0)")


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
