"""Spoken French phone numbers as Whisper base writes them through a phone line.

Through the 8 kHz μ-law channel Whisper garbles the pairs of a French number: it mixes words
and digits ("soixante-3", "60 et 1", "4-vingt-dix"), splits a pair at a comma ("quarente,
deux" for 42, "4, 20, 8" for 88) and misspells the words ("trente-troix", "dix-nose",
"cinquante-cin", "Zérosis"). text2num reads clean words only, so this module reads such text
itself:

1. tokens: number words matched fuzzily (rapidfuzz, on the spelling and on the French
   phonetic key) to the French number vocabulary, digits as they are, the rest as words;
2. every way of composing the tokens into numbers of 0-99 the French grammar allows
   (quatre-vingt-dix-huit, soixante et onze, dix-sept, "60 et 1"), each with a cost: a fuzzy
   repair, a composition across a comma, two number words left apart that usually go together;
3. the readings, cheapest first, as token lists for nlp.phone, which keeps the one that is a
   whole French number (10 digits, 0 + [1-9] + 8, phonenumbers) and handles fillers and
   corrections.

The cost says how much was repaired: nlp.phone lowers its confidence with it.
"""

from __future__ import annotations

import heapq
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from phonetic_fr import phonetic
from rapidfuzz import fuzz, process

from nlp.numbers import one_word_numbers
from nlp.text import strip_accents

__all__ = ["NUMBER_HESITATIONS", "Reading", "spoken_readings"]

# The French number vocabulary a phone number is said with (values 0-60, 'vingts' of 80).
_WORDS = one_word_numbers(0, 60)
_KEYS = {word: str(phonetic(word)) for word in _WORDS}
# A lone "euh" inside a dictated number, as Whisper writes it ("Zéro, six, eux, 60, ..."):
# every standalone "eux" of the phone answers heard so far. Skipped by every reader.
NUMBER_HESITATIONS = frozenset({"eux"})
# Words of a phone answer that sound or look like number words but are not ('si', 'cette',
# 'c'est'): never repaired into numbers. Short words (1-2 letters) are never repaired either.
_NEVER = frozenset((
    "cette", "ces", "ses", "sais", "sait", "cest", "est", "les", "des", "mes", "tes", "vous",
    "nous", "sur", "sous", "son", "sont", "sans", "cent", "cents", "mille", "quoi", "voila",
    "alors", "euh", "bon", "donc", "numero", "portable", "fixe", "telephone", "rappeler",
    "joindre", "pardon", "non", "oui", "plus", "moins", "merci", "puis", "apres", "ensuite",
    "plutot", "excusez", "desole", "trompe", "erreur", "recommence", "reprends", "repete",
    "double", "triple", "tiret", "point", "virgule", "espace", "mon", "notre", "votre", "pas",
    "comme", "avec", "chez", "dans", "pour", *NUMBER_HESITATIONS,
))  # fmt: skip
# Fuzzy score (0-100) a word needs to be read as a number word, alone or after the first part
# of a compound ('dix-' is followed by sept, huit or neuf only, so less is needed there).
_CUTOFF = 75.0
_CUTOFF_AFTER_DIX = 45.0
# Costs: a repaired word costs (100 - score) / 50 (score 80 -> 0.4); a composition across a
# pause (a comma) 1.0; two atoms written together that usually compose but are read apart 1.5.
_ACROSS_PAUSE = 1.0
_LEFT_APART = 1.5
_ET_NOT_ONE = 0.3  # "soixante et dix-huit": an 'et' French only puts before un/onze
_KEEP = 48  # readings kept per position (a phone answer has few real ambiguities)
_TOKEN = re.compile(r"\+|[^\W_]+(?:'[^\W_]+)?|[,.;:!?]")


@dataclass(frozen=True)
class _Atom:
    """One token: a number (`value`), 'et', '+', a pause or a plain word (`text`)."""

    text: str
    value: int | None = None
    cost: float = 0.0  # fuzzy repair
    glued: bool = False  # written in one word with the previous token ('soixante-3')
    digits: str = ""  # the digits as written, for digit tokens ("06" keeps its zero)


@dataclass(frozen=True)
class Reading:
    """A way of reading the text: nlp.phone tokens (digit groups and words) and its cost."""

    tokens: tuple[str, ...]
    cost: float


def _fold(word: str) -> str:
    return strip_accents(unicodedata.normalize("NFC", word).lower()).replace("'", "")


