"""Slots said in French, and replies read, on phrasings written for these tests."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from agent.calendar.model import Slot
from agent.dialogue.slot_words import Pick, Refuse, Unclear, Wish, read_choice, say_slots

PARIS = ZoneInfo("Europe/Paris")


def slot(month: int, day: int, hour: int, minute: int = 0) -> Slot:
    start = datetime(2026, month, day, hour, minute, tzinfo=PARIS)
    return Slot(start, start.replace(hour=hour + 1))


def test_month_said_once_unless_it_changes() -> None:
    assert (
        say_slots([slot(12, 1, 14), slot(12, 2, 9)])
        == "mardi 1er décembre à 14 h ou mercredi 2 à 9 h"
    )
    assert say_slots([slot(11, 30, 8, 30), slot(12, 1, 14), slot(12, 3, 16)]) == (
        "lundi 30 novembre à 8 h 30, mardi 1er décembre à 14 h ou jeudi 3 à 16 h"
    )


OFFER = [slot(12, 1, 14), slot(12, 2, 9)]  # Tuesday afternoon, Wednesday morning
TODAY = date(2026, 11, 30)


@pytest.mark.parametrize(
    ("said", "index"),
    [
        ("Le premier.", 0), ("euh la première", 0), ("Le 1 s'il vous plaît", 0),
        ("le deuxième", 1), ("La seconde, oui.", 1), ("plutôt le dernier", 1),
        ("Mardi, c'est parfait.", 0), ("mercredi matin", 1), ("demain", 0),
        ("à 9 heures ça m'arrange", 1), ("14h", 0), ("Numéro deux.", 1),
    ],
)  # fmt: skip
def test_picks(said: str, index: int) -> None:
    assert read_choice([said], OFFER, TODAY) == Pick(index)


@pytest.mark.parametrize(
    ("said", "part", "weekday", "not_before"),
    [
        ("Plutôt l'après-midi.", "afternoon", None, None),
        ("non plutôt le matin", "morning", None, None),
        ("La semaine prochaine, c'est possible ?", None, None, date(2026, 12, 7)),
        ("vendredi ce serait mieux", None, 4, None),
        ("jeudi après-midi", "afternoon", 3, None),
        ("plus tard dans la semaine", None, None, date(2026, 12, 3)),
    ],
)
def test_wishes(said: str, part: str | None, weekday: int | None, not_before: date | None) -> None:
    reply = read_choice([said], OFFER, TODAY)
    assert isinstance(reply, Wish)
    assert (reply.wish.part, reply.wish.weekday, reply.wish.not_before) == (
        part,
        weekday,
        not_before,
    )


@pytest.mark.parametrize("said", ["Non merci.", "non", "Ni l'un ni l'autre", "laissez tomber"])
def test_refusals(said: str) -> None:
    assert read_choice([said], OFFER, TODAY) == Refuse()


@pytest.mark.parametrize("said", ["oui", "je sais pas", "pas le premier", "attendez"])
def test_unclear_with_two_offered(said: str) -> None:
    assert read_choice([said], OFFER, TODAY) == Unclear()


def test_yes_takes_the_only_slot() -> None:
    assert read_choice(["Oui, d'accord."], OFFER[:1], TODAY) == Pick(0)
