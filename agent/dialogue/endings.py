"""How a call ends: the lead to save and the SMS to send, for each way a call can end.

Kept apart from the turn-by-turn flow so the rules "who is told what" read in one place:
a real request gives both sides a recap; an empty call gives both a missed-call note (nobody
falls into the void); spam gives nobody anything.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from agent.config_core import BusinessConfig
from agent.dialogue.actions import Action, SaveLead, SendSms
from agent.dialogue.hours import OpeningHours, speak_time, when_words
from agent.dialogue.messages import (
    MIN_PROBLEM_CHARS,
    SMS_CHARS,
    Collected,
    artisan_details,
    short_problem,
)
from agent.dialogue.safety import SAFETY_KEYS
from agent.dialogue.settings import DialogueSettings
from agent.dialogue.slot_words import say_slot, visit_address
from agent.leads.model import Lead, Outcome, Turn
from nlp.phone_numbers import is_mobile, read_back

__all__ = ["Endings", "fixed_prompts", "greeting_text", "render", "sentence_case"]

_SENTENCE_START = re.compile(r"(^|[.!?]\s+)([a-zà-ÿ])")


def sentence_case(text: str) -> str:
    """Capitalise each sentence's first letter: placeholders such as "{artisan}" ("l'artisan")
    may open a sentence, and TTS voices lift the intonation wrongly on a lowercase start."""
    return _SENTENCE_START.sub(lambda m: m.group(1) + m.group(2).upper(), text)


def render(
    settings: DialogueSettings, business: BusinessConfig, template: str, **values: str
) -> str:
    text = template.format(business=business.name, artisan=settings.artisan, **values)
    return sentence_case(text)


def greeting_text(settings: DialogueSettings, business: BusinessConfig) -> str:
    greeting = business.greeting or render(settings, business, settings.greeting)
    return f"{greeting} {settings.recording_notice}".strip()


# Say.key -> the DialogueSettings phrase it renders; these never change within a deployment.
KEYED_PHRASES = (
    "ask_problem", "reask_problem", "ask_urgency", "ack_urgent", "ack_normal", "ask_name",
    "spell_name", "ask_address", "ask_city", "ask_street", "ask_phone", "reask_phone", *SAFETY_KEYS,
    "reask_readback", "ask_correction", "transfer", "transfer_ask_address", "transfer_noted",
    "transfer_ask_spelling", "ringing_ask_spelling",
    "transfer_failed", "still_there",
    "silent_close", "spam_close", "checking_calendar", "reask_slot", "no_slot_wished",
    "booking_wait", "slot_taken", "calendar_down",
)  # fmt: skip


def fixed_prompts(settings: DialogueSettings, business: BusinessConfig) -> dict[str, str]:
    """Every prompt a `Say.key` can name, rendered: synthesize them once at start-up."""
    prompts = {k: render(settings, business, getattr(settings, k)) for k in KEYED_PHRASES}
    prompts["greeting"] = greeting_text(settings, business)
    return prompts


@dataclass
class Endings:
    settings: DialogueSettings
    business: BusinessConfig
    hours: OpeningHours
    clock: Callable[[], datetime]
    caller_id: str | None

    def fmt(self, template: str, **values: str) -> str:
        return render(self.settings, self.business, template, **values)

    def callback_phrase(self, urgent: bool) -> str:
        """When the caller will hear from us: the promise said at closing and in the SMS."""
        s, now = self.settings, self.clock()
        if urgent:
            return self.fmt(s.callback_urgent)
        if not self.hours.known:
            return self.fmt(s.callback_unknown)
        if self.hours.is_open(now):
            return self.fmt(s.callback_open)
        opening = self.hours.next_opening(now)
        if opening is None:
            return self.fmt(s.callback_unknown)
        return self.fmt(s.callback_closed, when=when_words(now, opening), time=speak_time(opening))

    def lead(self, outcome: Outcome, c: Collected, transcript: list[Turn]) -> Lead:
        return Lead(
            outcome=outcome,
            caller_number=c.phone or self.caller_id,
            name=c.name,
            street=c.street,
            postcode=c.postcode,
            city=c.city,
            problem=c.problem,
            category=c.category,
            urgent=c.urgent,
            transcript=tuple(transcript),
            address_heard=c.address_heard,
            address_confidence=c.address_confidence,
            to_check=c.checks,
            visit_start=c.slot.start if c.slot else None,
            visit_end=c.slot.end if c.slot else None,
            booking_note=c.booking_note,
        )

    def request(self, outcome: Outcome, c: Collected, transcript: list[Turn]) -> list[Action]:
        """A real request (transferred or to call back): save it, recap to both sides."""
        s = self.settings
        actions: list[Action] = [SaveLead(self.lead(outcome, c, transcript))]
        problem = short_problem(c.problem) or "demande sans détail"
        caller = c.phone or self.caller_id
        if s.sms_to_caller and outcome != "transferred" and caller and is_mobile(caller):
            actions.append(SendSms(caller, self._caller_recap(c, problem), "caller_recap"))
        if s.sms_to_artisan:
            actions.append(SendSms(self.business.mobile, self._artisan_recap(c), "artisan_recap"))
        return actions

    def _caller_recap(self, c: Collected, problem: str) -> str:
        s = self.settings
        if c.slot is not None:  # the visit booked: its date, time and address
            return self.fmt(s.sms_caller_booked, slot=say_slot(c.slot),
                            address=visit_address(c), problem=problem)  # fmt: skip
        callback = self.callback_phrase(c.urgent)
        return self.fmt(s.sms_caller_recap, problem=problem, callback=callback)

    def _artisan_recap(self, c: Collected) -> str:
        details = artisan_details(c, self.caller_id)
        if c.booking_note:
            details = f"{details} (pas de RDV : {c.booking_note})"
        problem = short_problem(c.problem) or "demande sans détail"
        text = self._artisan_text(c, details, problem)
        over = len(text) - SMS_CHARS
        if over > 0 and c.problem:
            # One SMS segment: the problem gives way to the contact details and the checks.
            problem = short_problem(c.problem, max(MIN_PROBLEM_CHARS, len(problem) - over))
            text = self._artisan_text(c, details, problem)
        return text

    def _artisan_text(self, c: Collected, details: str, problem: str) -> str:
        s = self.settings
        if c.slot is not None:
            return self.fmt(s.sms_artisan_booked, slot=say_slot(c.slot), details=details,
                            problem=problem)  # fmt: skip
        urgent = "URGENT - " if c.urgent else ""
        return self.fmt(s.sms_artisan_recap, urgent=urgent, details=details, problem=problem)

    def missed(self, c: Collected, transcript: list[Turn]) -> list[Action]:
        """Nothing usable was said: a no_info lead, and a short note to each side."""
        s = self.settings
        actions: list[Action] = [SaveLead(self.lead("no_info", c, transcript))]
        if s.sms_to_caller and self.caller_id and is_mobile(self.caller_id):
            actions.append(SendSms(self.caller_id, self.fmt(s.sms_caller_missed), "caller_missed"))
        if s.sms_to_artisan:
            phone = read_back(self.caller_id) if self.caller_id else "un numéro masqué"
            at = speak_time(self.hours.local(self.clock()))
            text = self.fmt(s.sms_artisan_missed, phone=phone, time=at)
            actions.append(SendSms(self.business.mobile, text, "artisan_missed"))
        return actions

    def spam(self, c: Collected, transcript: list[Turn]) -> list[Action]:
        """Kept for the record (outcome spam), never texted to anyone nor pushed as a lead."""
        return [SaveLead(self.lead("spam", c, transcript))]

    def transfer_summary(self, c: Collected) -> str:
        town = f", à {c.city}" if c.city else ""
        return self.fmt(
            self.settings.transfer_summary,
            urgency="urgent" if c.urgent else "client",
            name=c.name or "un client",
            town=town,
            problem=_lower_first(short_problem(c.problem)) or "sans détail",
        )


def _lower_first(text: str) -> str:
    """Mid-sentence: 'Fuite : ...' -> 'fuite : ...'."""
    return text[:1].lower() + text[1:]
