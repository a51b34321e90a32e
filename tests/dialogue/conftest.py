"""Fixtures for text-driven dialogue tests: a business, a fake clock, the understander."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar
from zoneinfo import ZoneInfo

import pytest

from agent.config import BusinessConfig
from agent.dialogue import (
    Action,
    Dialogue,
    DialogueSettings,
    Hangup,
    SaveLead,
    Say,
    SendSms,
    Transfer,
    Understander,
    fixed_prompts,
)
from nlp.types import ServiceArea

A = TypeVar("A")

PARIS = ZoneInfo("Europe/Paris")
TOWNS = ("Lyon", "Villeurbanne", "Vénissieux", "Bron", "Caluire-et-Cuire")
HOURS = {
    "mon": "08:00-18:00",
    "tue": "08:00-18:00",
    "wed": "08:00-18:00",
    "thu": "08:00-18:00",
    "fri": "08:00-18:00",
    "sat": "09:00-12:00",
    "sun": "closed",
}
ARTISAN_MOBILE = "+33611111111"
CALLER = "+33612345678"


def business(trade: str = "plombier", **changes: object) -> BusinessConfig:
    values: dict[str, object] = {
        "name": "Plomberie Martin",
        "trade": trade,
        "mobile": ARTISAN_MOBILE,
        "hours": HOURS,
        "holidays": ("2026-12-25",),
        "towns": TOWNS,
    }
    values.update(changes)
    return BusinessConfig(**values)  # type: ignore[arg-type]


class FakeClock:
    def __init__(self, local: datetime) -> None:
        self.now = local.replace(tzinfo=PARIS)

    def __call__(self) -> datetime:
        return self.now


# Tuesday 24 Nov 2026, 10:00 in Paris: within opening hours.
TUESDAY_10H = datetime(2026, 11, 24, 10, 0)


@pytest.fixture(scope="session")
def understander() -> Understander:
    # The real NLP (loaded once per session): the dialogue is tested on what it will really get.
    from nlp import load_understander

    return load_understander(TOWNS)


@dataclass
class Call:
    """One scripted call: drives the dialogue and keeps every action it returned."""

    dialogue: Dialogue
    actions: list[Action] = field(default_factory=list)

    def _keep(self, actions: Sequence[Action]) -> list[Action]:
        # Every keyed phrase must be exactly the pre-rendered one, or pre-rendering would lie.
        prompts = fixed_prompts(self.dialogue.settings, self.dialogue.business)
        for action in actions:
            if isinstance(action, Say) and action.key is not None:
                assert prompts[action.key] == action.text, action
        self.actions.extend(actions)
        return list(actions)

    def start(self) -> list[Action]:
        return self._keep(self.dialogue.start())

    def say(self, text: str, *alternatives: str, confidence: float = 1.0) -> list[Action]:
        return self._keep(self.dialogue.on_utterance(text, alternatives, confidence))

    def asked(self, actions: Sequence[Action]) -> str:
        """The last thing said in `actions` (the question, when one was asked)."""
        says = [a for a in actions if isinstance(a, Say)]
        return says[-1].text if says else ""

    def silence(self) -> list[Action]:
        return self._keep(self.dialogue.on_silence())

    def hangup(self) -> list[Action]:
        return self._keep(self.dialogue.on_hangup())

    def transfer(self, outcome: str) -> list[Action]:
        return self._keep(self.dialogue.on_transfer_result(outcome))  # type: ignore[arg-type]

    def dtmf(self, digit: str) -> list[Action]:
        return self._keep(self.dialogue.on_dtmf(digit))

    # -- what happened
    def said(self, actions: Sequence[Action] | None = None) -> str:
        items = self.actions if actions is None else actions
        return " | ".join(a.text for a in items if isinstance(a, Say))

    def of(self, kind: type[A]) -> list[A]:
        return [a for a in self.actions if isinstance(a, kind)]

    def lead(self) -> SaveLead:
        leads = self.of(SaveLead)
        assert len(leads) == 1, f"expected one lead, got {leads}"
        return leads[0]

    def sms(self) -> dict[str, SendSms]:
        return {a.kind: a for a in self.of(SendSms)}

    def transfers(self) -> list[Transfer]:
        return self.of(Transfer)

    def hangups(self) -> list[Hangup]:
        return self.of(Hangup)


@pytest.fixture
def make_call(understander: Understander):
    def build(
        trade: str = "plombier",
        when: datetime = TUESDAY_10H,
        caller: str | None = CALLER,
        settings: DialogueSettings | None = None,
        area: ServiceArea | None = None,
        **business_changes: object,
    ) -> Call:
        dialogue = Dialogue(
            settings or DialogueSettings(),
            business(trade, **business_changes),
            understander,
            FakeClock(when),
            caller,
            area,
        )
        call = Call(dialogue)
        call.start()
        return call

    return build
