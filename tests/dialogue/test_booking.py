"""Booking a visit at the end of a call: slots offered in French, the choice understood,
faults ending as callback leads. The calendar is a fake port (pure slot search over a list)."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from agent.calendar.model import Busy, Fault, Slot
from agent.calendar.settings import CalendarSettings
from agent.calendar.slots import Layout, choose, free_slots, overlaps
from agent.dialogue import (
    Action,
    BookSlot,
    Dialogue,
    DialogueSettings,
    FindSlots,
    Hangup,
    Stage,
)
from agent.dialogue.hours import OpeningHours

from .conftest import CALLER, PARIS, TUESDAY_10H, Call, FakeClock, business

BOOKING = CalendarSettings(url="https://dav.example.fr/cal/", username="a", password="p")
LAYOUT = Layout(timedelta(hours=1), timedelta(minutes=30), 14, timedelta(hours=2))


class FakeCalendar:
    """Answers the dialogue's calendar actions as the receptionist would."""

    def __init__(self, busy: list[Busy] | None = None, fault: Fault | None = None) -> None:
        self.busy = busy or []
        self.fault = fault
        self.booked: list[Slot] = []
        self.hours = OpeningHours.from_business(business())

    def run(self, call: Call, actions: list[Action]) -> list[Action]:
        out = list(actions)
        for action in actions:
            if isinstance(action, FindSlots):
                now = call.dialogue._clock()
                if self.fault:
                    more = call.dialogue.on_slots([], self.fault)
                else:
                    free = free_slots(self.hours, self.busy, now, LAYOUT, action.wish)
                    more = call.dialogue.on_slots(choose(free, 2))
                out += self.run(call, call._keep(more))
            elif isinstance(action, BookSlot):
                taken = overlaps(action.slot, self.busy, LAYOUT.buffer)
                fault: Fault | None = "slot_taken" if taken else None
                if not taken:
                    self.busy.append(Busy(action.slot.start, action.slot.end))
                    self.booked.append(action.slot)
                out += self.run(call, call._keep(call.dialogue.on_booking(fault)))
        return out


@pytest.fixture
def booking_call(understander):
    def build(when: datetime = TUESDAY_10H, **settings: Any) -> Call:
        booking = dataclasses.replace(BOOKING, **settings)
        clock = FakeClock(when)
        dialogue = Dialogue(DialogueSettings(), business(), understander, clock, CALLER,
                            booking=booking)  # fmt: skip
        call = Call(dialogue)
        call.start()
        return call

    return build


def qualify(call: Call, cal: FakeCalendar) -> list[Action]:
    call.say("bonjour, je voudrais faire installer un nouveau lavabo dans la salle de bain")
    call.say("Marie Lefèvre")
    call.say("12 rue des Lilas à Bron")
    call.say("oui")
    return cal.run(call, call.say("oui c'est bien ça"))


def test_offer_is_plain_french_on_two_days(booking_call) -> None:
    call, cal = booking_call(), FakeCalendar()
    said = call.said(qualify(call, cal))
    # Tuesday 10 h + 2 h lead: Tuesday 12 h, then Wednesday 8 h.
    assert "mardi 24 novembre à 12 h ou mercredi 25 à 8 h" in said
    assert call.dialogue.stage is Stage.SLOT_CHOICE


@pytest.mark.parametrize(
    ("answer", "day", "hour"),
    [
        ("le premier", 24, 12),
        ("euh le premier ça m'ira très bien", 24, 12),
        ("la deuxième s'il vous plaît", 25, 8),
        ("mercredi", 25, 8),
        ("plutôt mercredi oui", 25, 8),
        ("à 12 heures", 24, 12),
        ("oui le second", 25, 8),
    ],
)
def test_choice_is_understood_and_read_back(booking_call, answer, day, hour) -> None:
    call, cal = booking_call(), FakeCalendar()
    qualify(call, cal)
    said = call.said(cal.run(call, call.say(answer)))
    assert cal.booked and cal.booked[0].start == datetime(2026, 11, day, hour, tzinfo=PARIS)
    assert "C'est noté" in said and "rue des Lilas" in said
    lead = call.lead().lead
    assert lead.visit_start == cal.booked[0].start
    sms = call.sms()
    assert "rendez-vous" in sms["caller_recap"].text and "Lilas" in sms["caller_recap"].text
    assert f"{hour} h" in sms["artisan_recap"].text
    assert isinstance(call.actions[-1], Hangup)


def test_dtmf_two_books_the_second(booking_call) -> None:
    call, cal = booking_call(), FakeCalendar()
    qualify(call, cal)
    cal.run(call, call.dtmf("2"))
    assert cal.booked[0].start.date() == date(2026, 11, 25)


@pytest.mark.parametrize(
    ("answer", "check"),
    [
        ("plutôt l'après-midi", lambda s: s.start.hour >= 12),
        ("non, plutôt en fin de journée", lambda s: s.start.hour >= 12),
        ("la semaine prochaine si possible", lambda s: s.start.date() >= date(2026, 11, 30)),
        ("vendredi matin ce serait mieux", lambda s: s.start.weekday() == 4 and s.start.hour < 12),
        ("le matin plutôt", lambda s: s.start.hour < 12),
    ],
)
def test_wishes_search_again(booking_call, answer, check) -> None:
    call, cal = booking_call(), FakeCalendar()
    qualify(call, cal)
    cal.run(call, call.say(answer))
    cal.run(call, call.say("le premier"))
    assert cal.booked and check(cal.booked[0])


