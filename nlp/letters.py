"""Spelled-out words as Whisper writes a caller spelling through the phone: 'N G U Y E N',
'G, A, R, N, I, E, R.', 'gé a erre enne i e erre', 'd comme david', 'M comme Marcel, O, R',
'deux L' / 'double L', 'i grec', 'e tréma', 'e accent aigu', 'trait d'union'."""

from __future__ import annotations

import re

from nlp.text import capitalize_words, fold

# Letter names as STT writes them when a caller spells.
LETTER_NAMES: dict[str, str] = {
    "bé": "b", "bê": "b", "cé": "c", "dé": "d", "effe": "f", "èf": "f", "gé": "g", "jé": "g",
    "hache": "h", "ache": "h", "ji": "j", "ka": "k", "èle": "l", "elle": "l", "èl": "l",
    "emme": "m", "ème": "m", "èm": "m", "aime": "m", "enne": "n", "ène": "n", "èn": "n",
    "haine": "n", "pé": "p", "ku": "q", "qu": "q", "cu": "q", "erre": "r", "ère": "r",
    "èr": "r", "esse": "s", "ès": "s", "té": "t", "thé": "t", "vé": "v", "ixe": "x",
    "iks": "x", "zède": "z", "zed": "z", "zèd": "z",
    # Whisper base's words for letters spelled through the phone line (devkit.eval.spelling:
    # "Alors, elle, eux, j'y, eux" for L, E, J, E; "est-ce comme Suzanne" for S).
    "eux": "e", "elles": "l", "j'y": "j", "est-ce": "s", "dès": "d",
    # Whole calls: "Si, ou, L, A, S" for C, O, L, A, S.
    "si": "c", "ou": "o",
}  # fmt: skip
# "T comme Thérèse" written as one word after the letter ("comanatole", "commégènent"):
# the example word, skipped like "comme" and the word after it.
_MERGED_EXAMPLE = re.compile(r"^comm?[a-zé]{3,}$")
# The letter and "comme" written as one word ("D comme David" -> "Décondes d'avis"): the
# letter is the example word's first.
_FUSED_COMME = re.compile(r"^[a-zéè]{1,4}co[mn]{1,2}(?:e|es|des|de)?$")
# Marks said after a letter: they change that letter.
_MARKS: dict[tuple[str, ...], dict[str, str]] = {
    ("tréma",): {"e": "ë", "i": "ï", "u": "ü", "o": "ö"},
    ("accent", "aigu"): {"e": "é"},
    ("accent", "grave"): {"e": "è", "a": "à", "u": "ù"},
    ("accent", "circonflexe"): {"e": "ê", "a": "â", "i": "î", "o": "ô", "u": "û"},
    ("cédille",): {"c": "ç"},
}
# Separators spelled as words.
_SEPARATORS: dict[tuple[str, ...], str] = {
    ("trait", "d'union"): "-", ("tiret",): "-", ("apostrophe",): "'", ("espace",): " ",
}  # fmt: skip
_DOUBLES = frozenset({"double", "doublé", "deux", "2"})
_SINGLE = re.compile(r"^[a-zàâçéèêëîïôûùü]\.?$")
_HYPHENED = re.compile(r"^(?:[a-zàâçéèêëîïôûùü]-)+[a-zàâçéèêëîïôûùü]$")
_MIN_RUN = 3  # single letters: "a", "y", "e" are words too, so demand a run


def split_hyphened(tokens: list[str]) -> list[str]:
    """'g-a-r-n-i-e-r' (Whisper's way with a spelled word) -> one token per letter."""
    out: list[str] = []
    for tok in tokens:
        out.extend(tok.split("-") if _HYPHENED.match(tok) else [tok])
    return out


def _phrase_at(tokens: list[str], i: int, phrases: tuple[tuple[str, ...], ...]) -> int:
    """Length of the phrase of `phrases` that starts at tokens[i], or 0."""
    for phrase in phrases:
        if tuple(tokens[i : i + len(phrase)]) == phrase:
            return len(phrase)
    return 0


def _plain_letter(tokens: list[str], i: int) -> tuple[str, int] | None:
    tok = tokens[i]
    if tok == "i" and i + 1 < len(tokens) and tokens[i + 1] == "grec":
        return "y", i + 2
    if _SINGLE.match(tok):
        letter = "a" if tok[0] == "à" else tok[0]  # "à G": Whisper's accent on the letter A
    elif tok in LETTER_NAMES:
        letter = LETTER_NAMES[tok]
    elif i + 2 < len(tokens) and tokens[i + 1] == "comme" and len(tok) <= 4:
        return tokens[i + 2][0], i + 3  # "dé comme david", whatever the letter came out as
    elif i + 1 < len(tokens) and _FUSED_COMME.match(tok) and tokens[i + 1][:1].isalpha():
        return tokens[i + 1][0], i + 2
    else:
        return None
    if i + 2 < len(tokens) and tokens[i + 1] == "comme":
        return letter, i + 3
    if i + 1 < len(tokens) and _MERGED_EXAMPLE.match(tokens[i + 1]):
        return letter, i + 2
    return letter, i + 1


