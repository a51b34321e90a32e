"""Spelled-out words: 'N G U Y E N', 'd comme david', 'enne gé u i grec'."""

from __future__ import annotations

import re

# Letter names as STT writes them when a caller spells.
LETTER_NAMES: dict[str, str] = {
    "bé": "b", "bê": "b", "cé": "c", "dé": "d", "effe": "f", "èf": "f", "gé": "g",
    "hache": "h", "ji": "j", "ka": "k", "èle": "l", "elle": "l", "emme": "m", "ème": "m",
    "enne": "n", "ène": "n", "pé": "p", "ku": "q", "erre": "r", "ère": "r", "esse": "s",
    "ès": "s", "té": "t", "vé": "v", "ixe": "x", "zède": "z", "zed": "z",
}  # fmt: skip
_SINGLE = re.compile(r"^[a-zàâçéèêëîïôûùü]\.?$")
_MIN_RUN = 3  # single letters: "a", "y", "e" are words too, so demand a run


def letter_of(tokens: list[str], i: int) -> tuple[str, int] | None:
    """The letter spelled at tokens[i] and the index after it, or None."""
    tok = tokens[i]
    if tok in ("double", "doublé") and i + 1 < len(tokens):
        nxt = letter_of(tokens, i + 1)
        if nxt and nxt[0] == "v":
            return "w", nxt[1]
    if tok == "i" and i + 1 < len(tokens) and tokens[i + 1] == "grec":
        return "y", i + 2
    letter: str | None = None
    if _SINGLE.match(tok):
        letter = tok[0]
    elif tok in LETTER_NAMES:
        letter = LETTER_NAMES[tok]
    if letter is None:
        if i + 2 < len(tokens) and tokens[i + 1] == "comme" and len(tok) <= 4:
            return tokens[i + 2][0], i + 3  # "dé comme david"
        return None
    if i + 2 < len(tokens) and tokens[i + 1] == "comme":
        return letter, i + 3
    return letter, i + 1


def find_spelled(tokens: list[str]) -> list[tuple[int, int, str]]:
    """Runs of spelled letters as (start, end, word) in `tokens`."""
    found: list[tuple[int, int, str]] = []
    i = 0
    while i < len(tokens):
        start, letters, has_comme = i, "", False
        while i < len(tokens):
            got = letter_of(tokens, i)
            if got is None:
                break
            has_comme = has_comme or "comme" in tokens[i : got[1]]
            letters, i = letters + got[0], got[1]
        if len(letters) >= _MIN_RUN or (has_comme and letters):
            found.append((start, i, letters))
        i = max(i, start + 1)
    return found


def spelled_letters(text: str) -> str | None:
    """'N G U Y E N' -> 'Nguyen', 'd comme david u p o n t' -> 'Dupont'; None if not spelled."""
    tokens = text.lower().replace("-", " ").split()
    runs = find_spelled(tokens)
    if not runs:
        return None
    return "".join(word for _, _, word in runs).capitalize()
