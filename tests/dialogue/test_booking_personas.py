"""Every persona of eval/personas, played as text against the dialogue with a calendar: each
call ends with exactly one lead, and a lead offered slots ends with a visit that overlaps no
event, or as a callback lead saying why not."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from agent.calendar.model import Busy
from agent.calendar.slots import overlaps
from agent.dialogue import Dialogue, DialogueSettings, FindSlots, Stage
from devkit.sim.persona import load_persona

from .conftest import PARIS, TUESDAY_10H, Call, FakeClock, business
from .test_booking import BOOKING, LAYOUT, FakeCalendar

PERSONAS = sorted((Path(__file__).resolve().parents[2] / "eval" / "personas").glob("*.toml"))


def agenda() -> list[Busy]:
    """A full week: a weekly site meeting, two jobs and a day off."""
    day = datetime(2026, 11, 23, tzinfo=PARIS)
    busy = [Busy(day + timedelta(days=7 * w, hours=9), day + timedelta(days=7 * w, hours=11))
            for w in range(4)]  # fmt: skip
    busy.append(
        Busy(datetime(2026, 11, 24, 13, tzinfo=PARIS), datetime(2026, 11, 24, 16, tzinfo=PARIS))
    )
    busy.append(Busy(datetime(2026, 11, 26, tzinfo=PARIS), datetime(2026, 11, 27, tzinfo=PARIS)))
    return busy


def play(path: Path, understander) -> tuple[Call, FakeCalendar]:
    persona = load_persona(path)
    clock = FakeClock(TUESDAY_10H)
    caller = persona.caller_id or None
    dialogue = Dialogue(DialogueSettings(), business(), understander, clock, caller,
                        booking=BOOKING)  # fmt: skip
    call, cal = Call(dialogue), FakeCalendar(busy=agenda())
    call.start()
    for _ in range(40):
        if dialogue.stage is Stage.DONE:
            break
        if dialogue.stage is Stage.TRANSFERRING:
            cal.run(call, call.transfer("no_answer"))
            continue
        cal.run(call, call.say(persona.answer(dialogue.hint.question)))
    return call, cal


@pytest.mark.parametrize("path", PERSONAS, ids=lambda p: p.stem)
def test_persona_ends_with_a_visit_or_a_noted_callback(path, understander) -> None:
    call, cal = play(path, understander)
    assert call.dialogue.stage is Stage.DONE
    lead = call.lead().lead
    if not call.of(FindSlots):
        return  # urgent, spam or nothing said: no slot offered, as before
    assert lead.outcome == "callback_needed"
    if lead.visit_start is None:
        assert lead.booking_note, "a callback lead offered slots says why none was booked"
        return
    (booked,) = cal.booked
    assert booked.start == lead.visit_start and not overlaps(booked, agenda(), LAYOUT.buffer)


def _slot_answer(path: Path) -> str:
    return (load_persona(path).answers.get("slot") or "").lower()


PICKERS = [p for p in PERSONAS if any(w in _slot_answer(p) for w in ("premier", "deuxième"))]
DECLINERS = [p for p in PERSONAS if "non merci" in _slot_answer(p)]


@pytest.mark.parametrize("path", PICKERS, ids=lambda p: p.stem)
def test_personas_that_pick_a_slot_book_it(path, understander) -> None:
    call, cal = play(path, understander)
    assert call.lead().lead.visit_start is not None and len(cal.booked) == 1


@pytest.mark.parametrize("path", DECLINERS, ids=lambda p: p.stem)
def test_personas_that_decline_are_callbacks(path, understander) -> None:
    call, cal = play(path, understander)
    assert call.lead().lead.visit_start is None and not cal.booked
