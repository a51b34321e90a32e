"""A last reading of a callback number Whisper garbled beyond its words: group by group.

Through the 8 kHz phone line Whisper base writes a French number's pairs as words that are not
number words at all ('soyez besoin de trois' for soixante-trois, 'soit une zone 17' for
soixante-dix-sept, 'quatre et un tue' for quatre-vingt-un), which neither text2num nor
nlp.phone_words' word-by-word repair reads. What it keeps is the rhythm: a comma between the
groups the caller said, each group one pair (00-99), one digit, or 'zéro' and a digit. So:

1. the answer is cut at its commas into groups (lead-in words such as 'alors c'est le' and a
   group that says no number are dropped);
2. each group gets candidate readings: the word readings of nlp.phone_words (cheap), and the
   values 0-99 whose spoken French sounds closest to the whole group (nlp.phonetic keys compared
   with rapidfuzz; dearer, by how far the sound is); two neighbouring groups may also be one
   pair cut in two ('soyez d'entêt 10, 8' for soixante-dix-huit);
3. the cheapest choice over the groups that makes a whole, valid French number (0 + 9 digits,
   or +33 + 9; phonenumbers) wins.

This is a guess: nlp.phone uses it only where its own reading finds no number or needs heavy
repair, and keeps the confidence below the dialogue's threshold, so the number is asked again
or marked to check. Its cost is returned as the 'repair' of the reading.
"""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from nlp.numbers import number_words
from nlp.phone_numbers import is_full_french, is_valid_phone, normalize_phone
from nlp.phone_words import NUMBER_HESITATIONS, spoken_readings
from nlp.phonetic import squashed_key
from nlp.text import FILLERS, fold

__all__ = ["GroupReading", "read_groups"]

# Words around a number that are not part of it: dropped at the edges of a group.
_FRAME = FILLERS | {
    "c'est", "cest", "c", "est", "le", "la", "au", "mon", "ma", "notre", "sur", "numero",
    "portable", "fixe", "telephone", "plutot", "prenez", "notez", "rappelez", "moi", "me",
    "je", "vous", "dis", "donne", "et", "puis", "apres", "ensuite", "oui", "voici", "tiret",
    "c'", "l'", "j'", "m'",
} | NUMBER_HESITATIONS  # fmt: skip
# Words that start a correction: the groups before the last of them are dropped.
_CORRECTION = frozenset({"non", "pardon", "excusez", "desole", "trompe", "recommence"})
# A whole group matched by sound must score this (rapidfuzz ratio, 0-100) against a value.
_SOUND_CUTOFF = 62.0
# Cost of a reading by sound: a base (it is a guess) plus how far the sound is.
_SOUND_BASE, _SOUND_SCALE = 1.0, 20.0
_MERGED = 0.5  # one pair written as two groups
# A tens word heard right or nearly ('soyez' read 6 for soixante, 'quatre' of quatre-vingt)
# and a unit or teen at the group's end, garbled words between: a guess, dearer per word.
_COMPOSED, _COMPOSED_WORD = 1.0, 0.25
_TENS_OF_HEAD = {20: 20, 30: 30, 40: 40, 50: 50, 6: 60, 60: 60, 4: 80, 80: 80}
_KEEP = 64  # partial readings kept per group
# A reading that takes more guessing than this is noise (measured on the tuning half of
# devkit.eval.phone_replay: none of the readings above it was right).
_MAX_COST = 5.0
_PLUS33 = re.compile(r"^(?:\+|plus)\s*(?:33|trente[- ]trois)$")


@dataclass(frozen=True)
class GroupReading:
    """A number read group by group (E.164) and the cost of the guesses it took."""

    number: str
    cost: float


@lru_cache(maxsize=1)
def _value_keys() -> tuple[tuple[str, str, str], ...]:
    """(digits, phonetic key, letters) for 0-99 as said, and 'zéro' + a digit as one group."""
    said = [(str(n), number_words(n)) for n in range(100)]
    said += [(f"0{n}", f"zéro {number_words(n)}") for n in range(10)]
    return tuple((digits, _key(words), _letters(words)) for digits, words in said)


def _spelled(text: str) -> str:
    return re.sub(r"\d+", lambda m: " " + number_words(int(m[0])) + " ", text)


def _key(text: str) -> str:
    return squashed_key(_spelled(text).replace("-", " "))


def _letters(text: str) -> str:
    return re.sub(r"[^a-z]", "", fold(_spelled(text)))


