"""The receptionist's conversation, as a pure state machine driven by events.

No audio, no network: the call layer feeds transcripts, silences, DTMF, hang-ups and transfer
results, and performs the returned actions in order. Every question is asked at most twice, then
the dialogue offers spelling (name) or moves on, so it can never loop.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from datetime import datetime

from agent.config import BusinessConfig
from agent.dialogue import lexicon
from agent.dialogue.actions import Action, Hangup, Say, Transfer, TransferOutcome
from agent.dialogue.endings import Endings, greeting_text
from agent.dialogue.hours import OpeningHours
from agent.dialogue.messages import Collected, as_e164, readback_summary, without_urgent_tag
from agent.dialogue.settings import DialogueSettings
from agent.dialogue.understander import Expecting, Understander
from agent.leads.model import Turn
from agent.sms.numbers import read_back
from agent.speech.hint import Expectation, Hint, Question
from nlp.types import ServiceArea, Understanding

__all__ = ["Dialogue", "Stage"]

SPAM_CATEGORIES = frozenset({"demarchage", "spam"})
VAGUE_CATEGORIES = frozenset({"autre", "inconnu", "unknown", ""})


class Stage(enum.Enum):
    GREETING = "greeting"
    PROBLEM = "problem"
    NAME = "name"
    SPELL_NAME = "spell_name"
    ADDRESS = "address"
    CITY = "city"
    PHONE_CONFIRM = "phone_confirm"
    PHONE = "phone"
    READBACK = "readback"
    WHICH_FIELD = "which_field"
    TRANSFERRING = "transferring"
    DONE = "done"


_STAGE_HINTS: dict[Stage, tuple[Expectation, Question]] = {
    Stage.PROBLEM: ("problem", "problem"),
    Stage.NAME: ("name", "name"),
    Stage.SPELL_NAME: ("spell", "spell"),
    Stage.ADDRESS: ("address", "address"),
    Stage.CITY: ("town", "town"),
    Stage.PHONE_CONFIRM: ("yes_no", "phone_confirm"),
    Stage.PHONE: ("phone", "phone"),
    Stage.READBACK: ("yes_no", "readback"),
    Stage.WHICH_FIELD: ("choice", "which_field"),
}


class Dialogue:
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
        self.stage = Stage.GREETING
        self.collected = Collected()
        self.transcript: list[Turn] = []
        self._failures: dict[Stage, int] = {}
        self._gave_up: set[Stage] = set()
        self._silences = 0
        self._last_question: Say | None = None
        self._transfer_tried = False
        self._correcting = False
        self._readbacks = 0

    # -- events --------------------------------------------------------------------------------

    def start(self) -> list[Action]:
        greeting = self._say(greeting_text(self.settings, self.business), "greeting")
        return [greeting, *self._ask_key(Stage.PROBLEM, "ask_problem")]

    @property
    def hint(self) -> Hint:
        """What the question just asked expects (the recognizer decodes accordingly)."""
        expect, question = _STAGE_HINTS.get(self.stage, ("problem", "other"))
        return Hint(expect, question)

    def on_utterance(
        self, text: str, alternatives: Sequence[str] = (), confidence: float = 1.0
    ) -> list[Action]:
        """A final transcript; `alternatives` are the recognizer's other hypotheses (best
        first) and `confidence` its certainty (0..1), both used to match closed sets."""
        text = " ".join(text.split())
        if not text or self.stage in (Stage.DONE, Stage.GREETING):
            return []
        self.transcript.append(Turn("caller", text))
        self._silences = 0
        if self.stage is Stage.TRANSFERRING:
            return []  # the caller hears ringback; what they say meanwhile is kept, not acted on
        handler = {
            Stage.PROBLEM: self._on_problem,
            Stage.NAME: self._on_name,
            Stage.SPELL_NAME: self._on_spelling,
            Stage.ADDRESS: self._on_address,
            Stage.CITY: self._on_city,
            Stage.PHONE_CONFIRM: self._on_phone_confirm,
            Stage.PHONE: self._on_phone,
            Stage.READBACK: self._on_readback,
            Stage.WHICH_FIELD: self._on_which_field,
        }[self.stage]
        return handler(text)

    def on_silence(self) -> list[Action]:
        """The caller said nothing for the configured time after a question."""
        if self.stage in (Stage.DONE, Stage.TRANSFERRING, Stage.GREETING):
            return []
        self._silences += 1
        if self._silences <= self.settings.max_silence_prompts:
            again = [] if self._last_question is None else [self._last_question]
            for say in again:
                self.transcript.append(Turn("agent", say.text))
            return [self._say_key("still_there"), *again]
        if not self.collected.problem:
            # Nothing usable was said (a robot, a silent line, or just "allô ?").
            self.stage = Stage.DONE
            said = self._say_key("silent_close")
            return [said, *self._end.missed(self.collected, self.transcript), Hangup("silence")]
        return self._close()

    def on_dtmf(self, digit: str) -> list[Action]:
        """1 = oui, 2 = non where a yes/no is expected (for callers who prefer keys)."""
        if self.stage in (Stage.PHONE_CONFIRM, Stage.READBACK) and digit in ("1", "2"):
            return self.on_utterance("oui" if digit == "1" else "non")
        return []

    def on_hangup(self) -> list[Action]:
        """The caller hung up: keep whatever was understood, tell both sides."""
        if self.stage is Stage.DONE:
            return []
        self.stage = Stage.DONE
        if self.collected.problem:
            return self._end.request("callback_needed", self.collected, self.transcript)
        return self._end.missed(self.collected, self.transcript)

    def on_transfer_result(self, outcome: TransferOutcome) -> list[Action]:
        if self.stage is not Stage.TRANSFERRING:
            return []
        if outcome == "answered":
            self.stage = Stage.DONE
            return self._end.request("transferred", self.collected, self.transcript)
        said = self._say_key("transfer_failed")
        return [said, *self._next()]

    # -- flow ----------------------------------------------------------------------------------

    def _say(self, text: str, key: str | None = None) -> Say:
        self.transcript.append(Turn("agent", text))
        return Say(text, key)

    def _say_key(self, key: str) -> Say:
        """A fixed phrase of the settings (see fixed_prompts), with its key for pre-rendering."""
        return self._say(self._end.fmt(getattr(self.settings, key)), key)

    def _ask(self, stage: Stage, question: Say) -> list[Action]:
        self.stage = stage
        self._last_question = question
        return [question]

    def _ask_key(self, stage: Stage, key: str) -> list[Action]:
        return self._ask(stage, self._say_key(key))

    def _failed(self, stage: Stage) -> int:
        self._failures[stage] = self._failures.get(stage, 0) + 1
        return self._failures[stage]

    def _understand(self, text: str, expecting: Expecting | None) -> Understanding:
        u = self._nlp.understand(text, self.business.trade, expecting)
        c = self.collected
        # Whatever else the caller volunteered fills empty slots (never overwrites here).
        if u.name and lexicon.plausible_name(u.name):
            c.name = c.name or u.name
        if u.street and not c.street:
            c.street, c.postcode, c.city = u.street, u.postcode or c.postcode, u.city or c.city
        c.city = c.city or u.city
        c.postcode = c.postcode or u.postcode
        c.phone = c.phone or as_e164(u.phone)
        return u

    def _transfer_now(self) -> bool:
        s = self.settings
        return (
            self.collected.urgent
            and s.transfer_urgent
            and not self._transfer_tried
            and (s.transfer_urgent_outside_hours or self._hours.is_open(self._clock()))
        )

    def _next(self) -> list[Action]:
        """Ask for the first missing slot, or move on to transfer / read-back."""
        c = self.collected
        if not c.name and Stage.NAME not in self._gave_up:
            return self._ask_key(Stage.NAME, "ask_name")
        if not c.street and Stage.ADDRESS not in self._gave_up:
            return self._ask_key(Stage.ADDRESS, "ask_address")
        if c.street and not c.city and Stage.CITY not in self._gave_up:
            return self._ask_key(Stage.CITY, "ask_city")
        if self._transfer_now():
            self._transfer_tried = True
            self.stage = Stage.TRANSFERRING
            said = self._say_key("transfer")
            return [said, Transfer(self.business.mobile, self._end.transfer_summary(c))]
        if not c.phone and Stage.PHONE not in self._gave_up:
            if self.caller_id and Stage.PHONE_CONFIRM not in self._gave_up:
                return self._ask(Stage.PHONE_CONFIRM, self._say(self._confirm_phone_text()))
            return self._ask_key(Stage.PHONE, "ask_phone")
        return self._readback()

    def _confirm_phone_text(self) -> str:
        return self._end.fmt(self.settings.confirm_phone, phone=read_back(self.caller_id or ""))

    def _readback(self) -> list[Action]:
        if self._readbacks >= self.settings.max_readbacks:
            return self._close()  # corrections are bounded: the SMS and transcript carry the rest
        self._readbacks += 1
        self._correcting = False
        summary = readback_summary(self.collected)
        text = self._end.fmt(self.settings.readback, summary=summary)
        return self._ask(Stage.READBACK, self._say(text))

    def _after_slot(self) -> list[Action]:
        return self._readback() if self._correcting else self._next()

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

    # -- one handler per question ----------------------------------------------------------------

    def _on_problem(self, text: str) -> list[Action]:
        if lexicon.is_spam(text, self.settings.spam_phrases):
            return self._end_spam()
        u = self._understand(text, "problem")
        if u.category in SPAM_CATEGORIES:
            return self._end_spam()
        c = self.collected
        c.urgent = c.urgent or lexicon.claims_urgency(text)
        content = lexicon.content_words(text)
        # "Allô ?", "bonjour", "j'ai un problème": nothing to classify yet (the model tends to
        # guess on such scraps), so ask once for the problem itself.
        vague = not content or (u.category in VAGUE_CATEGORIES and len(content) < 3)
        if vague and self._failed(Stage.PROBLEM) < 2:
            return self._ask_key(Stage.PROBLEM, "reask_problem")
        if vague:
            # A scrap said twice is kept as said; the model's guess on it is noise, so only the
            # safety rules (gas, water on electrics...) may still make it urgent.
            c.problem, c.category = text, "autre"
            c.urgent = c.urgent or any(r.startswith("safety") for r in u.reasons)
        else:
            c.problem = without_urgent_tag(u.summary) or text
            c.category, c.urgent = u.category or "autre", c.urgent or u.urgent
        urgent = c.urgent and self._transfer_now()
        ack = self._say_key("ack_urgent" if urgent else "ack_normal")
        return [ack, *self._next()]

    def _on_name(self, text: str) -> list[Action]:
        u = self._understand(text, "name")
        name = next((n for n in (u.name, lexicon.plain_name(text))
                     if n and lexicon.plausible_name(n)), None)  # fmt: skip
        if name:
            self.collected.name = name
            return self._after_slot()
        if self._failed(Stage.NAME) < 2:
            return self._ask_key(Stage.NAME, "reask_name")
        return self._ask_key(Stage.SPELL_NAME, "spell_name")

    def _on_spelling(self, text: str) -> list[Action]:
        u = self._nlp.understand(text, self.business.trade, "name")
        name = lexicon.spelled(text) or u.name
        if name:
            self.collected.name = name
        else:
            self._gave_up.add(Stage.NAME)  # asked three ways: the read-back will show it missing
        return self._after_slot()

    def _on_address(self, text: str) -> list[Action]:
        c = self.collected
        u = self._understand(text, "address")
        if u.street:
            # An answer to the address question replaces the address (it may be a correction);
            # a street said without its town keeps the town heard before.
            c.street, c.city = u.street, u.city or c.city
            c.postcode = u.postcode if u.city else (u.postcode or c.postcode)
            return self._after_slot()
        if u.city:  # "à Villeurbanne": worth keeping, but the street is still missing
            c.city, c.postcode = u.city, u.postcode or c.postcode
        if self._failed(Stage.ADDRESS) < 2:
            return self._ask_key(Stage.ADDRESS, "reask_address")
        self._gave_up.add(Stage.ADDRESS)
        return self._after_slot()

    def _on_city(self, text: str) -> list[Action]:
        u = self._understand(text, "address")
        if u.city:
            self.collected.city = u.city
            self.collected.postcode = u.postcode or self.collected.postcode
        self._gave_up.add(Stage.CITY)  # asked once only: the street is what matters most
        return self._after_slot()

    def _on_phone_confirm(self, text: str) -> list[Action]:
        u = self._nlp.understand(text, self.business.trade, "phone")
        answer = lexicon.yes_no(text)
        given = as_e164(u.phone)
        if given:
            self.collected.phone = given
        elif answer is True:
            self.collected.phone = self.caller_id
        elif answer is False:
            self._gave_up.add(Stage.PHONE_CONFIRM)
            return self._ask_key(Stage.PHONE, "ask_phone")
        elif self._failed(Stage.PHONE_CONFIRM) < 2:
            return self._ask(Stage.PHONE_CONFIRM, self._say(self._reconfirm_text()))
        else:
            self.collected.phone = self.caller_id  # it is the number they are calling from
        return self._after_slot()

    def _reconfirm_text(self) -> str:
        return self._end.fmt(self.settings.reconfirm_phone, phone=read_back(self.caller_id or ""))

    def _on_phone(self, text: str) -> list[Action]:
        u = self._nlp.understand(text, self.business.trade, "phone")
        given = as_e164(u.phone) or as_e164("".join(ch for ch in text if ch.isdigit()))
        if given:
            self.collected.phone = given
            return self._after_slot()
        if self._failed(Stage.PHONE) < 2:
            return self._ask_key(Stage.PHONE, "reask_phone")
        self._gave_up.add(Stage.PHONE)
        self.collected.phone = self.collected.phone or self.caller_id
        return self._after_slot()

    def _on_readback(self, text: str) -> list[Action]:
        answer, field = lexicon.yes_no(text), lexicon.field_named(text)
        # "oui c'est bien mon nom" names a field but corrects nothing: only a clear new value
        # counts after a yes, while after a no the field named guides the extraction.
        if self._apply_correction(text, field, confirmed=answer is True):
            return self._readback()
        if answer is True:
            return self._close()
        if field is not None:
            return self._ask_again(field)
        if answer is False:
            return self._ask_key(Stage.WHICH_FIELD, "ask_correction")
        if self._failed(Stage.READBACK) < 2:
            return self._ask_key(Stage.READBACK, "reask_readback")
        return self._close()

    def _on_which_field(self, text: str) -> list[Action]:
        field = lexicon.field_named(text)
        if self._apply_correction(text, field):
            return self._readback()
        if field is not None:
            return self._ask_again(field)
        return self._close()  # never loop: the artisan has the transcript

    def _ask_again(self, field: lexicon.Field) -> list[Action]:
        self._correcting = True
        if field == "name":
            self._failures.pop(Stage.NAME, None)
            return self._ask_key(Stage.NAME, "ask_name")
        if field == "address":
            self._failures.pop(Stage.ADDRESS, None)
            return self._ask_key(Stage.ADDRESS, "ask_address")
        self._failures.pop(Stage.PHONE, None)
        return self._ask_key(Stage.PHONE, "ask_phone")

    def _apply_correction(
        self, text: str, field: lexicon.Field | None, confirmed: bool = False
    ) -> bool:
        """'non, c'est 14 rue ...' / 'le nom c'est Durand' / 'le numéro c'est le 07...'."""
        c = self.collected
        expecting: Expecting | None = None if confirmed else field
        u = self._nlp.understand(text, self.business.trade, expecting)
        if field == "name" or (field is None and u.name and not (u.street or u.phone)):
            fallback = None if confirmed else lexicon.plain_name(text)
            name = next((n for n in (u.name, fallback) if n and lexicon.plausible_name(n)), None)
            if name and name != c.name:
                c.name = name
                return True
            return False
        if u.street or (field == "address" and u.city):
            c.street = u.street or c.street
            c.postcode, c.city = u.postcode or c.postcode, u.city or c.city
            return True
        phone = as_e164(u.phone)
        if phone and phone != c.phone:
            c.phone = phone
            return True
        return False
