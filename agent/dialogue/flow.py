"""The receptionist's state and its way of asking: what was heard, what to ask next.

`Flow` holds one call's state and the rules that pick the next question; `Dialogue` (manager.py)
adds the events and one handler per question. No question is asked more than twice in a call;
a field heard but unsure gets one re-ask phrased differently (spelling the name; the town alone,
then the street alone), then the dialogue moves on and marks it "à vérifier" (to_check).
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from typing import Self

from agent.config_core import BusinessConfig
from agent.dialogue import lexicon
from agent.dialogue.actions import Action, Hangup, Say, Transfer
from agent.dialogue.corrections import Corrector
from agent.dialogue.endings import Endings
from agent.dialogue.hours import OpeningHours
from agent.dialogue.messages import Collected, readback_summary
from agent.dialogue.places import Place, PlaceReader, renumbered
from agent.dialogue.safety import advice_keys
from agent.dialogue.settings import DialogueSettings
from agent.dialogue.stages import MAX_ASKS, Stage, question_of
from agent.dialogue.understander import Expecting, Understander
from agent.leads.model import Turn
from agent.speech.hint import Question
from nlp.phone_numbers import as_e164, read_back
from nlp.text import fold
from nlp.types import ServiceArea, Understanding

__all__ = ["Flow"]

SPAM_CATEGORIES = frozenset({"demarchage", "spam"})
VAGUE_CATEGORIES = frozenset({"autre", "inconnu", "unknown", ""})
# The re-asks that repair an unsure field: each at most once a call.
_REPAIRS = frozenset({Stage.SPELL_NAME, Stage.CITY, Stage.STREET})


def _key(text: str) -> str:
    return fold(text, keep_apostrophes=True)


class Flow:
    def __init__(
        self,
        settings: DialogueSettings,
        business: BusinessConfig,
        understander: Understander,
        clock: Callable[[], datetime],
        caller_number: str | None,
        area: ServiceArea | None = None,
    ) -> None:
        self.settings = settings
        self._area = area  # the streets and towns served; None: towns from the config only
        self.business = business
        self._nlp = understander
        self._clock = clock
        self.caller_id = as_e164(caller_number)
        self._hours = OpeningHours.from_business(business)
        self._end = Endings(settings, business, self._hours, clock, self.caller_id)
        self._places = PlaceReader(area, settings.confidence_threshold)
        self.stage = Stage.GREETING
        self.collected = Collected()
        self.transcript: list[Turn] = []
        self._fix = Corrector(self.collected, self._places, settings.confidence_threshold)
        self._failures: dict[Stage, int] = {}
        self._asked: Counter[Question] = Counter()
        self._settled: set[lexicon.Field] = set()  # asking about these is over
        self._advised: set[str] = set()  # safety phrases already said
        self._hyps: list[str] = []  # the utterance being handled and Whisper's other readings
        self._letters: list[str] = []  # its letters-only reading, for a spelling
        # The name answer's surname came from a lower reading only (not said in the best one).
        self._surname_unsaid = False
        self._stt = 1.0  # and Whisper's confidence in it
        self._street_hyps: tuple[list[str], float] = ([], 1.0)  # the words a street came from
        # The callback numbers read from the caller's answers so far, with their confidence.
        self._phone_readings: dict[str, float] = {}
        self._silences = 0
        self._last_question: Say | None = None
        self._transfer_tried = False
        # What was asked while the mobile rings (the street, then the spelling), not answered.
        self._ringing_ask: Stage | None = None
        self._correcting: lexicon.Field | None = None
        self._readbacks = 0
        self._answered: Stage | None = None  # the question the caller's last turn answered

    def snapshot(self) -> Self:
        """This call's state as it is now, to go back to (a caller's answer heard in two
        halves is taken back, then heard whole). The understander, the area, the settings
        and the clock are shared, not copied."""
        shared = (self.settings, self.business, self._nlp, self._area, self._clock)
        memo: dict[int, object] = {id(o): o for o in shared if o is not None}
        return copy.deepcopy(self, memo)

    # -- saying and asking ---------------------------------------------------------------------

    def _say(self, text: str, key: str | None = None) -> Say:
        self.transcript.append(Turn("agent", text))
        return Say(text, key)

    def _say_key(self, key: str) -> Say:
        """A fixed phrase of the settings (see fixed_prompts), with its key for pre-rendering."""
        return self._say(self._end.fmt(getattr(self.settings, key)), key)

    def _ask(self, stage: Stage, question: Say) -> list[Action]:
        self.stage = stage
        self._asked[question_of(stage)] += 1
        self._last_question = question
        return [question]

    def _ask_key(self, stage: Stage, key: str) -> list[Action]:
        return self._ask(stage, self._say_key(key))

    def _failed(self, stage: Stage) -> int:
        self._failures[stage] = self._failures.get(stage, 0) + 1
        return self._failures[stage]

    def _may_ask(self, stage: Stage) -> bool:
        limit = 1 if stage in _REPAIRS else MAX_ASKS
        return self._asked[question_of(stage)] < limit

    def _may_repeat(self) -> bool:
        return self._last_question is not None and self._may_ask(self.stage)

    def _repeat(self) -> list[Action]:
        """The last question again, word for word (counted as asked)."""
        assert self._last_question is not None
        self.transcript.append(Turn("agent", self._last_question.text))
        self._asked[question_of(self.stage)] += 1
        return [self._last_question]

    def _safety(self, text: str) -> list[Action]:
        """The safety advice a danger calls for, before anything else (each said once)."""
        keys = [k for k in advice_keys(text) if k not in self._advised]
        if keys:
            self.collected.urgent = True
        self._advised.update(keys)
        return [self._say_key(k) for k in keys]

    # -- what was heard --------------------------------------------------------------------------

    @property
    def _threshold(self) -> float:
        return self.settings.confidence_threshold

    def _understand(self, text: str, expecting: Expecting | None) -> Understanding:
        u = self._nlp.understand(text, self.business.trade, expecting)
        c = self.collected
        # Whatever else the caller volunteered fills empty slots (never overwrites here).
        if u.name and self._plausible_name(u.name) and not c.name:
            c.name, c.name_confidence = u.name, self._stt
        if expecting != "address" and (u.street or u.city) and not c.street:
            self._take(self._places.address(self._hyps, self._stt, u, None), replace=False)
        phone = as_e164(u.phone)
        if phone and not c.phone:
            c.phone, c.phone_confidence = phone, self._stt
        return u

    def _plausible_name(self, name: str) -> bool:
        """Not a filler, and not a town of the area ("Villeurbanne" said where a name was
        expected is the town the caller is in a hurry to give)."""
        towns = self._area.towns() if self._area is not None else self.business.towns
        town = _key(name).removeprefix("a ")  # "À Lyon": the town, said where it goes
        return lexicon.plausible_name(name) and town not in {_key(t) for t in towns}

    def _take(self, place: Place, replace: bool) -> None:
        """Keep what an answer said about the address; an answer to an address question
        replaces (it may be a correction), a street without its town keeps the town."""
        c = self.collected
        if place.heard and (place.street or place.city or replace):
            c.address_heard = " / ".join(p for p in (c.address_heard, place.heard) if p)
        if place.street and (replace or not c.street):
            c.street, c.street_confidence = place.street, place.street_confidence
            self._street_hyps = (self._hyps, self._stt)
            c.postcode = place.postcode if place.city else (place.postcode or c.postcode)
        if place.city and (replace or not c.city):
            # The postcode of the town kept before is not the new town's ("69001 Villeurbanne").
            same = c.city is not None and fold(c.city) == fold(place.city)
            c.city, c.town_confidence = place.city, place.town_confidence
            c.postcode = place.postcode or (c.postcode if same else None)

    def _take_address(self, u: Understanding) -> None:
        """An answer to an address question: within the town when it is sure; a town heard
        in no list does not replace the one kept (agent.dialogue.places)."""
        c = self.collected
        known = c.city if self._sure(c.town_confidence) else None
        self._take(self._places.address(self._hyps, self._stt, u, known, c.city), replace=True)

    def _take_street(self, text: str) -> None:
        """An answer to the street question: it replaces the street heard before when read
        at least as surely, or when it gives the same street another number."""
        c = self.collected
        u = self._understand(text, "address")
        place = self._places.street(self._hyps, self._stt, u, c.city)
        if place.street and (
            not c.street
            or place.street_confidence >= c.street_confidence
            or renumbered(c.street, place.street)
        ):
            self._take(place, replace=True)

    def _sure(self, confidence: float) -> bool:
        return confidence >= self._threshold

    # -- flow ----------------------------------------------------------------------------------

    def _transfer_now(self) -> bool:
        s = self.settings
        return (
            self.collected.urgent
            and s.transfer_urgent
            and not self._transfer_tried
            and (s.transfer_urgent_outside_hours or self._hours.is_open(self._clock()))
        )

    def _may_repair(self, stage: Stage) -> bool:
        # An urgent call about to be transferred skips repairs: the artisan will talk to the
        # caller in a moment, and a gas leak is no time for spelling.
        return self._may_ask(stage) and self._correcting is None and not self._transfer_now()

    def _next(self) -> list[Action]:
        """Ask for the first missing or unsure slot, or move on to transfer / read-back."""
        if self._transfer_now():
            return self._before_transfer()
        for step in (self._name_step, self._address_step):
            actions = step()
            if actions is not None:
                return actions
        c = self.collected
        if not c.phone and "phone" not in self._settled:
            if self.caller_id and self._may_ask(Stage.PHONE_CONFIRM):
                return self._ask(Stage.PHONE_CONFIRM, self._say(self._confirm_phone_text()))
            if self._may_ask(Stage.PHONE):
                return self._ask_key(Stage.PHONE, "ask_phone")
        return self._readback()

    def _before_transfer(self) -> list[Action]:
        """An urgent call asks only what the artisan needs to pick up (who, in which town),
        then rings the mobile: the street and the callback number are taken after, if nobody
        answers. Asking the whole address first made the mobile ring ~30 s after the urgent
        sentence (issue 10); each question skipped here is ~4 s of the caller's wait."""
        c = self.collected
        if not c.name and self._asked["name"] == 0:
            return self._ask_key(Stage.NAME, "ask_name")
        if not c.city and self._asked["town"] == 0 and self._asked["address"] == 0:
            return self._ask_key(Stage.CITY, "ask_city")
        hidden = not self.caller_id and not c.phone and "phone" not in self._settled
        if hidden and self._may_ask(Stage.PHONE):
            # A hidden number: without it the artisan cannot call back if the line drops
            # during the transfer, so it is the one thing asked before ringing the mobile.
            return self._ask_key(Stage.PHONE, "ask_phone")
        self._transfer_tried = True
        self.stage = Stage.TRANSFERRING
        transfer = Transfer(self.business.mobile, self._end.transfer_summary(c))
        # The mobile takes seconds to pick up: the street is asked meanwhile, so a call put
        # through still leaves a lead with the whole address, then an unsure name's spelling
        # (agent.dialogue.ringing; the call layer bridges once the answer is heard).
        for stage, key, due in (
            (Stage.ADDRESS, "transfer_ask_address", self._ask_while_ringing()),
            (Stage.SPELL_NAME, "transfer_ask_spelling", self._spell_while_ringing()),
        ):
            if due:
                self._ringing_ask = stage
                self._asked[question_of(stage)] += 1
                return [self._say_key(key), transfer]
        return [self._say_key("transfer"), transfer]

    def _ask_while_ringing(self) -> bool:
        c = self.collected
        return (
            self.settings.ask_address_while_ringing
            and not c.street
            and "address" not in self._settled
            and self._may_ask(Stage.ADDRESS)
        )

    def _spell_while_ringing(self) -> bool:
        """The name was asked but heard unsure, or not heard at all: urgent callers are not
        asked to spell it before the mobile rings (each question delays it), so it is asked
        while it rings."""
        c = self.collected
        return (
            self.settings.ask_address_while_ringing  # asking while ringing at all
            and self.settings.spell_name_while_ringing
            and self._asked["name"] > 0
            and not (c.name and self._sure(c.name_confidence))
            and "name" not in self._settled
            and self._may_ask(Stage.SPELL_NAME)
        )

    @property
    def asking_while_ringing(self) -> bool:
        """Something was asked while the mobile rings (the street, the spelling of the name)
        and is not answered yet."""
        return self.stage is Stage.TRANSFERRING and self._ringing_ask is not None

    def _settle(self, field: lexicon.Field, sure: bool) -> None:
        self._settled.add(field)
        if sure:
            self.collected.to_check.discard(field)
        else:
            self.collected.to_check.add(field)

    def _name_step(self) -> list[Action] | None:
        c = self.collected
        if "name" in self._settled:
            return None
        if c.name and self._sure(c.name_confidence):
            self._settle("name", True)
            return None
        if not c.name and self._may_ask(Stage.NAME) and self._asked["name"] == 0:
            return self._ask_key(Stage.NAME, "ask_name")
        if self._may_repair(Stage.SPELL_NAME):
            return self._ask_key(Stage.SPELL_NAME, "spell_name")
        self._settle("name", False)  # unsure, or never heard: the read-back will show it
        return None

    def _address_step(self) -> list[Action] | None:
        c = self.collected
        if "address" in self._settled:
            return None
        if not c.street and self._asked["address"] == 0:
            # The town already given (an urgent call asks it first): the street is what is
            # missing, asked as the address question so its one repair is still there.
            key = "ask_street" if c.city and self._sure(c.town_confidence) else "ask_address"
            return self._ask_key(Stage.ADDRESS, key)
        street_ok = bool(c.street) and self._sure(c.street_confidence)
        town_ok = bool(c.city) and self._sure(c.town_confidence)
        if not town_ok and self._may_repair(Stage.CITY):
            return self._ask_key(Stage.CITY, "ask_city")
        if not street_ok and self._may_repair(Stage.STREET):
            return self._ask_key(Stage.STREET, "ask_street")
        self._settle("address", street_ok and town_ok)
        return None

    def _confirm_phone_text(self) -> str:
        return self._end.fmt(self.settings.confirm_phone, phone=read_back(self.caller_id or ""))

    def _reconfirm_text(self) -> str:
        return self._end.fmt(self.settings.reconfirm_phone, phone=read_back(self.caller_id or ""))

    def _readback(self) -> list[Action]:
        if self._readbacks >= self.settings.max_readbacks or not self._may_ask(Stage.READBACK):
            return self._close()  # corrections are bounded: the SMS and transcript carry the rest
        self._readbacks += 1
        self._correcting = None
        summary = readback_summary(self.collected)
        text = self._end.fmt(self.settings.readback, summary=summary)
        return self._ask(Stage.READBACK, self._say(text))

    def _after_slot(self) -> list[Action]:
        if self._correcting is None:
            return self._next()
        c, field = self.collected, self._correcting
        # A field the caller said was wrong and that stays unsure is for the artisan to check.
        confidence = {"name": c.name_confidence, "phone": c.phone_confidence}.get(
            field, c.address_confidence or 0.0
        )
        self._settle(field, self._sure(confidence))
        return self._readback()

    def _close(self) -> list[Action]:
        c = self.collected
        self.stage = Stage.DONE
        callback = self._end.callback_phrase(c.urgent)
        said = self._say(self._end.fmt(self.settings.closing, callback=callback))
        ending = self._end.request("callback_needed", c, self.transcript)
        return [said, *ending, Hangup("completed")]

    def _end_spam(self) -> list[Action]:
        self.stage = Stage.DONE
        said = self._say_key("spam_close")
        return [said, *self._end.spam(self.collected, self.transcript), Hangup("spam")]
