"""The questions the receptionist asks, and what each tells the recognizer to expect."""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Sequence
from functools import cache

from agent.dialogue.lexicon import content_words
from agent.speech.hint import Expectation, Hint, Narrowed, Narrower, Question, Rescorer
from nlp.candidates import closest_names, closest_words
from nlp.house_numbers import readings
from nlp.names import is_first_name
from nlp.surnames import lexicon
from nlp.text import fold
from nlp.types import ServiceArea

__all__ = ["MAX_ASKS", "PHRASES_CAP", "Stage", "hint_for", "question_of"]

# No question is asked more than twice in a call (issue 8's target): a caller asked a third
# time hears a machine that does not listen, and the artisan has the recording anyway.
MAX_ASKS = 2
# Candidate phrases handed to the recognizer: enough for one town's main streets, few enough
# that a prompt built from them stays well under Whisper's 224-token prompt budget.
PHRASES_CAP = 30
# Streets heard a second time against (agent.speech.narrowing): the right one was among the 6
# closest to the first hearing in 34 of 36 answers; more makes the prompt a list to copy from.
NARROWED_STREETS = 6
# A street the first hearing matched this well ("Rue de Rennes" for Route de Rennes, 0.88)
# stays when the second hearing writes another of the choices: told six names, Whisper
# base sometimes writes a neighbour of the list ("Rue de la Garenne", "Rue Saint-Jean" for
# Sainte-Hélène). `make eval-hearing`-like run on 80 held-out answers: 1 street gained,
# none lost, at 0.75 to 0.85 alike.
HEARD_STREET = 0.85
# Surnames of the list heard a second time against (nlp/data/noms.txt).
NARROWED_SURNAMES = 5
# Neighbouring towns heard a second time against, when the town answer names no town.
NARROWED_TOWNS = 4


class Stage(enum.Enum):
    GREETING = "greeting"
    PROBLEM = "problem"
    URGENCY = "urgency"  # "Est-ce urgent ?" when the problem alone does not tell
    NAME = "name"
    SPELL_NAME = "spell_name"
    ADDRESS = "address"
    CITY = "city"  # the town alone ("Dans quelle ville ?")
    STREET = "street"  # the street alone, with its number
    PHONE_CONFIRM = "phone_confirm"
    PHONE = "phone"
    READBACK = "readback"
    WHICH_FIELD = "which_field"
    SLOT_SEARCH = "slot_search"  # waiting on the calendar (FindSlots)
    SLOT_CHOICE = "slot_choice"  # "mardi 3 à 14 h ou mercredi 4 à 9 h ?"
    BOOKING = "booking"  # waiting on the calendar (BookSlot)
    TRANSFERRING = "transferring"
    DONE = "done"


_HINTS: dict[Stage, tuple[Expectation, Question]] = {
    Stage.PROBLEM: ("problem", "problem"),
    Stage.URGENCY: ("yes_no", "urgent"),
    Stage.NAME: ("name", "name"),
    Stage.SPELL_NAME: ("spell", "spell"),
    Stage.ADDRESS: ("address", "address"),
    Stage.CITY: ("town", "town"),
    Stage.STREET: ("street", "street"),
    Stage.PHONE_CONFIRM: ("yes_no", "phone_confirm"),
    Stage.PHONE: ("phone", "phone"),
    Stage.READBACK: ("yes_no", "readback"),
    Stage.WHICH_FIELD: ("choice", "which_field"),
    Stage.SLOT_CHOICE: ("choice", "slot"),
}


def question_of(stage: Stage) -> Question:
    return _HINTS.get(stage, ("problem", "other"))[1]


def hint_for(
    stage: Stage, area: ServiceArea | None, towns: Sequence[str], town: str | None
) -> Hint:
    """The hint for the question asked at `stage`; `town` is the town already known."""
    expect, question = _HINTS.get(stage, ("problem", "other"))
    narrow: Narrower | None = None
    rescore: Rescorer | None = None
    if area is not None and expect in _STREETS:
        narrow = _street_narrower(area, town)
        rescore = _house_number_rescorer(area, town, street_only=expect == "street")
    elif area is not None and expect == "town":
        narrow = _town_narrower(area)
    elif expect == "name":
        narrow = _surname_narrower
    phrases = _phrases(expect, area, tuple(towns), town)
    return Hint(expect, question, phrases, narrow, rescore)


def _surname_narrower(hypotheses: Sequence[str]) -> Narrowed:
    """The listed surnames closest to the words heard: told them, Whisper writes a common
    name it garbled the first time ("On remarchant" -> "On remarchand" -> Marchand). Not
    for a first hearing with no word of content ("C'est...", the caller's "Euh..." before
    the name): told surnames, Whisper writes one ("Dreyfus." for "Euh...", twice in a run of
    whole calls), and the hesitation is no longer seen as one."""
    if not hypotheses or not content_words(hypotheses[0]):
        return Narrowed()
    surnames = closest_words(hypotheses, _surnames_only(), NARROWED_SURNAMES)
    return _unless_heard(hypotheses, Narrowed(surnames))


