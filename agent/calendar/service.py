"""The calendar as the call layer sees it: free slots to offer, and a booking that re-checks.

Blocking CalDAV work runs in a worker thread under `timeout_s`, so a slow server costs the
caller a bounded wait, never a hung call. Bookings are serialised by one lock and re-read the
slot's span just before writing: two callers offered the same slot at once get it for one of
them and `SlotTaken` for the other (who is then offered the next free ones).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Protocol, TypeVar

from agent.calendar.errors import CalendarTimeout, SlotTaken
from agent.calendar.model import Busy, Slot, SlotWish, Visit
from agent.calendar.settings import CalendarSettings
from agent.calendar.slots import Layout, choose, free_slots, overlaps
from agent.dialogue.hours import OpeningHours

__all__ = ["BusyCalendar", "CalendarPort", "CalendarService"]

log = logging.getLogger(__name__)
T = TypeVar("T")


class BusyCalendar(Protocol):
    """The blocking calendar (CaldavCalendar, or a fake in tests)."""

    def busy(self, start: datetime, end: datetime) -> list[Busy]: ...

    def add(self, slot: Slot, visit: Visit) -> str: ...


class CalendarPort(Protocol):
    """What the receptionist needs; raises agent.calendar.errors.CalendarError subclasses."""

    async def offer(self, now: datetime, wish: SlotWish) -> list[Slot]: ...

    async def book(self, slot: Slot, visit: Visit) -> str: ...


class CalendarService:
    def __init__(
        self, settings: CalendarSettings, hours: OpeningHours, calendar: BusyCalendar
    ) -> None:
        self._settings = settings
        self._hours = hours
        self._calendar = calendar
        self._layout = Layout(
            slot=timedelta(minutes=settings.slot_minutes),
            buffer=timedelta(minutes=settings.buffer_minutes),
            days_ahead=settings.days_ahead,
            lead=timedelta(minutes=settings.lead_minutes),
        )
        self._lock = asyncio.Lock()
        # Slots this process booked but the server may not list yet (a slow index): never
        # offered again, whatever the re-read says.
        self._booked: list[Busy] = []

    async def _blocking(self, work: Callable[[], T]) -> T:
        # The whole exchange (discovery and search are several requests) within timeout_s:
        # the caller hears "je regarde l'agenda" and then waits on the line. A write cut off
        # here may still land on the server; the re-read of the next booking then sees it.
        limit = self._settings.timeout_s
        try:
            async with asyncio.timeout(limit):
                return await asyncio.to_thread(work)
        except TimeoutError:
            raise CalendarTimeout(f"no answer within {limit:.1f} s") from None

    async def free(self, now: datetime, wish: SlotWish) -> list[Slot]:
        """Every free slot in the horizon that fits `wish`."""
        here = self._hours.local(now)
        start = datetime.combine(here.date(), datetime.min.time(), self._hours.tz)
        end = start + timedelta(days=self._settings.days_ahead + 1)
        busy = await self._blocking(lambda: self._calendar.busy(start, end))
        return free_slots(self._hours, [*busy, *self._booked], now, self._layout, wish)

    async def offer(self, now: datetime, wish: SlotWish) -> list[Slot]:
        """The few slots to propose (`proposals`), on different days where possible."""
        return choose(await self.free(now, wish), self._settings.proposals)

    async def book(self, slot: Slot, visit: Visit) -> str:
        """Write the visit if the slot is still free (read again under the lock)."""
        buffer = self._layout.buffer
        async with self._lock:
            busy = await self._blocking(
                lambda: self._calendar.busy(slot.start - buffer, slot.end + buffer)
            )
            if overlaps(slot, [*busy, *self._booked], buffer):
                raise SlotTaken(f"{slot.start.isoformat()} was taken meanwhile")
            uid = await self._blocking(lambda: self._calendar.add(slot, visit))
            past = datetime.now(UTC)
            self._booked = [b for b in self._booked if b.end > past]  # only the future counts
            self._booked.append(Busy(slot.start, slot.end, uid))
            log.info("calendar: booked %s (%s)", slot.start.isoformat(), uid)
            return uid
