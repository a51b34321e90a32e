"""The artisan's CalDAV calendar, through the `caldav` and `icalendar` libraries. Blocking:
the service runs these calls in a worker thread, under a timeout.

Every library or network failure leaves here as one of agent.calendar.errors, so the caller
of this module never sees a niquests or lxml exception.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import caldav
import icalendar
import niquests.exceptions
from caldav.lib import error as dav_error

from agent.calendar.errors import (
    CalendarAuthError,
    CalendarError,
    CalendarTimeout,
    CalendarUnreachable,
    CalendarWriteError,
)
from agent.calendar.model import Busy, Slot, Visit
from agent.calendar.settings import CalendarSettings

__all__ = ["CaldavCalendar", "event_for"]

T = TypeVar("T")
# caldav exports its classes lazily, which mypy reads as `object`.
_DAVClient: Any = caldav.DAVClient


@contextmanager
def _typed_errors(writing: bool = False) -> Iterator[None]:
    try:
        yield
    except CalendarError:
        raise
    except dav_error.AuthorizationError as exc:
        raise CalendarAuthError(f"calendar login refused: {exc}") from exc
    except niquests.exceptions.Timeout as exc:
        raise CalendarTimeout(f"calendar too slow: {exc}") from exc
    except (niquests.exceptions.RequestException, OSError) as exc:
        raise CalendarUnreachable(f"calendar unreachable: {exc}") from exc
    except dav_error.NotFoundError as exc:
        raise CalendarUnreachable(f"calendar not found: {exc}") from exc
    except (dav_error.PutError, dav_error.DAVError) as exc:
        kind = CalendarWriteError if writing else CalendarUnreachable
        raise kind(f"calendar refused the request: {exc}") from exc


class CaldavCalendar:
    """One calendar collection; connects on first use, and again after a failure."""

    def __init__(self, settings: CalendarSettings, tz: ZoneInfo) -> None:
        self._settings = settings
        self._tz = tz
        self._calendar: Any = None

    def _collection(self) -> Any:
        if self._calendar is None:
            s = self._settings
            client = _DAVClient(
                url=s.url,
                username=s.username,
                password=s.password,
                timeout=max(1, round(s.timeout_s)),
                require_tls=False,  # a Radicale or Nextcloud on the LAN may be plain http
            )
            if s.calendar:
                self._calendar = client.principal().calendar(name=s.calendar)
            else:
                self._calendar = client.calendar(url=s.url)
        return self._calendar

    def _call(self, work: Callable[[Any], T], writing: bool = False) -> T:
        try:
            with _typed_errors(writing):
                return work(self._collection())
        except CalendarError:
            self._calendar = None  # the next call reconnects (and rediscovers)
            raise

    def busy(self, start: datetime, end: datetime) -> list[Busy]:
        """The spans taken between `start` and `end`: recurrences expanded, all-day events
        as whole local days, transparent ("free") and cancelled events left out."""
        found = self._call(lambda c: c.search(start=start, end=end, event=True, expand=True))
        spans = [b for ev in found for b in self._spans(ev.icalendar_instance)]
        return sorted((b for b in spans if b.start < end and start < b.end), key=lambda b: b.start)

    def _spans(self, cal: icalendar.Calendar) -> Iterator[Busy]:
        for comp in cal.walk("VEVENT"):
            if str(comp.get("TRANSP", "")).upper() == "TRANSPARENT":
                continue
            if str(comp.get("STATUS", "")).upper() == "CANCELLED":
                continue
            start = self._aware(comp.decoded("DTSTART"))
            if "DTEND" in comp:
                end = self._aware(comp.decoded("DTEND"))
            elif "DURATION" in comp:
                end = start + comp.decoded("DURATION")
            else:  # RFC 5545: a date lasts one day, a date-time is an instant
                is_day = not isinstance(comp.decoded("DTSTART"), datetime)
                end = start + (timedelta(days=1) if is_day else timedelta(0))
            yield Busy(start, end, str(comp.get("SUMMARY", "")))

    def _aware(self, value: date | datetime) -> datetime:
        """All-day dates and floating times are the business's local time."""
        if not isinstance(value, datetime):
            return datetime.combine(value, datetime.min.time(), self._tz)
        return value if value.tzinfo is not None else value.replace(tzinfo=self._tz)

    def add(self, slot: Slot, visit: Visit) -> str:
        """Write the visit's event; returns its UID."""
        event = event_for(slot, visit)
        self._call(lambda c: c.add_event(event.to_ical().decode()), writing=True)
        return str(event.walk("VEVENT")[0]["UID"])


def event_for(slot: Slot, visit: Visit) -> icalendar.Calendar:
    """The event the artisan finds in their agenda: who, where, what, and the link."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//decroche//receptionist//FR")
    cal.add("version", "2.0")
    ev = icalendar.Event()
    ev.add("uid", f"{uuid.uuid4()}@decroche")
    ev.add("dtstamp", datetime.now(UTC))
    ev.add("dtstart", slot.start)
    ev.add("dtend", slot.end)
    who = visit.name or visit.phone or "client"
    ev.add("summary", f"Intervention : {who}")
    if visit.address:
        ev.add("location", visit.address)
    lines = [f"Client : {visit.name or 'nom non donné'}", f"Téléphone : {visit.phone or '-'}",
             f"Adresse : {visit.address or '-'}", f"Demande : {visit.problem or '-'}"]  # fmt: skip
    if visit.link:
        lines.append(f"Fiche : {visit.link}")
        ev.add("url", visit.link)
    ev.add("description", "\n".join(lines))
    cal.add_component(ev)
    cal.add_missing_timezones()  # the VTIMEZONE servers need to read TZID=Europe/Paris
    return cal
