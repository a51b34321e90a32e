"""The SMS for a missed call: the dialogue's own missed-call rules and wording, reused.

`Endings.missed` decides who is told what (caller only on a mobile, each side switchable in
[dialogue]) and renders the texts; this module only feeds it the CDR's caller and call time.
"""

from __future__ import annotations

from dataclasses import dataclass

from agent.config_core import BusinessConfig
from agent.dialogue.actions import SendSms
from agent.dialogue.endings import Endings
from agent.dialogue.hours import OpeningHours
from agent.dialogue.messages import Collected
from agent.dialogue.settings import DialogueSettings
from agent.missed.classify import MissedCall
from nlp.phone_numbers import as_e164

__all__ = ["MissedCallTexts", "idem_key"]


def idem_key(call: MissedCall, message: SendSms) -> str:
    """Stable per call, recipient and kind: rescans and restarts enqueue nothing new."""
    return f"missed:{call.uniqueid}:{message.recipient}:{message.kind}"


@dataclass(frozen=True)
class MissedCallTexts:
    business: BusinessConfig
    dialogue: DialogueSettings

    def messages(self, call: MissedCall) -> list[SendSms]:
        # A number the French rules cannot read is still shown to the artisan as given.
        caller = as_e164(call.caller) or call.caller
        endings = Endings(
            settings=self.dialogue,
            business=self.business,
            hours=OpeningHours.from_business(self.business),
            clock=lambda: call.started_at,  # "à 14 h 05" is when the caller rang, not now
            caller_id=caller,
        )
        actions = endings.missed(Collected(), [])
        return [a for a in actions if isinstance(a, SendSms)]