@pytest.mark.parametrize("answer", ["non merci", "non, rappelez-moi plutôt", "aucun des deux"])
def test_declining_ends_as_a_callback_lead(booking_call, answer) -> None:
    call, cal = booking_call(), FakeCalendar()
    qualify(call, cal)
    cal.run(call, call.say(answer))
    lead = call.lead().lead
    assert lead.outcome == "callback_needed" and lead.visit_start is None
    assert lead.booking_note and not cal.booked


@pytest.mark.parametrize("fault", ["unreachable", "timeout", "auth"])
def test_calendar_fault_is_a_callback_lead_noted(booking_call, fault) -> None:
    call, cal = booking_call(), FakeCalendar(fault=fault)
    said = call.said(qualify(call, cal))
    assert "agenda" in said and "Au revoir" in said
    lead = call.lead().lead
    assert lead.visit_start is None and "agenda" in lead.booking_note
    assert "pas de RDV" in call.sms()["artisan_recap"].text


def test_slot_taken_meanwhile_offers_the_next(booking_call) -> None:
    call, cal = booking_call(), FakeCalendar()
    qualify(call, cal)
    first = call.dialogue._offered[0]
    cal.busy.append(Busy(first.start, first.end, "autre appel"))  # another caller got it
    said = call.said(cal.run(call, call.say("le premier")))
    assert "vient d'être pris" in said and call.dialogue.stage is Stage.SLOT_CHOICE
    cal.run(call, call.say("le premier"))
    assert cal.booked and cal.booked[0] != first


def test_unclear_twice_ends_as_callback(booking_call) -> None:
    call, cal = booking_call(), FakeCalendar()
    qualify(call, cal)
    said = call.said(cal.run(call, call.say("hmm je sais pas trop")))
    assert "premier ou le deuxième" in said
    cal.run(call, call.say("attendez je regarde"))
    assert call.lead().lead.visit_start is None and not cal.booked


def test_urgent_calls_are_not_offered_slots_by_default(booking_call) -> None:
    call, cal = booking_call(), FakeCalendar()
    call.say("j'ai une fuite d'eau énorme, ça inonde tout, c'est urgent")
    call.say("Paul Girard")
    call.say("à Villeurbanne")
    assert call.transfers()
    call.transfer("no_answer")  # the artisan does not pick up: the call goes on, urgent
    for answer in ("15 rue Racine", "oui", "oui"):
        if call.dialogue.stage is not Stage.DONE:
            cal.run(call, call.say(answer))
    assert call.dialogue.stage is Stage.DONE
    assert not call.of(FindSlots) and call.lead().lead.urgent


def test_a_wish_with_nothing_free_keeps_the_first_offer(booking_call) -> None:
    call, cal = booking_call(), FakeCalendar()
    qualify(call, cal)
    first = call.dialogue._offered
    said = call.said(cal.run(call, call.say("dimanche plutôt")))  # closed on Sundays
    assert "pas de créneau libre" in said and call.dialogue._offered == first
    cal.run(call, call.say("bon, le premier alors"))
    assert cal.booked == [first[0]]


def test_hanging_up_at_the_offer_is_a_noted_callback(booking_call) -> None:
    call, cal = booking_call(), FakeCalendar()
    qualify(call, cal)
    call.hangup()
    lead = call.lead().lead
    assert lead.outcome == "callback_needed" and "raccroché" in lead.booking_note


def test_hesitation_waits_for_the_answer(booking_call) -> None:
    call, cal = booking_call(), FakeCalendar()
    qualify(call, cal)
    assert call.say("euh...") == []
    cal.run(call, call.say("le deuxième"))
    assert cal.booked


def test_no_calendar_closes_as_before(make_call) -> None:
    call = make_call()
    call.say("je voudrais un devis pour une douche à l'italienne")
    call.say("Marc Dubois")
    call.say("3 avenue Jean Jaurès à Lyon")
    call.say("oui")
    said = call.say("oui")
    assert not call.of(FindSlots) and isinstance(said[-1], Hangup)


def test_unreadable_first_hypothesis_falls_back_to_the_others(booking_call) -> None:
    call, cal = booking_call(), FakeCalendar()
    qualify(call, cal)
    cal.run(call, call.say("le prix mieux", "le premier", "le premier mieux"))
    assert cal.booked and cal.booked[0].start == datetime(2026, 11, 24, 12, tzinfo=PARIS)


def test_the_same_wish_again_takes_the_earliest_fitting_slot(booking_call) -> None:
    call, cal = booking_call(), FakeCalendar()
    qualify(call, cal)
    cal.run(call, call.say("jeudi"))  # not offered: Thursday slots are looked for
    assert all(s.start.weekday() == 3 for s in call.dialogue._offered)
    cal.run(call, call.say("oui jeudi"))
    assert cal.booked and cal.booked[0].start == datetime(2026, 11, 26, 8, tzinfo=PARIS)
