"""What a receptionist needs from the rest of the agent: the settings, the speech and
language services, the stores; built once by agent.wiring, shared by every call."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from agent.calendar.service import CalendarPort
from agent.calendar.settings import CalendarSettings
from agent.config_core import BusinessConfig, CallConfig, MediaConfig
from agent.dialogue import DialogueSettings, Understander
from agent.leads.store import LeadStore
from agent.sms.base import SmsQueue
from agent.speech.settings import TurnSettings
from agent.speech.stt import Transcriber
from agent.store.keeper import Keeper
from nlp.types import ServiceArea

__all__ = ["ReceptionistDeps"]


@dataclass(frozen=True)
class ReceptionistDeps:
    business: BusinessConfig
    dialogue: DialogueSettings
    call: CallConfig
    media: MediaConfig
    turn: TurnSettings
    understander: Understander
    transcriber: Transcriber
    leads: LeadStore
    sms: SmsQueue
    clock: Callable[[], datetime]
    area: ServiceArea | None = None  # [area] addresses: streets matched, hints per town
    trunk_endpoint: str = "trunk"
    accept_prompt: str = "Appuyez sur 1 pour prendre l'appel, sur 2 pour refuser."
    # Leads and texts the database refuses (disk full) go to the keeper's spool.
    keeper: Keeper = field(default_factory=Keeper)
    # [calendar]: the artisan's agenda, where non-urgent callers book a visit (issue 13).
    calendar: CalendarPort | None = None
    booking: CalendarSettings | None = None