def _words(group: str) -> list[str]:
    words = fold(group, keep_apostrophes=True).replace("'", "' ").split()
    while words and words[0] in _FRAME:
        words.pop(0)
    while words and words[-1] in _FRAME:
        words.pop()
    return words


def _composed(tokens: list[str]) -> tuple[str, float] | None:
    """'soyez besoin de trois' read 6 besoin de 3: soixante-trois, as a guess. The words
    between are taken as garbled: their own repairs are not counted, their number is."""
    digits = [i for i, t in enumerate(tokens) if t.isdigit()]
    if len(digits) < 2 or digits[0] != 0 or len(tokens[0]) > 2 or len(tokens[digits[-1]]) > 2:
        return None
    tens, unit = _TENS_OF_HEAD.get(int(tokens[0])), int(tokens[digits[-1]])
    if tens is None or not 1 <= unit <= (19 if tens in (60, 80) else 9):
        return None
    return str(tens + unit), _COMPOSED + _COMPOSED_WORD * (len(tokens) - 2)


def _head_cost(group: str) -> float:
    """The repair the group's first word took to be read as a number word."""
    readings = spoken_readings(group.split()[0], limit=1)
    return readings[0].cost if readings else 0.0


def _add(found: dict[str, float], digits: str, cost: float) -> None:
    found[digits] = min(found.get(digits, 99.0), cost)


@lru_cache(maxsize=2048)
def _candidates(group: str) -> tuple[tuple[str, float], ...]:
    """(digits, cost) readings of one group, cheapest first."""
    found: dict[str, float] = {}
    if _PLUS33.match(group):
        return (("+33", 0.0),)
    for rank, reading in enumerate(spoken_readings(group, limit=6)):
        tokens = [t for t in reading.tokens if t not in ("et", ",")]
        if tokens and all(t.isdigit() and len(t) <= 2 for t in tokens):
            _add(found, "".join(tokens), reading.cost)
        composed = _composed(tokens) if rank == 0 else None
        if composed is not None:
            _add(found, composed[0], composed[1] + _head_cost(group))
    key, letters = _key(group), _letters(group)
    if len(key) >= 2:
        for digits, value_key, value_letters in _value_keys():
            score = max(fuzz.ratio(key, value_key), fuzz.ratio(letters, value_letters))
            if score >= _SOUND_CUTOFF:
                _add(found, digits, _SOUND_BASE + (100.0 - score) / _SOUND_SCALE)
    return tuple(sorted(found.items(), key=lambda item: item[1]))


def _groups(text: str) -> list[str]:
    """The comma groups that may hold the number, lead-in and corrected part dropped."""
    groups = [" ".join(_words(part)) for part in re.split(r"[,;:.!?]+(?!\d)", text)]
    for index in range(len(groups) - 1, -1, -1):
        if _CORRECTION & set(groups[index].split()):
            groups = groups[index + 1 :]
            break
    groups = [g for g in groups if g]
    while groups and not _candidates(groups[0]):
        groups.pop(0)
    while groups and not _candidates(groups[-1]):
        groups.pop()
    return groups


def _steps(groups: list[str], i: int) -> list[tuple[str, int, float]]:
    """Ways to read on from group i: (digits, next group, cost)."""
    out = [(digits, i + 1, cost) for digits, cost in _candidates(groups[i])]
    if i + 1 < len(groups):
        merged = _candidates(f"{groups[i]} {groups[i + 1]}")
        out += [(d, i + 2, c + _MERGED) for d, c in merged if len(d) == 2 and d[0] != "0"]
    return out


def read_groups(text: str) -> GroupReading | None:
    """The cheapest whole, valid French number the comma groups of `text` may be read as."""
    groups = _groups(text)
    if len(groups) < 3:  # a number said in one or two breaths is not read by its commas
        return None
    # states[i]: {digits read so far: cost} after groups[:i]
    states: list[dict[str, float]] = [{} for _ in range(len(groups) + 1)]
    states[0][""] = 0.0
    for i in range(len(groups)):
        kept = heapq.nsmallest(_KEEP, states[i].items(), key=lambda item: item[1])
        for digits, step_end, cost in _steps(groups, i):
            for before, spent in kept:
                after = before + digits
                if len(after) <= 12 and spent + cost < states[step_end].get(after, 99.0):
                    states[step_end][after] = spent + cost
    best: GroupReading | None = None
    for digits, cost in sorted(states[-1].items(), key=lambda item: item[1]):
        if cost > _MAX_COST:
            break
        normal = normalize_phone(digits)
        if normal is not None and is_full_french(normal) and is_valid_phone(normal):
            best = GroupReading(normal, round(cost, 3))
            break
    return best
