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
        key = _number_key(n)
        # Short keys ("un", "deux") sit inside any word: a longer match counts more.
        return fuzz.partial_ratio(key, heard) + min(len(key), 8)

    ranked = sorted(range(_SMALL + 1, _SOUNDED_UP_TO + 1), key=likeness, reverse=True)
    return [*range(1, _SMALL + 1), *ranked][:limit]


@cache
def _number_key(n: int) -> str:
    return squashed_key(number_words(n).replace("-", " "))
