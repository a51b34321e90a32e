"""The house numbers a heard number may have been, for weighing readings against the audio
(agent.speech.rescoring): once the street is matched, only the number is open.

Whisper base through the phone line loses a part of compound French numbers rather than
inventing one: "quarante-deux" -> "40 de", "quatre-vingt-dix" -> "80",
"vingt-sept" -> "un 7". So a number heard proposes itself and the numbers it is a part
of; the area file's house numbers of the street (BAN `numero` + `rep`) keep only those that
exist there come first, and tell which take "bis" or "ter".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from nlp.heard_address import followed_by_correction
from nlp.numbers import is_round_ten, words_to_digits
from nlp.text import corrected_at, fold
from nlp.unwritten_number import (
    CUES,
    STREET_TYPES,
    STREET_WORDS,
    Unwritten,
    sounded_numbers,
    unwritten_number,
)

__all__ = ["heard_numbers", "number_candidates", "readings"]

# How lost words sound that open with the "au" said before the number ("aussi", "où").
_AU = ("au", "ou", "eau")
# A house number: 1-4 digits, not part of a longer number (postcodes, phone numbers).
_NUMBER = re.compile(r"(?<![\w.,])(\d{1,4})(?:\s*(bis|ter|quater))?(?!\w)", re.IGNORECASE)
# Readings weighed per answer: one batch of the scorer (agent.speech.whisper_direct).
MAX_READINGS = 16
_SUFFIXES = ("bis", "ter", "quater")
# "69 000", "79 000": a postcode written in two (Lyon's are 69001-69009).
_SPLIT_POSTCODE = re.compile(r"\b(\d{2}) (\d{3})\b")
_WORD = re.compile(r"[\w']+")


def heard_numbers(hypotheses: Iterable[str], street: str) -> list[int]:
    """The numbers heard in the hypotheses, first heard first, without the digits of the
    street's own name ("Rue du 8 Mai 1945") and without zero."""
    own = _own_numbers(street)
    found: dict[int, None] = {}
    for text in hypotheses:
        for match in _kept_numbers(_spoken_line(text), own):
            found.setdefault(int(match.group(1)))
    return list(found)


def _kept_numbers(line: str, own: set[int]) -> list[re.Match[str]]:
    """The house numbers of `line` the caller stands by: not one taken back ("au 35, non"),
    those after the last correction first; without the street's own or zero."""
    numbers = [
        m
        for m in _NUMBER.finditer(line)
        if int(m.group(1)) not in own | {0} and not _taken_back(line, m)
    ]
    corrected = corrected_at(line)
    return [m for m in numbers if m.start() >= corrected] or numbers


def _taken_back(line: str, number: re.Match[str]) -> bool:
    return followed_by_correction([fold(w) for w in _WORD.findall(line[number.end() :])])


def _wholes(heard: int) -> list[int]:
    """The numbers `heard` may be the part of that Whisper kept."""
    out: list[int] = []
    if is_round_ten(heard):
        out += range(heard + 1, heard + 10)  # the unit dropped: "40 de" for quarante-deux
    if heard in (60, 80):
        out += range(heard + 10, heard + 20)  # "dix-x" dropped: "80" for quatre-vingt-dix
    if heard < 10:
        out += (tens + heard for tens in range(10, 100, 10))  # the tens dropped: "7"
    return out


def _as_listed(known: Sequence[str]) -> set[str]:
    """The street's numbers as the area file writes them ("12bis"), whatever the spacing."""
    return {n.lower().replace(" ", "") for n in known}


def _with_suffixes(number: int, known: set[str]) -> list[str]:
    return [str(number)] + [f"{number} {s}" for s in _SUFFIXES if f"{number}{s}" in known]


def number_candidates(
    heard: Sequence[int], known: Sequence[str], limit: int = MAX_READINGS
) -> list[str]:
    """House numbers to weigh ("42", "40 bis"): each number heard, then the numbers it may
    be part of (those the street has first, with their bis/ter), at most `limit`."""
    numbers = _as_listed(known)
    bases = {int(m.group(1)) for m in map(_NUMBER.match, numbers) if m}
    out: dict[str, None] = {}
    for number in heard:
        out.update(dict.fromkeys(_with_suffixes(number, numbers)))
    # Numbers the street is known to have come first; the others are kept (a file of a few
    # numbers per street, like the demo's, is no survey), up to the limit.
    wholes = [whole for number in heard for whole in _wholes(number)]
    for whole in sorted(wholes, key=lambda w: w not in bases):
        out.update(dict.fromkeys(_with_suffixes(whole, numbers)))
    return list(out)[:limit]