def letter_of(tokens: list[str], i: int) -> tuple[str, int] | None:
    """The letter(s) spelled at tokens[i] and the index after them, or None."""
    tok = tokens[i]
    if tok in _DOUBLES and i + 1 < len(tokens):
        nxt = _plain_letter(tokens, i + 1)
        if nxt and nxt[0] == "v" and tok != "deux":
            return "w", nxt[1]  # "double vé"
        if nxt and tokens[i + 1] not in ("a", "y"):  # "deux l", "double n"; not "deux a(ns)"
            return nxt[0] * 2, nxt[1]
        return None
    got = _plain_letter(tokens, i)
    if got is None:
        return None
    letter, j = got
    for phrase, marked in _MARKS.items():
        if _phrase_at(tokens, j, (phrase,)) and letter in marked:
            return marked[letter], j + len(phrase)
    return letter, j


def _separator(tokens: list[str], i: int) -> tuple[str, int] | None:
    for phrase, sep in _SEPARATORS.items():
        if _phrase_at(tokens, i, (phrase,)):
            return sep, i + len(phrase)
    return None


def find_spelled(tokens: list[str]) -> list[tuple[int, int, str]]:
    """Runs of spelled letters as (start, end, word) in `tokens`."""
    found: list[tuple[int, int, str]] = []
    i = 0
    while i < len(tokens):
        start, letters, has_comme = i, "", False
        while i < len(tokens):
            got = letter_of(tokens, i) or (_separator(tokens, i) if letters else None)
            if got is None:
                break
            has_comme = has_comme or "comme" in tokens[i : got[1]]
            letters, i = letters + got[0], got[1]
        letters = letters.strip(" -'")
        if sum(c.isalpha() for c in letters) >= _MIN_RUN or (has_comme and letters):
            found.append((start, i, letters))
        i = max(i, start + 1)
    return found


def _whole_spelling(text: str) -> str | None:
    """The whole answer is bare letters ('L, Y', 'B comme Bernard, O'): then two letters are
    a spelling, where inside a sentence a run needs three ("a", "y" are words too)."""
    letters: list[str] = []
    skip = False
    for token in re.split(r"[\s,.;-]+", fold(text, keep_apostrophes=True)):
        if skip:
            skip = False  # "D comme Denis": the example word is not part of the name
        elif token == "comme":
            skip = True
        elif len(token) == 1 and token.isalpha():
            letters.append(token)
        elif token:
            return None
    return "".join(letters).capitalize() if len(letters) >= 2 else None


# Whisper glues letters of a spelling into one chunk now and then ("D-A-NG" for D, A, N, G;
# "CG-O-S-S-E-L-U-N", "R-U-Duel-A-N-D" for "deux L"). Inside a run of hyphened single
# letters, a chunk of two or three capitals is those letters and "duel" is a doubled L.
_CAPS_CHUNK = re.compile(r"^[A-Z]{2,3}$")
_GLUED_LETTERS: dict[str, str] = {"duel": "l-l"}


def _unglued(text: str) -> str:
    return " ".join(_unglued_word(word) for word in text.split())


def hyphened_letters(word: str) -> bool:
    """A word of three chunks or more joined by hyphens, half of them single letters: how
    Whisper writes a spelling ("V-R-UN", "J-U-Laxon-I-D-R-U-N"), not a compound name."""
    chunks = [c for c in word.strip(".,;:!?").split("-") if c]
    singles = sum(len(c) == 1 and c.isalpha() for c in chunks)
    return len(chunks) >= 3 and 2 * singles >= len(chunks)


def _unglued_word(word: str) -> str:
    if not hyphened_letters(word):
        return word
    core = word.strip(".,;:!?")
    chunks = core.split("-")
    out = [
        "-".join(c) if _CAPS_CHUNK.match(c) else _GLUED_LETTERS.get(c.lower(), c) for c in chunks
    ]
    return word.replace(core, "-".join(out))


def spelled_letters(text: str) -> str | None:
    """'N G U Y E N' -> 'Nguyen', 'd comme david u p o n t' -> 'Dupont', a whole answer 'L, Y'
    -> 'Ly'; None if nothing was spelled. The longer reading wins; on a tie the runs, which
    keep the accents spelled ('e accent aigu')."""
    tokens = split_hyphened(re.sub(r"[,.;:!?]", " ", _unglued(text).lower()).split())
    runs = find_spelled(tokens)
    found = capitalize_words("".join(word for _, _, word in runs)) if runs else None
    whole = _whole_spelling(text)
    return max((f for f in (found, whole) if f), key=len, default=None)
