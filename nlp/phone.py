"""Callback numbers as French callers say them: pairs, single digits, '+33', 'double six'."""

from __future__ import annotations

import re

from nlp.numbers import words_to_digits
from nlp.text import FILLERS, normalize

# Words a caller drops in the middle of a number without ending it.
_SKIP = FILLERS | {"et", "puis", "après", "apres", "ensuite", "le", "tiret", "point"}
_CUES = ("numéro", "numero", "portable", "téléphone", "telephone", "rappeler", "joindre", "fixe")
_PLUS = re.compile(r"\+\s*(?=\d)")
_DIGIT_WORDS = "un|deux|trois|quatre|cinq|six|sept|huit|neuf"
# The digit after "zéro" / "+33" is a digit on its own: "zéro quatre vingt" is 04 20, not 0 80.
_LEADING_DIGIT = re.compile(
    rf"\b(zéro|zero|0|(?:plus|\+) ?trente[- ]trois|\+ ?33) ({_DIGIT_WORDS})(?=\s|$)"
)
_DIGITS = {w: str(k) for k, w in enumerate(_DIGIT_WORDS.split("|"), start=1)}


def _runs(tokens: list[str]) -> list[tuple[int, str]]:
    """Digit runs as (start token index, digits); fillers inside a run are skipped."""
    runs: list[tuple[int, str]] = []
    start, digits, i = -1, "", 0
    while i < len(tokens):
        tok = tokens[i]
        if tok == "double" and i + 1 < len(tokens) and tokens[i + 1].isdigit():
            tok, i = tokens[i + 1] * 2, i + 1  # "double six" -> "66"
        if tok in ("plus", "+") and i + 1 < len(tokens) and tokens[i + 1].isdigit():
            tok = "+"
        if tok.isdigit() or tok == "+" or (tok.startswith("+") and tok[1:].isdigit()):
            start = i if not digits else start
            digits += tok
        elif tok not in _SKIP and digits:
            runs.append((start, digits))
            digits = ""
        i += 1
    if digits:
        runs.append((start, digits))
    return runs


def normalize_phone(digits: str) -> str | None:
    """'0612345678' / '+33612345678' / '0033612345678' -> '+33612345678'; national digits
    kept when they cannot be normalised; None when too short to be a phone number."""
    plus = digits.startswith("+")
    digits = digits.lstrip("+")
    if digits.startswith("0033"):
        digits, plus = digits[2:], True
    if (plus or len(digits) == 11) and digits.startswith("33"):
        rest = digits[2:].removeprefix("0")
        if len(rest) == 9 and rest[0] != "0":
            return "+33" + rest
    if len(digits) == 10 and digits[0] == "0" and digits[1] != "0":
        return "+33" + digits[1:]
    if len(digits) == 9 and digits[0] in "67":
        return "+33" + digits  # the caller dropped the leading zero of a mobile
    if 8 <= len(digits) <= 15:
        return ("+" if plus else "") + digits
    return None


def _score(start: int, digits: str, tokens: list[str]) -> float:
    before = " ".join(tokens[max(0, start - 6) : start])
    score = 2.0 if any(cue in before for cue in _CUES) else 0.0
    normal = normalize_phone(digits)
    if normal is None:
        return -1.0
    return score + (3.0 if normal.startswith("+33") and len(normal) == 12 else 0.5)


def extract_phone(text: str) -> str | None:
    """The most phone-like number in `text`, E.164 when French, else its digits; or None."""
    text = _LEADING_DIGIT.sub(lambda m: f"{m[1]} {_DIGITS[m[2]]} ", normalize(text))
    tokens = _PLUS.sub("+ ", words_to_digits(text)).split()
    best: tuple[float, str] | None = None
    for start, digits in _runs(tokens):
        score = _score(start, digits, tokens)
        normal = normalize_phone(digits)
        if normal is not None and score > 0 and (best is None or score > best[0]):
            best = (score, normal)
    return best[1] if best else None
