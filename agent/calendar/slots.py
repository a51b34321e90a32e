"""Free slots: the business's opening hours minus what the calendar holds. Pure functions.

Times are laid out on the local wall clock (datetime.combine with the zone), so a day across
a DST change still opens at 8 h local; busy spans compare as aware datetimes whatever their
offset. A buffer (travel) is kept free on both sides of every event.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from agent.calendar.model import Busy, Slot, SlotWish
from agent.dialogue.hours import OpeningHours

__all__ = ["Layout", "choose", "free_slots", "overlaps"]

NOON = 12  # a slot starting at or after noon is an afternoon one


@dataclass(frozen=True)
class Layout:
    slot: timedelta
    buffer: timedelta
    days_ahead: int
    lead: timedelta  # no visit sooner than this after now


def overlaps(slot: Slot, busy: Sequence[Busy], buffer: timedelta) -> bool:
    """Whether `slot`, with `buffer` of travel before and after, touches any busy span."""
    return any(b.start < slot.end + buffer and slot.start - buffer < b.end for b in busy)


def _candidates(hours: OpeningHours, now: datetime, layout: Layout) -> Iterator[Slot]:
    here = hours.local(now)
    earliest = here + layout.lead
    for offset in range(layout.days_ahead + 1):
        day = here.date() + timedelta(days=offset)
        span = hours.spans.get(day.weekday()) if day not in hours.holidays else None
        if span is None:
            continue
        start = datetime.combine(day, span[0], hours.tz)
        close = datetime.combine(day, span[1], hours.tz)
        while start + layout.slot <= close:
            if start >= earliest:
                yield Slot(start, start + layout.slot)
            start += layout.slot


def _wanted(slot: Slot, wish: SlotWish) -> bool:
    if wish.part == "morning" and slot.start.hour >= NOON:
        return False
    if wish.part == "afternoon" and slot.start.hour < NOON:
        return False
    if wish.weekday is not None and slot.start.weekday() != wish.weekday:
        return False
    return wish.not_before is None or slot.start.date() >= wish.not_before


def free_slots(
    hours: OpeningHours, busy: Sequence[Busy], now: datetime, layout: Layout, wish: SlotWish
) -> list[Slot]:
    """Every free slot within the horizon that fits the caller's wish, earliest first."""
    return [
        s
        for s in _candidates(hours, now, layout)
        if _wanted(s, wish) and not overlaps(s, busy, layout.buffer)
    ]


def choose(free: Sequence[Slot], count: int) -> list[Slot]:
    """The slots to offer: the earliest, then the earliest of other days (a caller offered
    9 h and 10 h the same morning has no real choice), then the next ones if days run out."""
    picked: list[Slot] = []
    days: set[date] = set()
    for slot in free:
        if len(picked) < count and slot.start.date() not in days:
            picked.append(slot)
            days.add(slot.start.date())
    for slot in free:
        if len(picked) < count and slot not in picked:
            picked.append(slot)
    return sorted(picked)