def _unless_heard(hypotheses: Sequence[str], narrowed: Narrowed) -> Narrowed:
    """No second hearing when the best reading already holds one of the candidates whole
    ("Sophie Martin", "12 rue Garibaldi"): told them, Whisper would write the same, and a
    second hearing costs ~350 ms of the turn (`make bench`: urgent calls rang 1.9 s later
    with every name heard twice)."""
    best = f" {fold(hypotheses[0], keep_apostrophes=True)} " if hypotheses else ""
    if any(f" {fold(c, keep_apostrophes=True)} " in best for c in narrowed.choices):
        return Narrowed()
    return narrowed


@cache
def _surnames_only() -> tuple[str, ...]:
    """The list's surnames that are not also first names ("Julien", "Marie"): a first name
    among the candidates would be copied as the surname, and would make a caller's
    "Julien Moreau" look like a list read back (agent.speech.narrowing.copied_list)."""
    return tuple(n for n in lexicon().names if not is_first_name(n))


_STREETS: tuple[Expectation, ...] = ("address", "street")


def _town_narrower(area: ServiceArea) -> Narrower:
    """An answer to "Dans quelle ville ?" that names no town, served or near: heard again
    with the neighbouring towns closest to it, and the served ones, in the prompt. Told only
    the served towns, Whisper writes a town from outside as words ("Milleur." for Meyzieu)."""

    def narrow(hypotheses: Sequence[str]) -> Narrowed:
        if not hypotheses or not content_words(hypotheses[0]) or area.match_town(hypotheses):
            return Narrowed()
        near = closest_names(hypotheses, area.neighbour_towns(), NARROWED_TOWNS)
        return Narrowed(near, area.towns()) if near else Narrowed()

    return narrow


def _street_narrower(area: ServiceArea, town: str | None) -> Narrower:
    """The streets closest to the first hearing, in the town known or heard (else the whole
    area); the town heard goes in the prompt too, so the second hearing keeps it."""

    def narrow(hypotheses: Sequence[str]) -> Narrowed:
        heard = None if town else area.match_town(hypotheses)
        where = town or (heard.city if heard else None)
        streets = closest_names(hypotheses, area.street_names(where), NARROWED_STREETS)
        narrowed = _unless_heard(hypotheses, Narrowed(streets, (heard.city,) if heard else ()))
        if not narrowed.choices:
            return narrowed  # no second hearing: no street for it to keep
        match = area.match_address(hypotheses, town=where)
        if match is None or not match.in_area or match.score < HEARD_STREET:
            return narrowed
        return dataclasses.replace(narrowed, heard=match.street or None)

    return narrow


def _house_number_rescorer(area: ServiceArea, town: str | None, street_only: bool) -> Rescorer:
    """Once the street is matched, the readings of the answer with each house number the
    number heard may have been (nlp.house_numbers), for the ear to weigh."""

    def rescore(hypotheses: Sequence[str]) -> tuple[str, ...]:
        found = area.match_street(hypotheses, town) if street_only else None
        match = found or area.match_address(hypotheses, town=town)
        if match is None or not match.in_area or not match.street:
            return ()
        # The town is said again after the street only where the caller named it: a street of
        # several towns resolved by the matcher ("à mes yeux" for Meyzieu: Lyon) would put
        # a town in the caller's mouth, and the reading chosen would make it sure.
        named = area.match_town(hypotheses) if town is None and match.city else None
        tail = f", à {match.city}" if named is not None and named.city == match.city else ""
        known = area.house_numbers(match.street, match.city)
        return readings(hypotheses, match.street, known, tail, area.towns())

    return rescore


def _phrases(
    expect: Expectation, area: ServiceArea | None, towns: tuple[str, ...], town: str | None
) -> tuple[str, ...]:
    area_towns = area.towns() if area is not None else towns
    if expect in ("address", "street"):
        # The streets of the town already known narrow the answer most; without a town, the
        # towns themselves (the whole area's streets would be thousands).
        streets = area.street_names(town) if area is not None and town else ()
        return (streets or area_towns)[:PHRASES_CAP]
    if expect == "town":
        return (*_neighbour(area, town), *area_towns)[:PHRASES_CAP]
    return ()


def _neighbour(area: ServiceArea | None, town: str | None) -> tuple[str, ...]:
    """The neighbouring town (not served) the address named, for the town question's prompt:
    told only the served towns, Whisper writes one of them for it ("Villeurbanne,
    Villeurbanne," for "Villefranche-sur-Saône."). Pico answers through mu-law, outside
    town first: heard right 5 -> 15 of 20; a served town said after another town was
    heard: 12 -> 11 of 15. A town known to no list ("Gilbert-Dan") is not put in."""
    if area is None or town is None:
        return ()
    found = area.match_town([town])
    named = found is not None and not found.in_area and found.city == town
    return (town,) if named else ()
