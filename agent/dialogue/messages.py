"""The texts built from what was collected: read-back, transfer summary, SMS bodies."""

from __future__ import annotations

from dataclasses import dataclass, field

from agent.calendar.model import Slot
from agent.dialogue.lexicon import Field

# as_e164 is re-exported for devkit.eval.phone (tooling, moved apart by issue 11 item 6).
from nlp.phone_numbers import as_e164, read_back

__all__ = [
    "FIELDS",
    "MIN_PROBLEM_CHARS",
    "SMS_CHARS",
    "Collected",
    "Field",
    "artisan_details",
    "as_e164",
    "readback_summary",
    "short_problem",
    "without_urgent_tag",
]

FIELDS: tuple[Field, ...] = ("name", "address", "phone")
_FIELD_WORDS: dict[Field, str] = {"name": "nom", "address": "adresse", "phone": "numéro"}
PROBLEM_CHARS = 90  # an SMS segment is 160: the problem gets about half of it
SMS_CHARS = 160
MIN_PROBLEM_CHARS = 40  # shortened to fit one segment, but never below a readable gist


@dataclass
class Collected:
    """The lead's slots as the conversation fills them (mutable on purpose: one per call)."""

    problem: str = ""
    category: str = "autre"
    urgent: bool = False
    name: str | None = None
    street: str | None = None
    postcode: str | None = None
    city: str | None = None
    phone: str | None = None  # E.164
    address_heard: str = ""  # the raw words the address was read from
    # How sure each field is (0..1; see places.py); the address is its street and its town.
    name_confidence: float = 0.0
    street_confidence: float = 0.0
    town_confidence: float = 0.0
    phone_confidence: float = 0.0
    to_check: set[Field] = field(default_factory=set)  # "à vérifier" for the artisan
    slot: Slot | None = None  # the visit booked in the artisan's calendar
    booking_note: str = ""  # why no visit was booked (calendar fault, caller declined)

    @property
    def address_confidence(self) -> float | None:
        parts = [c for v, c in ((self.street, self.street_confidence),
                                (self.city, self.town_confidence)) if v]  # fmt: skip
        return round(min(parts), 2) if parts else None

    @property
    def checks(self) -> tuple[Field, ...]:
        """The fields to check, in a fixed order, present ones only."""
        present = {"name": self.name, "address": self.street or self.city, "phone": self.phone}
        return tuple(f for f in FIELDS if f in self.to_check and present[f])

    @property
    def address(self) -> str:
        town = " ".join(p for p in (self.postcode, self.city) if p)
        return ", ".join(p for p in (self.street, town) if p)

    @property
    def anything(self) -> bool:
        return bool(self.problem or self.name or self.street or self.city)


def short_problem(problem: str, chars: int = PROBLEM_CHARS) -> str:
    text = " ".join(problem.split()).rstrip(" .…")
    if len(text) <= chars:
        return text
    return text[: chars - 3].rsplit(" ", 1)[0] + "..."


def readback_summary(c: Collected) -> str:
    """'Jean Dupont, 14 rue de la République, 69003 Lyon, rappel au 06 12 34 56 78'."""
    parts = [p for p in (c.name, c.address) if p]
    if c.phone:
        parts.append(f"rappel au {read_back(c.phone)}")
    return ", ".join(parts) if parts else "je n'ai ni nom ni adresse"


def artisan_details(c: Collected, caller_id: str | None) -> str:
    """'Jean Dupont, 06 12 34 56 78, 12 Rue Garibaldi, 69007 Lyon (à vérifier : adresse)';
    the caller ID stands in for a number not asked yet (an early urgent transfer). Another
    number given by voice comes with the caller ID: a number misheard, even one the caller
    said yes to at the read-back, must not leave the artisan without a way to call back."""
    phone = c.phone or caller_id
    number = read_back(phone) if phone else "numéro masqué"
    if c.phone and caller_id and as_e164(caller_id) not in (None, c.phone):
        number += f" (appel du {read_back(caller_id)})"
    parts = [c.name or "nom inconnu", number]
    parts.append(c.address or "adresse non donnée")
    details = ", ".join(parts)
    if c.checks:
        details += f" (à vérifier : {', '.join(_FIELD_WORDS[f] for f in c.checks)})"
    return details


def without_urgent_tag(summary: str) -> str:
    """The NLP summary starts with 'URGENT · ' when urgent; the lead has its own urgent flag."""
    return summary.removeprefix("URGENT · ").strip()