def _letters(word: str, choice: str, **_: object) -> float:
    """Spelling similarity; the first letter, which Whisper keeps most often, breaks ties
    ('dix-nose' is dix-neuf, not dix-sept)."""
    return fuzz.ratio(word, choice) + (0.5 if word[:1] == choice[:1] else 0.0)


@lru_cache(maxsize=4096)
def _match(word: str, choices: tuple[str, ...], cutoff: float) -> tuple[str, float] | None:
    """The number word `word` stands for, by spelling or by sound, and its score."""
    if word in choices:
        return word, 100.0
    if len(word) <= 2 or word in _NEVER or not word.isalpha():
        return None
    by_letters = process.extractOne(word, choices, scorer=_letters)
    key = str(phonetic(word))
    by_sound = process.extractOne(key, [_KEYS[c] for c in choices], scorer=fuzz.ratio)
    best = by_letters[0], by_letters[1]
    if len(key) >= 2 and by_sound[1] > best[1]:
        best = choices[by_sound[2]], by_sound[1]
    return best if best[1] >= cutoff else None


def _split_glued(word: str) -> tuple[tuple[str, float], tuple[str, float]] | None:
    """'zerosis' -> zéro + six: a word made of two number words written together."""
    for cut in range(3, len(word) - 1):
        head = _match(word[:cut], tuple(_WORDS), 100.0)
        tail = _match(word[cut:], tuple(_WORDS), _CUTOFF - 10)
        if head and tail and _WORDS[head[0]] < 20 and _WORDS[tail[0]] < 20:
            return head, tail
    return None


def _atoms(text: str) -> list[_Atom]:
    out: list[_Atom] = []
    for raw in text.split():
        for index, part in enumerate(p for p in re.split(r"(?<=\w)-(?=\w)", raw)):
            glued = index > 0
            for j, token in enumerate(_TOKEN.findall(part)):
                out.extend(_atom(token, glued and j == 0, out[-1] if out else None))
    return out


def _atom(token: str, glued: bool, previous: _Atom | None) -> list[_Atom]:
    if token in ",.;:!?":
        return [_Atom(",")]
    if token.isdigit():
        value = int(token) if len(token) <= 2 and not token.startswith("0") else None
        return [_Atom(token, value if token != "0" else 0, 0.0, glued, token)]
    word = _fold(token)
    if word in ("et", "plus") or token == "+":
        return [_Atom("+" if word == "plus" or token == "+" else "et", glued=glued)]
    after_dix = glued and previous is not None and previous.value == 10
    choices = ("sept", "huit", "neuf") if after_dix else tuple(_WORDS)
    found = _match(word, choices, _CUTOFF_AFTER_DIX if after_dix else _CUTOFF)
    split = _split_glued(word) if found is None or found[1] < 100 else None
    if split is not None and (found is None or (split[0][1] + split[1][1]) / 2 > found[1]):
        (a, score_a), (b, score_b) = split
        cost = (200 - score_a - score_b) / 50
        return [_Atom(a, _WORDS[a], cost, glued), _Atom(b, _WORDS[b], 0.0, True)]
    if found is not None:
        return [_Atom(found[0], _WORDS[found[0]], (100 - found[1]) / 50, glued)]
    return [_Atom(token)]


# A composition: (digits, atoms used, cost of the joins).
_Chunk = tuple[str, int, float]


def _join_cost(atom: _Atom, pauses: int) -> float:
    return atom.cost + (_ACROSS_PAUSE * pauses if not atom.glued else 0.0)


def _next(atoms: list[_Atom], i: int) -> tuple[_Atom | None, int, int]:
    """The next token after index i, skipping at most one pause: (atom, index, pauses)."""
    j, pauses = i + 1, 0
    if j < len(atoms) and atoms[j].text == ",":
        j, pauses = j + 1, 1
    return (atoms[j] if j < len(atoms) else None), j, pauses


def _units_after(atoms: list[_Atom], i: int, low: int, high: int) -> list[_Chunk]:
    """Numbers low..high said after index i ('et' allowed), as (value, next index, cost)."""
    out: list[_Chunk] = []
    nxt, j, pauses = _next(atoms, i)
    extra = 0.0
    if nxt is not None and nxt.text == "et":
        nxt, j, more = _next(atoms, j)
        pauses += more
        extra = _ET_NOT_ONE
    if nxt is None or nxt.value is None or nxt.digits.startswith("0"):
        return out
    cost = _join_cost(nxt, pauses)
    if low <= nxt.value <= high:
        et = extra if nxt.value not in (1, 11) else 0.0
        out.append((str(nxt.value), j + 1, cost + et))
    if nxt.value == 10 and high >= 17:  # 'dix-sept' after soixante / quatre-vingt
        after, k, more = _next(atoms, j)
        if after is not None and after.value in (7, 8, 9):
            out.append((str(10 + after.value), k + 1, cost + extra + _join_cost(after, more)))
    return out


