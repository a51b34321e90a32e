"""A house number said but not written: Whisper base through the phone line turns a short
number word into syllables ("2 rue Chaponnay" -> "Doru Chaponnay", "au 6 rue Racine" ->
"c'est aussi rue Racy", "9 avenue" -> "Ne sauf mieux", "au 9" -> "Où n'est-ce ?").

Asked for the street with its number, a caller who says words between the greeting cues and
the street (or after the street) said the number: those words are where it went. They tell
where the number goes in the readings to weigh, and which numbers sound like them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from rapidfuzz import fuzz

from nlp.numbers import number_words
from nlp.phonetic import squashed_key, word_key
from nlp.text import fold

__all__ = [
    "CUES",
    "STREET_TYPES",
    "STREET_WORDS",
    "Unwritten",
    "sounded_numbers",
    "unwritten_number",
]

# Words around a house number that are not it: "oui c'est le 8", "j'habite au", "numéro 31".
CUES = frozenset(
    {"oui", "ouais", "alors", "euh", "heu", "hein", "ah", "hum", "ben", "bah", "bon",
     "donc", "voila", "c'est", "cest",
     "c", "est", "le", "la", "l'", "au", "aux", "a", "numero", "no", "j'habite", "habite", "je",
     "moi", "suis", "dans", "en", "et", "l'adresse", "adresse", "mon", "ma", "c'est-a-dire"}
)  # fmt: skip
# Street types, then the articles of street names: not the number, nor the street's name.
STREET_TYPES = frozenset(
    {"rue", "avenue", "av", "boulevard", "bd", "cours", "quai", "place", "chemin", "impasse",
     "allee", "route", "montee", "square", "passage", "voie", "sentier", "rond", "point"}
)  # fmt: skip
STREET_WORDS = STREET_TYPES | {"de", "du", "des", "la", "le", "les", "l'", "d'", "l", "d", "sur",
                               "en", "aux", "a"}  # fmt: skip
# Numbers proposed by sound: a house number is rarely above this.
_SOUNDED_UP_TO = 130
# Numbers always weighed: their one-word names ("deux", "six", "onze") are garbled most.
_SMALL = 12


@dataclass(frozen=True)
class Unwritten:
    """Where the lost number was: `lead` (the cue words said before it, as heard), `first`
    (before the street, else after it) and `rest` (the words it became)."""

    lead: str
    first: bool
    rest: str


def unwritten_number(text: str, street: str, towns: Iterable[str]) -> Unwritten | None:
    """The words of `text` that can only be the house number, or None (nothing but cues,
    the street and a town: the caller gave no number, or it was lost without a trace)."""
    words = text.split()  # as heard, punctuation kept for the lead ("Oui, c'est")
    folded = [fold(w, keep_apostrophes=True) for w in words]
    names = set(fold(street, keep_apostrophes=True).split()) - STREET_WORDS
    at = [i for i, w in enumerate(folded) if _is_name_word(w, names)]
    if not at:
        return None
    before, after = folded[: at[0]], folded[at[-1] + 1 :]
    cued = _cued(before)
    rest = [w for w in before[cued:] if w and w not in STREET_WORDS]
    if rest:
        return Unwritten(" ".join(words[:cued]), True, " ".join(rest))
    town_words = {w for town in towns for w in fold(town, keep_apostrophes=True).split()}
    rest = [w for w in after if w and w not in CUES | STREET_WORDS | town_words]
    return Unwritten("", False, " ".join(rest)) if rest else None


def _cued(before: list[str]) -> int:
    """How many words before the street lead up to the number: the cues it opens with, or
    up to the last cue followed by other words ("Hein ? C'est | aussi rue Racine"), so the
    readings keep the caller's words around the number."""
    cued = 0
    while cued < len(before) and (before[cued] in CUES or not before[cued]):
        cued += 1
    if cued == 0:
        last = max((i for i, w in enumerate(before[:-1]) if w in CUES), default=-1)
        cued = last + 1
    return cued


def _is_name_word(word: str, names: set[str]) -> bool:
    """A word of the street's own name as Whisper wrote it ("Racy" for Racine)."""
    if word in names:
        return True
    if len(word) < 4:
        return False
    key = word_key(word)
    return any(max(fuzz.ratio(word, n), fuzz.ratio(key, word_key(n))) >= 75 for n in names)


def sounded_numbers(rest: str, limit: int) -> list[int]:
    """The numbers to weigh for the words `rest` a number became: the small ones (their
    short words are the ones that fall apart), then those whose French words sound most
    like `rest` ("Carambé" for "quarante bis", "Vincent Feet" for "vingt-huit")."""
    heard = squashed_key(rest)

    def likeness(n: int) -> float:
        # Short keys ("un", "deux") sit inside any word: a longer match counts more.
        return max(fuzz.partial_ratio(key, heard) + min(len(key), 8) for key in _number_keys(n))

    ranked = sorted(range(_SMALL + 1, _SOUNDED_UP_TO + 1), key=likeness, reverse=True)
    return [*range(1, _SMALL + 1), *ranked][:limit]


# How number words end when said: the final consonants the spelling keeps silent elsewhere
# are heard ("huit", "sept", "six", "dix" alone), and "dix" before a vowel or "neuf" is
# "diz" (written "dis": "dix-neuf" is "Disney" for Whisper); "vingt" says its t before a unit.
_SAID_ENDINGS = {"huit": "uite", "sept": "sette", "six": "sisse", "dix": "disse"}
_SAID_PAIRS = {("dix", "neuf"): "disneuf", ("dix", "huit"): "disuite", ("dix", "sept"): "dissette"}


def _said(words: str) -> str:
    """Number words respelled as they sound ("dix-neuf" -> "disneuf", "vingt-huit" ->
    "vintuite"), for the phonetic key (which drops final consonants as silent)."""
    parts = words.replace("-", " ").split()
    out: list[str] = []
    i = 0
    while i < len(parts):
        pair = tuple(parts[i : i + 2])
        if pair in _SAID_PAIRS:
            out.append(_SAID_PAIRS[pair])
            i += 2
            continue
        if parts[i] == "vingt" and i == 0 and len(parts) == 2 and parts[1] != "et":
            out.append("vint" + _SAID_ENDINGS.get(parts[1], parts[1]))  # 22-29: "vint-deux"
            i += 2
            continue
        out.append(_SAID_ENDINGS.get(parts[i], parts[i]))
        i += 1
    return " ".join(out)


@cache
def _number_keys(n: int) -> tuple[str, ...]:
    """The keys of `n`'s words as written and as said: Whisper writes either ("Vincent
    Feet" and "Zantuit" were both "vingt-huit")."""
    words = number_words(n)
    return tuple(dict.fromkeys((squashed_key(words.replace("-", " ")), squashed_key(_said(words)))))
