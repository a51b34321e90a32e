"""Say numbers as French callers do (the inverse of nlp.numbers), for generating test data."""

from __future__ import annotations

import random

from nlp.numbers import number_words


def phone(national: str, rng: random.Random) -> str:
    """'0612345678' read in pairs, digit by digit, as digits, or with +33."""
    style = rng.choice(("pairs", "pairs", "digits", "numeric", "plus", "mixed"))
    if style == "numeric":
        return " ".join(national[i : i + 2] for i in range(0, 10, 2))
    if style == "digits":
        return " ".join(number_words(int(d)) for d in national)
    pairs = [national[i : i + 2] for i in range(2, 10, 2)]
    words = [
        number_words(int(p)) if p[0] != "0" else f"zéro {number_words(int(p[1]))}" for p in pairs
    ]
    if style == "plus":
        return f"plus trente-trois {number_words(int(national[1]))} " + " ".join(words)
    head = f"zéro {number_words(int(national[1]))}"
    if style == "mixed":
        words.insert(rng.randrange(1, 4), "euh")
    return head + " " + " ".join(words)


def postcode(code: str, rng: random.Random) -> str:
    style = rng.choice(("numeric", "thousands", "pairs", "digits"))
    if style == "numeric":
        return code
    if style == "digits":
        return " ".join(number_words(int(d)) for d in code)
    if style == "thousands" or code.endswith("000"):
        return number_words(int(code))
    if int(code[2:]) < 100:
        return " ".join(
            number_words(int(d)) for d in code
        )  # nobody says 69003 "soixante-neuf trois"
    return f"{number_words(int(code[:2]))} {number_words(int(code[2:]))}"
