"""The receptionist's conversation: pure logic driven by text events, returning actions.

Never imports aiohttp or ARI. The call layer, per call:

    dialogue = Dialogue(settings, config.business, understander, clock, caller_number, area)
    perform(dialogue.start())                      # greeting + first question
    transcriber.transcribe(pcm, dialogue.hint)     # what the question just asked expects
    perform(dialogue.on_utterance(t.text, t.alternatives, t.confidence, t.letters))  # each one
    perform(dialogue.on_silence())                 # no speech for N s after a question
    perform(dialogue.on_dtmf(digit))               # 1 = oui, 2 = non at yes/no questions
    perform(dialogue.on_transfer_result(outcome))  # after a Transfer action
    perform(dialogue.on_slots(slots, fault))       # after FindSlots (the calendar's answer)
    perform(dialogue.on_booking(fault))            # after BookSlot (None: the event is written)
    perform(dialogue.on_hangup())                  # caller hung up (idempotent)

and performs actions in order: Say (speak; `key` names a phrase of `fixed_prompts()`),
Transfer, FindSlots, BookSlot, Hangup (after the queued speech), SaveLead, SendSms. After the
stage is DONE every event returns [].
"""

from agent.dialogue.actions import (
    Action,
    BookSlot,
    FindSlots,
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
    "BookSlot",
    "Dialogue",
    "DialogueSettings",
    "Expecting",
    "FindSlots",
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
