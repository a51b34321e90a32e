"""Webhook: dashboard links instead of local paths, a timestamped signature a receiver can
check (and refuse replayed), failures that end visible to the dashboard."""

from __future__ import annotations

import json

from agent.dashboard.deliveries import failed_deliveries
from agent.leads import Lead, SqliteLeadStore
from agent.leads.webhook import WebhookWorker, sign, verify
from agent.sms.base import SendReceipt, SmsMessage, SmsPermanentError
from agent.sms.outbox import OutboxSettings, SmsOutbox
from agent.sms.providers import LocalSender
from tests.leads.test_webhook import FakeTime, db, endpoint, settings  # noqa: F401 (fixtures)

RECORDING = "/var/lib/decroche/recordings/call-000007-chan.wav"


async def test_payload_links_to_the_dashboard_never_to_local_files(db, endpoint):  # noqa: F811
    store = SqliteLeadStore(db, webhook_outcomes=("callback_needed",))
    clip = ("name", "/var/lib/decroche/recordings/c-name-1.wav")
    lead = Lead(outcome="callback_needed", recording_path=RECORDING, clips=(clip,))
    lead_id = store.save(lead)
    # As for a lead of call 7 (a call row is not this test's subject).
    db.execute("UPDATE webhook_queue SET payload = json_set(payload, '$.call_id', 7,"
               " '$.recording_url', '/recordings/7.wav')")  # fmt: skip
    worker = WebhookWorker(db, settings(endpoint.url), public_url="https://artisan.example.fr/")
    assert await worker.deliver_due() == 1
    await worker.stop()
    [(_, body)] = endpoint.received
    document = json.loads(body)
    assert document["recording_url"] == "https://artisan.example.fr/recordings/7.wav"
    assert document["clips"] == [
        {"field": "name", "url": f"https://artisan.example.fr/leads/{lead_id}/clips/0.wav"}
    ]
    assert b"/var/lib/decroche" not in body


async def test_without_public_url_the_links_stay_relative(db, endpoint):  # noqa: F811
    store = SqliteLeadStore(db, webhook_outcomes=("callback_needed",))
    store.save(Lead(outcome="callback_needed", clips=(("address", "/srv/rec/a.wav"),)))
    worker = WebhookWorker(db, settings(endpoint.url))
    await worker.deliver_due()
    await worker.stop()
    [(_, body)] = endpoint.received
    assert json.loads(body)["clips"][0]["url"] == "/leads/1/clips/0.wav" and b"/srv" not in body


async def test_the_receiver_checks_the_signature_and_refuses_old_requests(db, endpoint):  # noqa: F811
    clock = FakeTime()
    store = SqliteLeadStore(db, webhook_outcomes=("transferred",), clock=clock)
    store.save(Lead(outcome="transferred"))
    worker = WebhookWorker(db, settings(endpoint.url), clock)
    await worker.deliver_due()
    await worker.stop()
    [(headers, body)] = endpoint.received
    stamp, signature = headers["X-Decroche-Timestamp"], headers["X-Decroche-Signature"]
    assert verify("s3cret", stamp, signature, body, now=clock.now + 10)
    assert not verify("s3cret", stamp, signature, body, now=clock.now + 301)  # a replay
    assert not verify("s3cret", stamp, signature, body + b" ", now=clock.now)  # tampered
    assert not verify("other", stamp, signature, body, now=clock.now)
    later = str(int(clock.now) + 200)  # a new timestamp on an old signature
    assert not verify("s3cret", later, signature, body, now=clock.now + 200)
    assert not verify("s3cret", None, signature, body, now=clock.now)
    assert sign("s3cret", int(stamp), body) == signature


async def test_failed_webhooks_and_texts_are_listed_for_the_dashboard(db, endpoint):  # noqa: F811
    clock = FakeTime()
    store = SqliteLeadStore(db, webhook_outcomes=("transferred",), clock=clock)
    gone = store.save(Lead(outcome="transferred"))
    endpoint.plan = [404]
    worker = WebhookWorker(db, settings(endpoint.url), clock)
    await worker.deliver_due()  # 404: given up at once
    waiting = store.save(Lead(outcome="transferred"))
    endpoint.plan = [503]
    await worker.deliver_due()  # 503: retried later
    await worker.stop()

    class Refusing(LocalSender):
        async def send(self, message: SmsMessage) -> SendReceipt:
            raise SmsPermanentError("numéro refusé par l'opérateur")

    outbox = SmsOutbox(db, Refusing(), OutboxSettings(), clock)
    outbox.enqueue("9:x", "+33612345678", "Bonjour", "caller_recap")
    await outbox.deliver_due()
    await outbox.stop()
    listed = {(d.channel, d.state, d.lead_id, d.target): d for d in failed_deliveries(db)}
    assert set(listed) == {("webhook", "failed", gone, f"demande {gone}"),
                           ("webhook", "retrying", waiting, f"demande {waiting}"),
                           ("sms", "failed", None, "+33612345678")}  # fmt: skip
    assert "HTTP 404" in listed[("webhook", "failed", gone, f"demande {gone}")].last_error
    assert "refusé" in listed[("sms", "failed", None, "+33612345678")].last_error
    assert len(failed_deliveries(db, limit=2)) == 2
