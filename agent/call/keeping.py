"""What a call leaves behind: its lead saved and its texts queued, through the keeper, so a
database that refuses them (disk full) spools them instead of losing them."""

from __future__ import annotations

import dataclasses
import logging
import time

from agent.call.context import CallContext
from agent.dialogue import SendSms
from agent.leads.model import Lead
from agent.leads.store import LeadStore
from agent.sms.base import SmsQueue
from agent.store.keeper import Keeper
from agent.store.spool import SpooledLead, SpooledSms
from nlp.phone_numbers import InvalidPhoneNumber

__all__ = ["keep_lead", "queue_sms"]

log = logging.getLogger(__name__)


def keep_lead(
    leads: LeadStore,
    keeper: Keeper,
    call: CallContext,
    lead: Lead,
    clips: tuple[tuple[str, str], ...],
) -> Lead:
    """Save the call's lead with its recording and the caller's clips (spooled when the
    database refuses it); the lead as saved."""
    lead = dataclasses.replace(
        lead, call_id=call.call_id, recording_path=call.recording_path, clips=lead.clips or clips
    )
    at = time.time()
    lead_id = keeper.attempt("lead", lambda: leads.save(lead))
    if lead_id is None:
        keeper.keep(SpooledLead(lead, at))
    call.stats.lead_id, call.stats.urgent = lead_id, lead.urgent
    return lead


def queue_sms(queue: SmsQueue, keeper: Keeper, call: CallContext, action: SendSms) -> None:
    """Queue one text once per call, recipient and kind (spooled when the database refuses
    it); a recipient that is no phone number is logged, not queued."""
    sms = SpooledSms(
        f"{call.call_id}:{action.recipient}:{action.kind}", action.recipient, action.text,
        action.kind,
    )  # fmt: skip
    try:
        keeper.write(
            "SMS", lambda: queue.enqueue(sms.idem_key, sms.recipient, sms.text, sms.kind),
            lambda: sms,
        )  # fmt: skip
    except InvalidPhoneNumber as exc:
        log.warning("call %s: SMS %s not queued: %s", call.channel.id, action.kind, exc)