def readings(
    hypotheses: Sequence[str],
    street: str,
    known: Sequence[str],
    tail: str,
    towns: Sequence[str] = (),
) -> tuple[str, ...]:
    """The readings of a street answer to weigh, one per number the number heard may have
    been, all of one shape: the words the caller put before the number as heard ("Au",
    "C'est le"), then the street, or the street then the number ("Rue Garibaldi, au 40").
    Where no number was written, the words it became (nlp.unwritten_number) give its place
    and the numbers that sound like them; with no such words, nothing to weigh (readings
    with and without a number differ in length: DirectWhisper.score has no end term)."""
    own = _own_numbers(street)
    placed = _numbers_in(hypotheses, own)
    if placed:
        if all(_said_whole(line, found, street) for line, found in placed):
            return ()
        line, found = placed[0]
        numbers = number_candidates(heard_numbers(hypotheses, street), known)
        lead = _lead(line[: found.start()], street)
        return _placed(numbers, street, tail, lead, found.start() < len(line) / 2)
    # After a correction ("Au 51, non pardon, ne ce qu'elle Fulchiron"), the number kept is
    # lost in the words that follow it; the readings keep what was taken back before them.
    text = hypotheses[0] if hypotheses else ""
    cut = corrected_at(text)
    lost = unwritten_number(text[cut:], street, towns) if text else None
    if lost is None or (cut and not lost.first):
        return ()
    listed = _as_listed(known)
    sounded = sounded_numbers(lost.rest, MAX_READINGS)
    numbers = [s for n in sounded for s in _with_suffixes(n, listed)]
    lead = f"{text[:cut]} {_with_au(lost)}".strip()
    return _placed(numbers[:MAX_READINGS], street, tail, lead, lost.first)


def _with_au(lost: Unwritten) -> str:
    """The lead of the readings: with the "au" the lost words open with ("aussi" for "au
    6", "aucune" for "au 1", "où n'est-ce" for "au 9") when the cues heard lack it, so that
    the sound of "au" is not weighed as part of the number."""
    said = fold(lost.rest)
    has_au = fold(lost.lead).split()[-1:] in (["au"], ["aux"])
    return f"{lost.lead} au" if lost.first and said.startswith(_AU) and not has_au else lost.lead


def _placed(
    numbers: Sequence[str], street: str, tail: str, lead: str, first: bool
) -> tuple[str, ...]:
    if first:
        return tuple(_sentence(f"{lead} {n} {street}{tail}.") for n in numbers)
    return tuple(_sentence(f"{street}, {lead or 'au'} {n}{tail}.") for n in numbers)


def _numbers_in(hypotheses: Sequence[str], own: set[int]) -> list[tuple[str, re.Match[str]]]:
    """Each hypothesis holding a house number: its line and that number's first match."""
    out = []
    for text in hypotheses:
        line = _spoken_line(text)
        found = _kept_numbers(line, own)
        if found:
            out.append((line, found[0]))
    return out


def _said_whole(line: str, found: re.Match[str], street: str) -> bool:
    """A number between a cue and the street ("c'est le 4 rue ...", "au 12 avenue ..."):
    nothing of a compound number is left over around it. When every hypothesis says so,
    there is nothing to weigh (~20 ms a reading); "un 7 cours" (vingt-sept), "40 de cours"
    (quarante-deux) or "au 80." (quatre-vingt-dix) in any of them is weighed (the second
    hearing wrote "Aux 40 Cours Émile Zola" where the first had "40 de cours")."""
    before = fold(line[: found.start()], keep_apostrophes=True).split()
    after = fold(line[found.end() :], keep_apostrophes=True).split()
    name = set(fold(street, keep_apostrophes=True).split()) - STREET_WORDS
    cued = not before or before[-1] in CUES
    return cued and bool(after) and after[0] in STREET_TYPES | name


def _sentence(text: str) -> str:
    text = " ".join(text.split()).replace(" ,", ",")
    return text[:1].upper() + text[1:]


def _spoken_line(text: str) -> str:
    """Number words as digits, and a postcode Whisper cut in two ("79 000") made whole
    again, so that its halves are not taken for house numbers."""
    return _SPLIT_POSTCODE.sub(r"\1\2", words_to_digits(text))


def _own_numbers(street: str) -> set[int]:
    return {int(n) for n, _ in _NUMBER.findall(street)}


def _lead(before: str, street: str) -> str:
    """The words the readings keep before the number: after a correction, all the caller
    said before it ("Au 35, non,"), so that the number taken back is not weighed as the one
    kept; else the cue words just before it."""
    if corrected_at(before):
        return before.strip()
    return " ".join(_lead_words(before, street))


def _lead_words(before: str, street: str) -> list[str]:
    """Up to two words said just before the number that are not the street's ("au", "le")."""
    street_words = set(fold(street).split())
    words = before.replace(",", " ").split()
    lead: list[str] = []
    for word in reversed(words[-2:]):
        if fold(word) in street_words or (not word.isalpha() and "'" not in word):
            break
        lead.insert(0, word)
    return lead
