"""The texts built from what was collected: read-back, transfer summary, SMS bodies."""

from __future__ import annotations

from dataclasses import dataclass

from agent.sms.numbers import InvalidPhoneNumber, read_back, to_e164

__all__ = [
    "Collected",
    "artisan_details",
    "as_e164",
    "readback_summary",
    "short_problem",
    "without_urgent_tag",
]

PROBLEM_CHARS = 90  # an SMS segment is 160: the problem gets about half of it


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

    @property
    def address(self) -> str:
        town = " ".join(p for p in (self.postcode, self.city) if p)
        return ", ".join(p for p in (self.street, town) if p)

    @property
    def anything(self) -> bool:
        return bool(self.problem or self.name or self.street or self.city)


def short_problem(problem: str) -> str:
    text = " ".join(problem.split()).rstrip(" .…")
    if len(text) <= PROBLEM_CHARS:
        return text
    return text[: PROBLEM_CHARS - 3].rsplit(" ", 1)[0] + "..."


def readback_summary(c: Collected) -> str:
    """'Jean Dupont, 14 rue de la République, 69003 Lyon, rappel au 06 12 34 56 78'."""
    parts = [p for p in (c.name, c.address) if p]
    if c.phone:
        parts.append(f"rappel au {read_back(c.phone)}")
    return ", ".join(parts) if parts else "je n'ai ni nom ni adresse"


def artisan_details(c: Collected) -> str:
    parts = [c.name or "nom inconnu", read_back(c.phone) if c.phone else "numéro masqué"]
    parts.append(c.address or "adresse non donnée")
    return ", ".join(parts)


def without_urgent_tag(summary: str) -> str:
    """The NLP summary starts with 'URGENT · ' when urgent; the lead has its own urgent flag."""
    return summary.removeprefix("URGENT · ").strip()


def as_e164(raw: str | None) -> str | None:
    if not raw:
        return None
    try:
        return to_e164(raw)
    except InvalidPhoneNumber:
        return None
