"""Lead types: what the dialogue hands over, and what the store gives back. No I/O here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

__all__ = ["OUTCOMES", "STATUSES", "Lead", "Outcome", "Status", "StoredLead", "Turn"]

Outcome = Literal["transferred", "callback_needed", "spam", "no_info"]
Status = Literal["new", "called_back", "won", "lost"]
OUTCOMES: tuple[Outcome, ...] = ("transferred", "callback_needed", "spam", "no_info")
STATUSES: tuple[Status, ...] = ("new", "called_back", "won", "lost")


@dataclass(frozen=True)
class Turn:
    speaker: Literal["caller", "agent"]
    text: str


@dataclass(frozen=True)
class Lead:
    """One call's result. `call_id` and `recording_path` are filled in by the call layer."""

    outcome: Outcome
    caller_number: str | None = None  # the number to call back, E.164
    name: str | None = None
    street: str | None = None
    postcode: str | None = None
    city: str | None = None
    problem: str = ""
    category: str = "autre"
    urgent: bool = False
    transcript: tuple[Turn, ...] = field(default_factory=tuple)
    call_id: int | None = None
    recording_path: str | None = None
    # What the ear made of the address: the raw words heard, and how sure the match is (0..1).
    address_heard: str = ""
    address_confidence: float | None = None
    # Fields the artisan should check ("name", "address", "phone"): low confidence, or the
    # caller could not confirm them. Shown as "à vérifier" in the dashboard and the SMS.
    to_check: tuple[str, ...] = ()
    # The caller's own words per field: (field, path of a WAV clip), filled by the call layer.
    clips: tuple[tuple[str, str], ...] = ()
    # The visit booked in the artisan's calendar during the call (aware datetimes), or why
    # none was ("agenda injoignable", "créneau refusé"...): shown on the dashboard.
    visit_start: datetime | None = None
    visit_end: datetime | None = None
    booking_note: str = ""

    @property
    def address(self) -> str:
        town = " ".join(p for p in (self.postcode, self.city) if p)
        return ", ".join(p for p in (self.street, town) if p)


@dataclass(frozen=True)
class StoredLead:
    id: int
    lead: Lead
    status: Status
    created_at: str
    updated_at: str
