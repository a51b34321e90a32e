"""What the dialogue asks the call layer to do. Frozen data, no behaviour."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from agent.calendar.model import Slot, SlotWish, Visit
from agent.leads.model import Lead

__all__ = [
    "Action",
    "BookSlot",
    "FindSlots",
    "Hangup",
    "SaveLead",
    "Say",
    "SendSms",
    "SmsKind",
    "Transfer",
    "TransferOutcome",
]

TransferOutcome = Literal["answered", "no_answer", "busy", "rejected", "failed"]
SmsKind = Literal["caller_recap", "artisan_recap", "caller_missed", "artisan_missed"]


@dataclass(frozen=True)
class Say:
    """Speak `text`. `key` names a fixed prompt (same text every call) that can be pre-rendered."""

    text: str
    key: str | None = None


@dataclass(frozen=True)
class Transfer:
    """Ring the artisan's mobile; report back with Dialogue.on_transfer_result()."""

    target: str  # E.164
    summary_for_artisan: str  # one sentence to play (or text) to the artisan before bridging


@dataclass(frozen=True)
class Hangup:
    """End the call once everything queued before it has been said."""

    reason: Literal["completed", "spam", "silence"]


@dataclass(frozen=True)
class SaveLead:
    lead: Lead  # call_id / recording_path are the call layer's to fill in (dataclasses.replace)


@dataclass(frozen=True)
class SendSms:
    """Queue an SMS; the idempotency key is the call layer's: f"{call_id}:{recipient}:{kind}"."""

    recipient: str  # E.164
    text: str
    kind: SmsKind


@dataclass(frozen=True)
class FindSlots:
    """Look for free slots in the artisan's calendar; report back with Dialogue.on_slots()."""

    wish: SlotWish


@dataclass(frozen=True)
class BookSlot:
    """Write the visit in the calendar (re-checked there); report with Dialogue.on_booking()."""

    slot: Slot
    visit: Visit


Action = Say | Transfer | Hangup | SaveLead | SendSms | FindSlots | BookSlot
