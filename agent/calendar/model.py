"""Calendar data shared by the dialogue and the calendar service. Pure data, no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

__all__ = ["BOOK_FOR", "BookFor", "Busy", "DayPart", "Fault", "Slot", "SlotWish", "Visit"]

BookFor = Literal["non_urgent", "all", "none"]
BOOK_FOR: tuple[BookFor, ...] = ("non_urgent", "all", "none")
DayPart = Literal["morning", "afternoon"]
# Why the calendar could not help; every one ends the call as a callback lead, noted on it.
Fault = Literal["unreachable", "timeout", "auth", "write_failed", "slot_taken", "no_slot"]


@dataclass(frozen=True, order=True)
class Slot:
    """A visit's time, aware datetimes in the business's timezone."""

    start: datetime
    end: datetime


@dataclass(frozen=True)
class Busy:
    """A span the calendar holds (an event, a recurrence, an all-day day)."""

    start: datetime
    end: datetime
    summary: str = ""


@dataclass(frozen=True)
class SlotWish:
    """What the caller asked for: a part of the day, a weekday, not before a day."""

    part: DayPart | None = None
    weekday: int | None = None  # 0 = Monday
    not_before: date | None = None


@dataclass(frozen=True)
class Visit:
    """What the event says about the caller (the artisan reads it in their agenda)."""

    name: str | None
    phone: str | None
    address: str
    problem: str
    link: str | None = None  # the dashboard page of the call, when the dashboard is public
