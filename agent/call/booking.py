"""The calendar step of a call: perform the dialogue's FindSlots / BookSlot, feed it the answer.

Any fault (down, slow, login refused, write refused, slot taken) goes back to the dialogue as
its `Fault`, which ends the call as a callback lead noted with the reason; the service bounds
the wait (calendar.timeout_s), so the caller never waits on a hung server.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from datetime import datetime

from agent.calendar.errors import CalendarError
from agent.calendar.service import CalendarPort
from agent.call.context import CallContext
from agent.dialogue import Action, BookSlot, Dialogue, FindSlots

__all__ = ["ask_calendar"]

log = logging.getLogger(__name__)


async def ask_calendar(
    calendar: CalendarPort,
    dialogue: Dialogue,
    call: CallContext,
    action: FindSlots | BookSlot,
    clock: Callable[[], datetime],
    link_base: str = "",
) -> list[Action]:
    """The dialogue's next actions once the calendar answered `action`."""
    try:
        if isinstance(action, FindSlots):
            slots = await calendar.offer(clock(), action.wish)
            call.note("system", f"agenda : {len(slots)} créneau(x) proposé(s)")
            return dialogue.on_slots(slots)
        visit = action.visit
        if link_base:
            # The artisan opens the call (transcript, recording) from the event.
            visit = dataclasses.replace(visit, link=f"{link_base.rstrip('/')}/calls/{call.call_id}")
        uid = await calendar.book(action.slot, visit)
        call.note("system", f"agenda : rendez-vous {action.slot.start.isoformat()} ({uid})")
        return dialogue.on_booking()
    except CalendarError as exc:
        log.warning("call %s: calendar: %s", call.channel.id, exc)
        call.note("system", f"agenda : {exc.fault}")
        if isinstance(action, FindSlots):
            return dialogue.on_slots([], exc.fault)
        return dialogue.on_booking(exc.fault)
