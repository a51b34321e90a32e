"""Say numbers as French callers do (the inverse of nlp.numbers), for generating test data."""

from __future__ import annotations

import random

_UNITS = [
    "zéro",
    "un",
    "deux",
    "trois",
    "quatre",
    "cinq",
    "six",
    "sept",
    "huit",
    "neuf",
    "dix",
    "onze",
    "douze",
    "treize",
    "quatorze",
    "quinze",
    "seize",
    "dix-sept",
    "dix-huit",
    "dix-neuf",
]
_TENS = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante"}


def below_100(n: int) -> str:
    if n < 20:
        return _UNITS[n]
    if n < 70:
        tens, unit = divmod(n, 10)
        if unit == 0:
            return _TENS[tens]
        return f"{_TENS[tens]} et un" if unit == 1 else f"{_TENS[tens]}-{_UNITS[unit]}"
    if n < 80:
        return "soixante et onze" if n == 71 else f"soixante-{_UNITS[n - 60]}"
    if n == 80:
        return "quatre-vingts"
    return f"quatre-vingt-{_UNITS[n - 80]}"


def number(n: int) -> str:
    """0..99 999 in words ('cent vingt-trois', 'soixante-neuf mille')."""
    if n >= 1000:
        thousands, rest = divmod(n, 1000)
        head = "mille" if thousands == 1 else f"{number(thousands)} mille"
        return f"{head} {number(rest)}" if rest else head
    if n >= 100:
        hundreds, rest = divmod(n, 100)
        head = "cent" if hundreds == 1 else f"{_UNITS[hundreds]} cent"
        return f"{head} {below_100(rest)}" if rest else head + ("s" if hundreds > 1 else "")
    return below_100(n)


def phone(national: str, rng: random.Random) -> str:
    """'0612345678' read in pairs, digit by digit, as digits, or with +33."""
    style = rng.choice(("pairs", "pairs", "digits", "numeric", "plus", "mixed"))
    if style == "numeric":
        return " ".join(national[i : i + 2] for i in range(0, 10, 2))
    if style == "digits":
        return " ".join(_UNITS[int(d)] for d in national)
    pairs = [national[i : i + 2] for i in range(2, 10, 2)]
    words = [below_100(int(p)) if p[0] != "0" else f"zéro {_UNITS[int(p[1])]}" for p in pairs]
    if style == "plus":
        return f"plus trente-trois {_UNITS[int(national[1])]} " + " ".join(words)
    head = f"zéro {_UNITS[int(national[1])]}"
    if style == "mixed":
        words.insert(rng.randrange(1, 4), "euh")
    return head + " " + " ".join(words)


def postcode(code: str, rng: random.Random) -> str:
    style = rng.choice(("numeric", "thousands", "pairs", "digits"))
    if style == "numeric":
        return code
    if style == "digits":
        return " ".join(_UNITS[int(d)] for d in code)
    if style == "thousands" or code.endswith("000"):
        return number(int(code))
    if int(code[2:]) < 100:
        return " ".join(_UNITS[int(d)] for d in code)  # nobody says 69003 "soixante-neuf trois"
    return f"{below_100(int(code[:2]))} {number(int(code[2:]))}"
