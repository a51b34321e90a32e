"""Time slots in plain French, both ways: said to the caller, and understood from their reply.

Said: "mardi 3 décembre à 14 h ou mercredi 4 à 9 h" (the month once, unless it changes).
Understood: "le premier", "la deuxième", "mardi", "à 14 h", "oui" (one slot offered),
"plutôt l'après-midi", "la semaine prochaine", "plus tard", "non merci". The cue words live
here rather than in lexicon.py: they only make sense after a slot offer.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from agent.calendar.model import DayPart, Slot, SlotWish
from agent.dialogue.hours import DAY_NAMES, speak_time
from agent.dialogue.messages import Collected

__all__ = [
    "Pick", "Refuse", "Reply", "Unclear", "Wish", "read_choice", "say_slot", "say_slots",
    "visit_address",
]  # fmt: skip

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre")  # fmt: skip


def say_slot(slot: Slot, month: bool = True) -> str:
    """'mardi 3 décembre à 14 h' ('mardi 3 à 14 h' when the month was just said)."""
    s = slot.start
    day = f"{DAY_NAMES[s.weekday()]} {'1er' if s.day == 1 else s.day}"
    return f"{day}{' ' + MONTHS[s.month - 1] if month else ''} à {speak_time(s)}"


def visit_address(c: Collected) -> str:
    """Where the visit is, as said in the booking's read-back and SMS."""
    return c.address or "l'adresse à préciser"


def say_slots(slots: Sequence[Slot]) -> str:
    """'A ou B', 'A, B ou C': each month named once, where it changes."""
    said: list[str] = []
    for i, slot in enumerate(slots):
        new_month = i == 0 or slot.start.month != slots[i - 1].start.month
        said.append(say_slot(slot, month=new_month))
    return said[0] if len(said) == 1 else f"{', '.join(said[:-1])} ou {said[-1]}"


@dataclass(frozen=True)
class Pick:
    index: int  # into the slots offered


@dataclass(frozen=True)
class Wish:
    wish: SlotWish  # search again with this


@dataclass(frozen=True)
class Refuse:
    pass


@dataclass(frozen=True)
class Unclear:
    pass


Reply = Pick | Wish | Refuse | Unclear


def fold(text: str) -> str:
    """Lower case, no accents, apostrophes and hyphens as spaces: the cue patterns' form."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " " + re.sub(r"[^a-z0-9]+", " ", text).strip() + " "


_FIRST = re.compile(r" (le |la )?(premier|premiere|1er|1ere|numero (1|un)) | le (1|un) ")
_SECOND = re.compile(r" (le |la )?(deuxieme|second|seconde|2e|2eme|numero (2|deux)) | le (2|deux) ")
_THIRD = re.compile(r" (le |la )?(troisieme|3e|3eme|numero (3|trois)) | le (3|trois) ")
_LAST = re.compile(r" (le |la )?dernier(e)? ")
_NEGATED = re.compile(r" pas (le |la )?(premier|premiere|deuxieme|second|seconde|dernier) ")
_AFTERNOON = re.compile(r" (apres midi|aprem|exprem|fin de journee|le soir) ")
_MORNING = re.compile(r" (matin|matinee|dans la matinee) ")
_NEXT_WEEK = re.compile(r" (semaine prochaine|semaine d apres|semaine suivante|pas cette semaine) ")
_LATER = re.compile(r" (plus tard|un autre jour|autre date|autre jour) ")
_REFUSE = re.compile(
    r" (non merci|pas besoin|pas la peine|rappele[zr] moi|me rappeler|qu il me rappelle"
    r"|aucun|ni l un ni l autre|aucune des deux|laissez tomber|je vais reflechir) "
)
_NO = re.compile(r"^ (non|ben non|euh non|bah non) ")
_YES = re.compile(r"^ (oui|ouais|d accord|ok|okay|ca marche|parfait|tres bien|ca me va|va pour) ")
_HOUR = re.compile(r" (\d{1,2}) ?(h|heure|heures) ")
_TOMORROW = re.compile(r" demain ")


def _weekday(folded: str) -> int | None:
    days = [i for i, name in enumerate(DAY_NAMES) if f" {name} " in folded]
    return days[0] if len(days) == 1 else None


def _part(folded: str) -> DayPart | None:
    if _AFTERNOON.search(folded):
        return "afternoon"
    return "morning" if _MORNING.search(folded) else None


def _ordinal(folded: str, count: int) -> int | None:
    if _NEGATED.search(folded):
        return None  # "pas le premier": what they want is said elsewhere, or not at all
    for index, pattern in ((0, _FIRST), (1, _SECOND), (2, _THIRD)):
        if pattern.search(folded) and index < count:
            return index
    return count - 1 if _LAST.search(folded) else None


def _matching(offered: Sequence[Slot], weekday: int | None, part: DayPart | None,
              hour: int | None) -> list[int]:  # fmt: skip
    def fits(s: Slot) -> bool:
        h = s.start.hour
        return ((weekday is None or s.start.weekday() == weekday)
                and (part is None or (h >= 12) == (part == "afternoon"))
                and (hour is None or h == hour))  # fmt: skip

    return [i for i, s in enumerate(offered) if fits(s)]


def read_choice(texts: Sequence[str], offered: Sequence[Slot], today: date) -> Reply:
    """The caller's answer to a slot offer, read over the recognizer's hypotheses (best first):
    the first one that says something clear wins."""
    for text in texts:
        reply = _read_one(fold(text), offered, today)
        if not isinstance(reply, Unclear):
            return reply
    return Unclear()


def _read_one(folded: str, offered: Sequence[Slot], today: date) -> Reply:
    index = _ordinal(folded, len(offered))
    if index is not None:
        return Pick(index)
    weekday = _weekday(folded)
    if weekday is None and _TOMORROW.search(folded):
        weekday = (today + timedelta(days=1)).weekday()
    part = _part(folded)
    hour_match = _HOUR.search(folded)
    hour = int(hour_match.group(1)) if hour_match else None
    if weekday is not None or hour is not None:
        matches = _matching(offered, weekday, part, hour)
        if len(matches) == 1:
            return Pick(matches[0])
    wish = SlotWish(part=part, weekday=weekday)
    if _NEXT_WEEK.search(folded):
        wish = replace(wish, not_before=today + timedelta(days=7 - today.weekday()))
    elif _LATER.search(folded) and offered:
        wish = replace(wish, not_before=max(s.start.date() for s in offered) + timedelta(days=1))
    if wish != SlotWish():
        return Wish(wish)
    if _REFUSE.search(folded) or _NO.search(folded):
        return Refuse()
    if _YES.search(folded) and len(offered) == 1:
        return Pick(0)
    return Unclear()
