"""Reading the caller's name: the first name from the list of first names, the surname as
heard, and spelled letters ("D U P O N T", "D comme Denis") replacing the surname heard."""

from __future__ import annotations

from collections.abc import Sequence

from agent.dialogue import lexicon
from nlp.letters import hyphened_letters, spelled_letters
from nlp.names import is_first_name, name_and_confidence, name_with_confidence
from nlp.surnames import is_known_surname, resolve_surname
from nlp.text import fold
from nlp.types import Understanding
from nlp.unwritten_number import STREET_TYPES

__all__ = [
    "best_spelling",
    "heard_name",
    "looks_spelled",
    "name_taken_back",
    "spelled_name",
    "spelling_of",
    "with_spelling",
]

# Ranking the spellings of the n-best: a surname of the list found in a lower hypothesis
# beats letters that spell no known name ("C-P-U-R-R-E-N", then "C-P-U-R-R-I-N": Perrin).
_LISTED_BONUS = 0.2
_RANK_COST = 0.03
# "C'est D, U, ..." is often written "C-D-U-...": the leading C or S may be "c'est".
_CEST_COST = 0.1
# "deux L" is written "D-L" (7 of the 10 doubled letters of `make eval-spelling`): a D before
# a letter may be that letter twice.
_DEUX_COST = 0.1
# The free and the letters-only readings of one spelling name different surnames: the name
# is unsure whatever the letters' match (under the dialogue's 0.6 threshold).
_READINGS_DISAGREE = 0.5


def heard_name(u: Understanding, text: str) -> str | None:
    """The name in an answer to "Quel est votre nom ?" (NLP first, a bare word as fallback,
    then a listed surname ending garbled words)."""
    candidates = (u.name, lexicon.plain_name(text), _listed_last_word(text))
    return next((n for n in candidates if n and lexicon.plausible_name(n)), None)


def name_taken_back(hyps: Sequence[str]) -> tuple[str, float] | None:
    """ "Non pardon, Patrick Moreau.": a name said again after a correction word that opens
    the answer, with its confidence (nlp.names.name_with_confidence); None for anything else
    ("Non, je ne sais pas.", "Non pardon, 12 rue ...")."""
    words = fold(hyps[0]).split() if hyps else []
    opens = words[:1] in (["non"], ["pardon"]) or words[:2] == ["mon", "pardon"]
    if not opens or any(c.isdigit() for c in hyps[0]) or STREET_TYPES & set(words):
        return None
    if name_and_confidence(hyps[0], expecting_name=True)[0] is None:
        return None  # "Non. Non." (a lower reading "Nantes."): no name in what was said
    name, sure = name_with_confidence(hyps[0], hyps[1:])
    return (name, sure) if name and lexicon.plausible_name(name) else None


def _listed_last_word(text: str) -> str | None:
    """'C'est un lit de Boyer.' -> Boyer: the first name garbled into words, the surname
    still whole at the end. Only a listed surname that is no first name; the dialogue takes
    it as unsure and asks to spell, and a spelling lost on the line falls back to it."""
    words = fold(text, keep_apostrophes=True).replace("'", " ").split()
    last = words[-1] if words else ""
    if len(last) < 3 or not is_known_surname(last) or is_first_name(last):
        return None
    return resolve_surname(last, None)[0]


def spelled_name(text: str) -> str | None:
    """The letters spelled in `text`, as a capitalised word; None when nothing was spelled."""
    best = spelled_letters(text)
    if best and not lexicon.plausible_name(best):
        return None  # "N, G, G, G, G...": Whisper looping on a letter, not a spelling
    half = len(best or "") // 2
    if best and half >= 2 and best[:half].lower() == best[half:].lower():
        best = best[:half]  # spelled twice over ("F-R-U-R-E F-R-U-R-E"): one name
    return best if best and len(best) >= 2 else None


def looks_spelled(text: str) -> bool:
    """Letters run together that spell nothing readable ("J-U-Laxon-I-D-R-U-N" for "G, U,
    E accent aigu, R, I, N"): a spelling lost on the line, not a name said again."""
    return any(hyphened_letters(word) for word in text.split())


def with_spelling(name: str | None, spelled: str) -> str:
    """'Poules Durant' + 'Durand' -> 'Poules Durand': callers spell their surname, so the
    spelling replaces the last word that is not a known first name (or the only word).
    A surname resolved from the list keeps its own case ("Le Goff", "N'Diaye")."""
    listed = not spelled.isupper() and any(c.isupper() for c in spelled[1:])
    word = spelled if listed else spelled[:1].upper() + spelled[1:].lower()
    words = (name or "").split()
    if not words:
        return word
    surnames = [i for i, w in enumerate(words) if not is_first_name(w)]
    index = surnames[-1] if surnames else len(words) - 1
    if (
        len(words) == 1
        and is_first_name(words[0])
        and fold(words[0], keep_apostrophes=True) != spelled.lower()
    ):
        return f"{words[0]} {word}"  # only a first name was heard: the spelling is the surname
    if fold(words[index], keep_apostrophes=True).replace(" ", "") == fold(
        spelled, keep_apostrophes=True
    ):
        return " ".join(words)  # the same letters: keep the accents heard
    words[index] = word
    return " ".join(words)


def _deux_read_as_d(spelled: str) -> list[str]:
    """'Cudlin' -> ['Cullin']: each inner D followed by a letter read as that letter twice."""
    return [
        (spelled[:i] + spelled[i + 1] * 2 + spelled[i + 2 :]).capitalize()
        for i in range(1, len(spelled) - 1)
        if spelled[i].lower() == "d" and spelled[i + 1].isalpha()
    ]


def best_spelling(hyps: Sequence[str], heard: str | None) -> tuple[str, float] | None:
    """The surname spelled, over the recognizer's n-best (best first): each reading's letters
    resolved against the surname list (with `heard`, the surname said before), the most
    plausible kept; (surname, confidence), or None when no hypothesis spells anything."""
    best: tuple[float, str, float] | None = None
    for rank, hyp in enumerate(hyps):
        spelled = spelled_name(hyp)
        if not spelled:
            continue
        readings = [(spelled, 0.0)]
        if spelled[0].lower() in "cs" and len(spelled) > 3:
            readings.append((spelled[1:].capitalize(), _CEST_COST))
        readings += [(doubled, _DEUX_COST) for doubled in _deux_read_as_d(spelled)]
        for letters, cost in readings:
            surname, sure = resolve_surname(heard, letters)
            score = sure - cost - _RANK_COST * rank + _LISTED_BONUS * is_known_surname(surname)
            if best is None or score > best[0]:
                best = (score, surname, sure)
    return None if best is None else (best[1], best[2])


def spelling_of(
    hyps: Sequence[str], letters: Sequence[str], heard: str | None
) -> tuple[str, float] | None:
    """The surname spelled, over the free reading's n-best then the letters-only reading's
    (agent.speech.letters); unsure when the two readings, each alone, do not name the same
    surname. `make eval-spelling`: list names right 62 -> 71 of 110 against the free reading
    alone, wrong names given as sure 54 -> 28."""
    best = best_spelling([*hyps, *letters], heard)
    if best is None or not letters:
        return best
    free, constrained = best_spelling(hyps, heard), best_spelling(letters, heard)
    if free is None or constrained is None or fold(free[0]) != fold(constrained[0]):
        return best[0], min(best[1], _READINGS_DISAGREE)
    return best
