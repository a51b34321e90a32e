"""How the call layer turns dialogue endings into stored leads, queued SMS and webhooks:
the exact wiring the report asks for, exercised end to end on one SQLite file."""

from __future__ import annotations

import dataclasses
from datetime import datetime

import pytest

from agent.dialogue import Action, Dialogue, DialogueSettings, SaveLead, SendSms
from agent.leads import SqliteLeadStore
from agent.leads.webhook import WebhookSettings
from agent.sms.outbox import SmsOutbox
from agent.sms.providers import LocalSender
from agent.store.db import connect
from tests.dialogue.conftest import TOWNS, FakeClock, business


@pytest.fixture(scope="module")
def understander():
    from nlp import load_understander

    return load_understander(TOWNS)


def perform(actions: list[Action], call_id: int, store: SqliteLeadStore, outbox: SmsOutbox) -> None:
    for action in actions:
        if isinstance(action, SaveLead):
            store.save(dataclasses.replace(action.lead, call_id=call_id))
        elif isinstance(action, SendSms):
            key = f"{call_id}:{action.recipient}:{action.kind}"
            outbox.enqueue(key, action.recipient, action.text, action.kind)


async def test_a_hung_up_call_becomes_one_lead_two_sms_and_one_webhook(tmp_path, understander):
    db = connect(tmp_path / "agent.sqlite3")
    db.execute("INSERT INTO calls (channel_id, started_at) VALUES ('c1', '2026-11-24T09:00:00')")
    webhook = WebhookSettings.from_table({"url": "https://crm.example/hook"})
    store = SqliteLeadStore(db, webhook_outcomes=webhook.outcomes)
    outbox = SmsOutbox(db, LocalSender(tmp_path / "sms"))
    dialogue = Dialogue(DialogueSettings(), business(), understander,
                        FakeClock(datetime(2026, 11, 24, 10, 0)), "0612345678")  # fmt: skip
    dialogue.start()
    dialogue.on_utterance("je voudrais un devis pour une douche à l'italienne")
    dialogue.on_utterance("je m'appelle Claire Petit")
    perform(dialogue.on_hangup(), 1, store, outbox)
    perform(dialogue.on_hangup(), 1, store, outbox)  # a duplicate hang-up event changes nothing

    [lead] = store.recent()
    assert lead.lead.call_id == 1 and lead.lead.name == "Claire Petit"
    assert db.execute("SELECT COUNT(*) FROM webhook_queue").fetchone()[0] == 1
    assert await outbox.deliver_due() == 2
    files = sorted(p.name for p in (tmp_path / "sms").iterdir())
    assert len(files) == 2 and any("caller_recap" in f for f in files)
    db.close()
