"""The calendar service against a real Radicale server (started by these tests)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from caldav.collection import Calendar
from caldav.davclient import DAVClient

from agent.calendar.caldav_client import CaldavCalendar
from agent.calendar.errors import (
    CalendarAuthError,
    CalendarTimeout,
    CalendarUnreachable,
    SlotTaken,
)
from agent.calendar.model import Slot, SlotWish, Visit
from agent.calendar.service import CalendarService
from agent.calendar.settings import CalendarSettings
from agent.config_core import BusinessConfig
from agent.dialogue.hours import OpeningHours
from tests.calendar.radicale_server import PASSWORD, USER, Radicale, event, mute_server, radicale

PARIS = ZoneInfo("Europe/Paris")
UTC = ZoneInfo("UTC")
WEEKDAYS = {d: "08:00-18:00" for d in ("mon", "tue", "wed", "thu", "fri")}
HOURS = OpeningHours.from_business(
    BusinessConfig("Plomberie", "plombier", "+33612345678", hours=WEEKDAYS,
                   holidays=("2026-12-25",))
)  # fmt: skip
VISIT = Visit("Julie Perrin", "+33698765432", "4 rue Paul Bert, 69003 Lyon", "Fuite sous évier")


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Radicale]:
    with radicale(tmp_path_factory.mktemp("radicale")) as r:
        yield r


def settings(url: str, **kw: object) -> CalendarSettings:
    base: dict[str, object] = dict(url=url, username=USER, password=PASSWORD, slot_minutes=60,
                                   buffer_minutes=30, days_ahead=10, lead_minutes=60)  # fmt: skip
    base.update(kw)
    return CalendarSettings(**base)  # type: ignore[arg-type]


def service(url: str, **kw: object) -> CalendarService:
    s = settings(url, **kw)
    return CalendarService(s, HOURS, CaldavCalendar(s, PARIS))


def fresh(server: Radicale, name: str) -> str:
    server.make_calendar(name)
    return server.collection(name)


def starts(slots: list[Slot], day: date) -> list[int]:
    return [s.start.hour for s in slots if s.start.date() == day]


async def test_free_slots_skip_recurring_and_all_day_events(server: Radicale) -> None:
    url = fresh(server, "weekly")
    admin = DAVClient(url=url, username=USER, password=PASSWORD, require_tls=False)
    c = Calendar(client=admin, url=url)
    # Every Monday 10-12 since November, and Thursday 3 December off (all-day).
    c.add_event(event("weekly@t", at(2026, 11, 2, 10), at(2026, 11, 2, 12),
                      rrule={"freq": "weekly"}))  # fmt: skip
    c.add_event(event("off@t", date(2026, 12, 3), date(2026, 12, 4)))
    free = await service(url).free(at(2026, 11, 29, 20), SlotWish())
    monday, thursday = date(2026, 11, 30), date(2026, 12, 3)
    # 8-9 ends 30 min before the event; 9, 10, 11 and 12 touch it or its travel buffer.
    assert starts(free, monday) == [8, 13, 14, 15, 16, 17]
    assert starts(free, date(2026, 12, 7)) == [8, 13, 14, 15, 16, 17]  # the next recurrence
    assert starts(free, thursday) == []
    assert starts(free, date(2026, 12, 1)) == list(range(8, 18))
    assert not [s for s in free if s.start.weekday() >= 5]  # weekend closed


async def test_dst_change_keeps_local_times(server: Radicale) -> None:
    url = fresh(server, "dst")
    c = DAVClient(url=url, username=USER, password=PASSWORD, require_tls=False)
    cal = Calendar(client=c, url=url)
    # Weekly from before the change (CET), and one event written in UTC after it (CEST):
    # 07:00Z on 31 March is 9 h in Paris (it would read 8 h at the winter offset).
    weekly = {"freq": "weekly"}
    cal.add_event(event("w@dst", at(2026, 3, 23, 14), at(2026, 3, 23, 15), rrule=weekly))
    cal.add_event(event("utc@dst", datetime(2026, 3, 31, 7, tzinfo=UTC),
                        datetime(2026, 3, 31, 8, tzinfo=UTC)))  # fmt: skip
    free = await service(url, buffer_minutes=0).free(at(2026, 3, 27, 18), SlotWish())
    assert starts(free, date(2026, 3, 30)) == [8, 9, 10, 11, 12, 13, 15, 16, 17]
    assert starts(free, date(2026, 3, 31)) == [8, 10, 11, 12, 13, 14, 15, 16, 17]
    first = next(s for s in free if s.start.date() == date(2026, 3, 30))
    assert first.start.utcoffset() == timedelta(hours=2)  # summer time after the change


async def test_booking_writes_the_visit_and_takes_the_slot(server: Radicale) -> None:
    url = fresh(server, "book")
    svc = service(url)
    now = at(2026, 11, 29, 20)
    offered = await svc.offer(now, SlotWish())
    assert len(offered) == 2 and offered[0].start.date() != offered[1].start.date()
    await svc.book(offered[0], VISIT)
    # Another process (a second service) sees the event: the slot and its buffer are gone.
    again = await service(url).free(now, SlotWish())
    assert offered[0] not in again
    assert all(abs(s.start - offered[0].start) > timedelta(hours=1) for s in again)
    found = CaldavCalendar(settings(url), PARIS).busy(offered[0].start, offered[0].end)
    assert [b.summary for b in found] == ["Intervention : Julie Perrin"]


async def test_two_callers_at_once_never_get_one_slot(server: Radicale) -> None:
    url = fresh(server, "race")
    svc = service(url)
    slot = (await svc.offer(at(2026, 11, 29, 20), SlotWish()))[0]
    results = await asyncio.gather(
        svc.book(slot, VISIT), svc.book(slot, VISIT), return_exceptions=True
    )
    assert sum(isinstance(r, str) for r in results) == 1
    assert sum(isinstance(r, SlotTaken) for r in results) == 1
    with pytest.raises(SlotTaken):  # another agent process re-reads before writing
        await service(url).book(slot, VISIT)


async def test_wishes_narrow_the_offer(server: Radicale) -> None:
    url = fresh(server, "wish")
    svc = service(url)
    now = at(2026, 11, 29, 20)
    afternoon = await svc.offer(now, SlotWish(part="afternoon"))
    assert afternoon and all(s.start.hour >= 12 for s in afternoon)
    thursday = await svc.offer(now, SlotWish(weekday=3))
    assert thursday and all(s.start.weekday() == 3 for s in thursday)
    later = await svc.offer(now, SlotWish(not_before=date(2026, 12, 7)))
    assert later and all(s.start.date() >= date(2026, 12, 7) for s in later)


async def test_the_calendar_dying_between_offer_and_booking(tmp_path: Path) -> None:
    with radicale(tmp_path / "dying") as server:
        url = fresh(server, "dying")
        svc = service(url)
        slot = (await svc.offer(at(2026, 11, 29, 20), SlotWish()))[0]
        server.process.terminate()
        server.process.wait(timeout=10)
        with pytest.raises(CalendarUnreachable):
            await svc.book(slot, VISIT)


async def test_wrong_password_is_an_auth_error(server: Radicale) -> None:
    url = fresh(server, "auth")
    with pytest.raises(CalendarAuthError):
        await service(url, password="wrong").offer(at(2026, 11, 29, 20), SlotWish())


async def test_server_down_is_unreachable() -> None:
    from tests.calendar.radicale_server import free_port

    url = f"http://127.0.0.1:{free_port()}/{USER}/travaux/"
    with pytest.raises(CalendarUnreachable):
        await service(url).offer(at(2026, 11, 29, 20), SlotWish())


async def test_slow_server_times_out_in_bounded_time() -> None:
    with mute_server() as port:
        url = f"http://127.0.0.1:{port}/{USER}/travaux/"
        started = time.monotonic()
        with pytest.raises(CalendarTimeout):
            await service(url, timeout_s=1.0).offer(at(2026, 11, 29, 20), SlotWish())
        assert time.monotonic() - started < 4
