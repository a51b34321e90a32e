"""A whole call in process that books a visit, with the calendar service on an in-memory
calendar: the booking, a slow calendar and a calendar dying between offer and booking."""

from __future__ import annotations

import dataclasses
import threading
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from agent.ari.models import ChannelDtmfReceived
from agent.calendar.errors import CalendarUnreachable
from agent.calendar.model import Busy, Slot, Visit
from agent.calendar.service import CalendarService
from agent.calendar.settings import CalendarSettings
from agent.call.receptionist_deps import ReceptionistDeps
from agent.config_core import BusinessConfig
from agent.dialogue import DialogueSettings, Understander
from agent.dialogue.hours import OpeningHours
from tests.call.fakes import (
    ARTISAN,
    CALLER_ID,
    TOWNS,
    Harness,
    ScriptedTranscriber,
    event,
    started_call,
    stored,
    talking_deps,
    through_read_back,
    until,
)

TEXTS = DialogueSettings()
QUOTE = "Je voudrais un devis pour changer mon chauffe-eau."
SETTINGS = CalendarSettings(
    url="http://dav.test/cal/", username="u", password="p", timeout_s=0.5,
    link_base="https://bureau.example.fr/",
)  # fmt: skip
WEEK = {d: "08:00-18:00" for d in ("mon", "tue", "wed", "thu", "fri")}
BUSINESS = BusinessConfig("Plomberie Martin", "plombier", ARTISAN, towns=TOWNS, hours=WEEK)
TUESDAY = datetime(2026, 3, 10, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))


class MemoryCalendar:
    """A calendar in a list; `slow_s` delays every read, `down_after` fails the writes."""

    def __init__(self, slow_s: float = 0.0, fail_writes: bool = False) -> None:
        self.events: list[Busy] = []
        self.slow_s = slow_s
        self.fail_writes = fail_writes
        self._lock = threading.Lock()
        self.visits: list[Visit] = []

    def busy(self, start: datetime, end: datetime) -> list[Busy]:
        time.sleep(self.slow_s)
        with self._lock:
            return [b for b in self.events if b.start < end and start < b.end]

    def add(self, slot: Slot, visit: Visit) -> str:
        if self.fail_writes:
            raise CalendarUnreachable("connection reset")
        with self._lock:
            self.events.append(Busy(slot.start, slot.end, visit.name or ""))
            self.visits.append(visit)
        return "uid-1"


def _deps(understander: Understander, calendar: MemoryCalendar, *said: str) -> ReceptionistDeps:
    hours = OpeningHours.from_business(BUSINESS)
    service = CalendarService(SETTINGS, hours, calendar)
    deps = talking_deps(understander, ScriptedTranscriber([QUOTE, "Philippe Bernard.",
                        "Douze rue de la République à Villeurbanne.", *said]))  # fmt: skip
    return dataclasses.replace(deps, business=BUSINESS, clock=lambda: TUESDAY,
                               calendar=service, booking=SETTINGS)  # fmt: skip


async def _to_offer(tmp_path: Path, deps: ReceptionistDeps) -> Harness:
    call = await started_call(tmp_path, deps)
    await through_read_back(call)
    return call


async def test_a_call_books_the_slot_chosen_and_texts_it(
    tmp_path: Path, understander: Understander
) -> None:
    calendar = MemoryCalendar()
    deps = _deps(understander, calendar)
    call = await _to_offer(tmp_path, deps)
    await until(lambda: any("peut passer" in t for t in call.notes("agent")), "the offer")
    offer = next(t for t in call.notes("agent") if "peut passer" in t)
    assert "mardi 10 mars à 12 h ou mercredi 11 à 8 h" in offer
    call.send(event(ChannelDtmfReceived, CALLER_ID, digit="2"))
    await call.ended()
    assert any(t.startswith("C'est noté : mercredi 11 mars à 8 h") for t in call.notes("agent"))
    assert [e.start.hour for e in calendar.events] == [8]
    (visit,) = calendar.visits
    assert visit.name == "Philippe Bernard" and visit.phone == "+33698765432"
    assert visit.link == f"https://bureau.example.fr/calls/{call.context.call_id}"
    (lead,) = stored(deps)[0].saved
    assert lead.visit_start is not None and lead.visit_start.day == 11
    texts = [t for _, _, t in stored(deps)[1].queued]
    assert any("mercredi 11 mars à 8 h" in t and "République" in t for t in texts)


async def test_a_slow_calendar_ends_as_a_noted_callback_without_dead_air(
    tmp_path: Path, understander: Understander
) -> None:
    deps = _deps(understander, MemoryCalendar(slow_s=3.0))
    call = await _to_offer(tmp_path, deps)
    started = time.monotonic()
    await call.ended(timeout_s=8)
    agent = call.notes("agent")
    assert "Je regarde l'agenda de l'artisan." in agent and TEXTS.calendar_down in agent
    assert time.monotonic() - started < 2.5  # the wait is bounded by timeout_s
    (lead,) = stored(deps)[0].saved
    assert lead.visit_start is None and lead.booking_note == "agenda trop lent"


async def test_the_calendar_dying_mid_call_ends_as_a_noted_callback(
    tmp_path: Path, understander: Understander
) -> None:
    deps = _deps(understander, MemoryCalendar(fail_writes=True))
    call = await _to_offer(tmp_path, deps)
    await until(lambda: any("peut passer" in t for t in call.notes("agent")), "the offer")
    call.send(event(ChannelDtmfReceived, CALLER_ID, digit="1"))
    await call.ended()
    (lead,) = stored(deps)[0].saved
    assert lead.visit_start is None and lead.booking_note == "agenda injoignable"
    assert any("pas de RDV" in t for t in [t for _, _, t in stored(deps)[1].queued])