def _compositions(atoms: list[_Atom], i: int) -> list[_Chunk]:
    """Every number atoms[i:] may start with: the atom alone or composed with the next."""
    atom = atoms[i]
    if atom.value is None:
        return [(atom.digits, i + 1, atom.cost)] if atom.digits else []
    out: list[_Chunk] = [(atom.digits or str(atom.value), i + 1, atom.cost)]
    tens = 0
    if atom.value in (20, 30, 40, 50, 60, 80):
        tens = atom.value
    elif atom.value == 4:
        nxt, j, pauses = _next(atoms, i)
        if nxt is not None and nxt.value == 20:
            tens, i = 80, j  # quatre-vingt(s)
            out.append(("80", j + 1, atom.cost + _join_cost(nxt, pauses)))
    elif atom.value == 10:
        for digits, end, cost in _units_after(atoms, i, 7, 9):
            out.append((str(10 + int(digits)), end, atom.cost + cost))
    if tens:
        base = out[-1][2] if tens == 80 and atom.value == 4 else atom.cost
        high = 19 if tens in (60, 80) else 9
        for digits, end, cost in _units_after(atoms, i, 1, high):
            out.append((str(tens + int(digits)), end, base + cost))
    return out


def _apart_cost(atoms: list[_Atom], chunk: _Chunk) -> float:
    """A number read alone though the next token, in the same word or without a pause,
    composes with it ('soixante sept' read 60 7, 'quatre-vingt-dix' read 80 10): unlikely."""
    digits, end, _ = chunk
    if end >= len(atoms) or not digits.isdigit() or digits.startswith("0"):
        return 0.0
    value, nxt = int(digits), atoms[end]
    if nxt.text == "et":  # 'trente et un' read 30 1
        return _LEFT_APART if value in (20, 30, 40, 50, 60) else 0.0
    if nxt.value is None or nxt.digits.startswith("0"):
        return 0.0
    after = nxt.value
    composes = value in (20, 30, 40, 50, 60, 80) and 1 <= after <= 9
    composes |= value in (60, 80) and 10 <= after <= 19
    composes |= value in (4, 80) and after == 20
    composes |= value in (10, 70, 90) and after in (7, 8, 9)
    return _LEFT_APART if composes else 0.0


def _splits_word(atoms: list[_Atom], chunk: _Chunk) -> bool:
    """The number ends inside a hyphenated word ('quatre' of 'quatre-vingt-dix' joined to the
    number before it): a word is one number, except a zero written 'zéro-six' or '0-3'."""
    digits, end, _ = chunk
    return end < len(atoms) and atoms[end].glued and digits not in ("0", "00")


def spoken_readings(text: str, limit: int = 24) -> list[Reading]:
    """The cheapest ways of reading `text` as nlp.phone tokens, cheapest first."""
    atoms = _atoms(text)
    # best[i]: cheapest readings of atoms[:i], as {tokens: cost}
    best: list[dict[tuple[str, ...], float]] = [{} for _ in range(len(atoms) + 1)]
    best[0][()] = 0.0
    for i, atom in enumerate(atoms):
        if not best[i]:
            continue
        kept = heapq.nsmallest(_KEEP, best[i].items(), key=lambda item: item[1])
        steps: list[tuple[tuple[str, ...], int, float]] = []
        if atom.value is None and not atom.digits:
            word = {"+": "+", "et": "et", ",": ","}.get(atom.text, atom.text)
            steps.append(((word,), i + 1, 0.0))
        for chunk in _compositions(atoms, i):
            if not _splits_word(atoms, chunk):
                steps.append(((chunk[0],), chunk[1], chunk[2] + _apart_cost(atoms, chunk)))
        for tokens, cost in kept:
            for add, end, step in steps:
                key = tokens + add
                total = cost + step
                if total < best[end].get(key, float("inf")):
                    best[end][key] = total
    final = heapq.nsmallest(limit, best[-1].items(), key=lambda item: item[1])
    return [Reading(tuple(t for t in tokens if t != ","), round(cost, 3)) for tokens, cost in final]
