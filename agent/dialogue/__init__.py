"""The receptionist's conversation: pure logic driven by text events, returning actions.

Never imports aiohttp or ARI: the call layer turns events into calls of `Dialogue` methods and
performs the returned actions (speak, transfer, hang up, save the lead, queue SMS).
"""

from agent.dialogue.actions import (
    Action,
    Hangup,
    SaveLead,
    Say,
    SendSms,
    SmsKind,
    Transfer,
    TransferOutcome,
)
from agent.dialogue.endings import fixed_prompts
from agent.dialogue.manager import Dialogue, Stage
from agent.dialogue.settings import DialogueSettings
from agent.dialogue.understander import Expecting, Understander

__all__ = [
    "Action",
    "Dialogue",
    "DialogueSettings",
    "Expecting",
    "Hangup",
    "SaveLead",
    "Say",
    "SendSms",
    "SmsKind",
    "Stage",
    "Transfer",
    "TransferOutcome",
    "Understander",
    "fixed_prompts",
]
