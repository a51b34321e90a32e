"""Booking the visit at the end of a qualified call: offer free slots, read the choice, book.

The dialogue does no I/O: it asks for slots (FindSlots) and for the booking (BookSlot); the
call layer answers with on_slots() / on_booking(). Every calendar fault, a caller who declines
or an answer not understood twice ends the call as before, a callback lead, with the reason
noted on the lead (booking_note) for the dashboard and the artisan's SMS.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from agent.calendar.model import Fault, Slot, SlotWish, Visit
from agent.calendar.settings import CalendarSettings
from agent.config_core import BusinessConfig
from agent.dialogue.actions import Action, BookSlot, FindSlots, Hangup, Say
from agent.dialogue.flow import Flow
from agent.dialogue.settings import DialogueSettings
from agent.dialogue.slot_words import (
    Pick,
    Refuse,
    Wish,
    read_choice,
    say_slot,
    say_slots,
    visit_address,
)
from agent.dialogue.stages import Stage
from agent.dialogue.understander import Understander
from agent.leads.model import Turn
from nlp.types import ServiceArea

__all__ = ["FAULT_NOTES", "BookingFlow"]

FAULT_NOTES: dict[Fault, str] = {
    "unreachable": "agenda injoignable",
    "timeout": "agenda trop lent",
    "auth": "connexion à l'agenda refusée",
    "write_failed": "écriture dans l'agenda refusée",
    "slot_taken": "créneaux pris entre-temps",
    "no_slot": "aucun créneau libre",
}
MAX_SEARCHES = 3  # the first offer and two more (another time of day, another week...)


class BookingFlow(Flow):
    def __init__(
        self,
        settings: DialogueSettings,
        business: BusinessConfig,
        understander: Understander,
        clock: Callable[[], datetime],
        caller_number: str | None,
        area: ServiceArea | None = None,
        booking: CalendarSettings | None = None,
    ) -> None:
        super().__init__(settings, business, understander, clock, caller_number, area)
        self.booking = booking  # None: no calendar, calls end as callback leads
        self._searches = 0
        self._offered: tuple[Slot, ...] = ()
        self._chosen: Slot | None = None
        self._wish = SlotWish()

    def _wants_visit(self) -> bool:
        b, c = self.booking, self.collected
        return (
            b is not None
            and b.enabled
            and self._searches == 0
            and bool(c.problem)
            and self._silences == 0  # a caller gone silent is not offered slots
            and (b.book_for == "all" or not c.urgent)
        )

    def _close(self) -> list[Action]:
        if self._wants_visit():
            return [self._say_key("checking_calendar"), *self._search(SlotWish())]
        return super()._close()

    def _search(self, wish: SlotWish) -> list[Action]:
        self._searches += 1
        self._wish = wish
        self.stage = Stage.SLOT_SEARCH
        return [FindSlots(wish)]

    def _callback(self, note: str, said: Say | None = None) -> list[Action]:
        """No visit booked: the usual closing, the reason kept on the lead."""
        self.collected.booking_note = note
        return [*([said] if said else []), *super()._close()]

    def on_slots(self, slots: Sequence[Slot], fault: Fault | None = None) -> list[Action]:
        """The calendar's answer to FindSlots: slots to offer, or why there are none."""
        if self.stage is not Stage.SLOT_SEARCH:
            return []
        if fault is not None:
            return self._callback(FAULT_NOTES[fault], self._say_key("calendar_down"))
        if not slots:
            if self._offered:  # nothing for that wish: the earlier offer still stands
                said = self._say_key("no_slot_wished")
                return [said, *self._offer(self._offered)]
            return self._callback(FAULT_NOTES["no_slot"])
        return self._offer(tuple(slots))

    def _offer(self, slots: tuple[Slot, ...]) -> list[Action]:
        self._offered = slots
        text = self._end.fmt(self.settings.offer_slots, slots=say_slots(slots))
        return self._ask(Stage.SLOT_CHOICE, self._say(text))

    def _on_slot_choice(self, text: str) -> list[Action]:
        today = self._hours.local(self._clock()).date()
        reply = read_choice(self._hyps or [text], self._offered, today)
        if isinstance(reply, Pick):
            return self._book(self._offered[reply.index])
        if isinstance(reply, Wish) and reply.wish == self._wish and self._searches > 1:
            # "Mercredi" again, and every slot offered is a Wednesday: the earliest one.
            return self._book(self._offered[0])
        if isinstance(reply, Wish) and self._searches < MAX_SEARCHES:
            return self._search(reply.wish)
        if isinstance(reply, Refuse | Wish):
            return self._callback("le client n'a pas choisi de créneau")
        if self._may_ask(Stage.SLOT_CHOICE):
            return self._ask_key(Stage.SLOT_CHOICE, "reask_slot")
        return self._callback("choix du créneau non compris")

    def _on_slot_key(self, digit: str) -> list[Action]:
        """DTMF at the offer: 1 for the first slot, 2 for the second..."""
        if digit.isdigit() and 1 <= int(digit) <= len(self._offered):
            self.transcript.append(Turn("caller", f"[touche {digit}]"))
            return self._book(self._offered[int(digit) - 1])
        return []

    def _book(self, slot: Slot) -> list[Action]:
        c = self.collected
        self._chosen = slot
        self.stage = Stage.BOOKING
        visit = Visit(c.name, c.phone or self.caller_id, c.address, c.problem)
        return [self._say_key("booking_wait"), BookSlot(slot, visit)]

    def on_booking(self, fault: Fault | None = None) -> list[Action]:
        """The calendar's answer to BookSlot: None when the event is written."""
        if self.stage is not Stage.BOOKING or self._chosen is None:
            return []
        if fault == "slot_taken" and self._searches < MAX_SEARCHES:
            self._offered = ()
            return [self._say_key("slot_taken"), *self._search(self._wish)]
        if fault is not None:
            return self._callback(FAULT_NOTES[fault], self._say_key("calendar_down"))
        c = self.collected
        c.slot, self.stage = self._chosen, Stage.DONE
        text = self._end.fmt(self.settings.booked, slot=say_slot(self._chosen),
                             address=visit_address(c))  # fmt: skip
        ending = self._end.request("callback_needed", c, self.transcript)
        return [self._say(text), *ending, Hangup("completed")]
