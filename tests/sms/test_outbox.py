"""The durable outbox: nothing lost when the provider is down or the agent restarts, nothing
sent twice once acknowledged, nothing doubled by a second enqueue."""

from __future__ import annotations

import asyncio
import random

import pytest

from agent.leads.settings import WebhookSettings
from agent.sms.base import SendReceipt, SmsMessage, SmsPermanentError, SmsTemporaryError
from agent.sms.outbox import OutboxSettings, SmsOutbox
from agent.sms.providers import TwilioSender, TwilioSettings
from agent.store.db import connect
from nlp.phone_numbers import InvalidPhoneNumber

from .fake_providers import TWILIO


class FakeTime:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


class ScriptedSender:
    """Fails with the exceptions in `failures`, in order, then accepts."""

    name = "scripted"

    def __init__(self, failures: list[Exception] | None = None) -> None:
        self.failures = list(failures or [])
        self.delivered: list[SmsMessage] = []
        self.closed = False

    async def send(self, message: SmsMessage) -> SendReceipt:
        if self.failures:
            raise self.failures.pop(0)
        self.delivered.append(message)
        return SendReceipt(self.name, f"id{len(self.delivered)}")

    async def close(self) -> None:
        self.closed = True


# jitter 0: the exact doubling, so that the delays below can be checked to the second
SETTINGS = OutboxSettings(max_segments=2, max_attempts=5, backoff_initial_s=10,
                          backoff_max_s=25, jitter=0)  # fmt: skip


@pytest.fixture
def db(tmp_path):
    conn = connect(tmp_path / "agent.sqlite3")
    yield conn
    conn.close()


async def test_texts_failing_together_come_back_spread_by_the_default_jitter(db):
    """Texts refused in the same outage retry between 75 % and 100 % of each backoff (the
    webhook's jitter), not all at the same second."""
    assert OutboxSettings().jitter == WebhookSettings().policy.jitter > 0
    random.seed(14)  # the draws are random.random()'s: seeded, the test is repeatable
    clock = FakeTime()
    settings = OutboxSettings(backoff_initial_s=100, backoff_max_s=1000)
    outbox = SmsOutbox(db, ScriptedSender([SmsTemporaryError("HTTP 503")] * 200), settings, clock)
    for i in range(20):
        outbox.enqueue(f"k{i}", f"+336123456{i:02d}", "Bonjour", "caller_recap")
    for backoff in (100, 200):  # after the first failed try, then the second
        start = clock.now
        assert await outbox.deliver_due() == 0
        waits = [row.next_attempt_at - start for row in outbox.rows("pending")]
        assert len(waits) == 20
        assert all(0.75 * backoff <= wait <= backoff for wait in waits), waits
        assert max(waits) - min(waits) > 0.1 * backoff  # spread, not one instant
        clock.now = start + backoff


async def test_provider_down_then_retried_with_capped_backoff_and_delivered_once(db):
    clock = FakeTime()
    down = SmsTemporaryError("HTTP 503")
    sender = ScriptedSender([down, down, down])
    outbox = SmsOutbox(db, sender, SETTINGS, clock)
    assert outbox.enqueue("call1:+33612345678:caller_recap", "06 12 34 56 78", "Bonjour", "x")

    delays = []
    for _ in range(3):
        before = clock.now
        assert await outbox.deliver_due() == 0
        [row] = outbox.rows()
        delays.append(row.next_attempt_at - before)
        assert await outbox.deliver_due() == 0  # not due yet: no extra attempt
        clock.now = row.next_attempt_at
    assert delays == [10, 20, 25]  # doubling, capped at backoff_max_s
    assert await outbox.deliver_due() == 1
    assert await outbox.deliver_due() == 0
    clock.now += 10_000
    assert await outbox.deliver_due() == 0
    assert [m.recipient for m in sender.delivered] == ["+33612345678"]
    [row] = outbox.rows()
    assert row.status == "sent" and row.attempts == 4 and row.provider_id == "id1"


async def test_duplicate_enqueue_sends_one_message(db):
    sender = ScriptedSender()
    outbox = SmsOutbox(db, sender, SETTINGS, FakeTime())
    assert outbox.enqueue("call7:+33612345678:caller_recap", "+33612345678", "Recap", "x")
    assert not outbox.enqueue("call7:+33612345678:caller_recap", "+33612345678", "Recap", "x")
    await outbox.deliver_due()
    assert not outbox.enqueue("call7:+33612345678:caller_recap", "+33612345678", "Recap", "x")
    await outbox.deliver_due()
    assert len(sender.delivered) == 1 and len(outbox.rows()) == 1


async def test_restart_with_pending_rows_delivers_each_once(tmp_path):
    path = tmp_path / "agent.sqlite3"
    first = connect(path)
    down = ScriptedSender([SmsTemporaryError("down")] * 10)
    outbox = SmsOutbox(first, down, SETTINGS)
    outbox.enqueue("a", "+33612345678", "un", "x")
    outbox.enqueue("b", "+33698765432", "deux", "x")
    outbox.start()
    await asyncio.sleep(0.05)
    await outbox.stop()  # agent stops with both messages still pending
    assert down.closed and down.delivered == []
    first.close()

    second = connect(path)
    sender = ScriptedSender()
    restarted = SmsOutbox(second, sender, SETTINGS)
    # Backoff from the failed attempt has not elapsed: still pending, not lost.
    assert {r.status for r in restarted.rows()} == {"pending"}
    second.execute("UPDATE sms_outbox SET next_attempt_at = 0")
    restarted.start()
    for _ in range(40):
        if len(sender.delivered) == 2:
            break
        await asyncio.sleep(0.005)
    await restarted.stop()
    assert sorted(m.body for m in sender.delivered) == ["deux", "un"]
    assert {r.status for r in restarted.rows()} == {"sent"}
    second.close()


async def test_worker_wakes_on_enqueue_and_real_provider_gets_exactly_one(db, providers):
    providers.plan = ["500"]
    settings = TwilioSettings(**TWILIO, from_number="+33700000000",
                              base_url=providers.base_url, timeout_s=1)  # fmt: skip
    outbox = SmsOutbox(db, TwilioSender(settings), OutboxSettings(backoff_initial_s=0.02,
                                                                  backoff_max_s=0.05))  # fmt: skip
    outbox.start()
    outbox.enqueue("call9:+33612345678:caller_recap", "+33612345678", "Votre rappel", "x")
    for _ in range(100):
        if providers.accepted:
            break
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.05)  # would expose a second send
    await outbox.stop()
    assert providers.requests == 2 and len(providers.accepted) == 1
    assert providers.accepted[0]["Body"] == "Votre rappel"
    [row] = outbox.rows()
    assert row.status == "sent" and row.provider == "twilio" and row.provider_id == "SM0001"


async def test_permanent_error_is_not_retried(db):
    clock = FakeTime()
    sender = ScriptedSender([SmsPermanentError("invalid number")])
    outbox = SmsOutbox(db, sender, SETTINGS, clock)
    outbox.enqueue("k", "+33612345678", "x", "x")
    await outbox.deliver_due()
    clock.now += 1e6
    await outbox.deliver_due()
    [row] = outbox.rows()
    assert row.status == "failed" and row.attempts == 1 and "invalid" in (row.last_error or "")
    assert sender.delivered == []


async def test_gives_up_after_max_attempts(db):
    clock = FakeTime()
    sender = ScriptedSender([SmsTemporaryError("down")] * 10)
    outbox = SmsOutbox(db, sender, SETTINGS, clock)
    outbox.enqueue("k", "+33612345678", "x", "x")
    for _ in range(8):
        await outbox.deliver_due()
        clock.now += 1000
    [row] = outbox.rows()
    assert row.status == "failed" and row.attempts == SETTINGS.max_attempts


def test_enqueue_converts_to_gsm7_caps_segments_and_refuses_bad_numbers(db):
    outbox = SmsOutbox(db, ScriptedSender(), SETTINGS, FakeTime())
    outbox.enqueue("k", "0612345678", "Fenêtre à côté " + "très long " * 80, "x")
    [row] = outbox.rows()
    assert row.recipient == "+33612345678"
    assert row.body.startswith("Fenetre à coté très") and row.body.endswith("...")
    assert db.execute("SELECT segments FROM sms_outbox").fetchone()[0] == 2
    with pytest.raises(InvalidPhoneNumber):
        outbox.enqueue("k2", "12", "x", "x")


class SlowSender(ScriptedSender):
    async def send(self, message: SmsMessage) -> SendReceipt:
        await asyncio.sleep(0.1)
        return await super().send(message)


async def test_stop_lets_the_send_in_flight_finish_and_be_recorded(db):
    sender = SlowSender()
    outbox = SmsOutbox(db, sender, SETTINGS)
    outbox.start()
    outbox.enqueue("k", "+33612345678", "x", "x")
    await asyncio.sleep(0.02)  # the provider call is now in flight
    await outbox.stop()
    assert len(sender.delivered) == 1
    assert [r.status for r in outbox.rows()] == ["sent"]  # not pending: no resend at restart


async def test_enqueue_from_a_thread_wakes_the_worker(db):
    sender = ScriptedSender()
    outbox = SmsOutbox(db, sender, OutboxSettings(poll_interval_s=30))
    outbox.start()
    await asyncio.sleep(0.01)  # worker now sleeps up to 30 s
    await asyncio.to_thread(outbox.enqueue, "k", "+33612345678", "x", "x")
    for _ in range(50):
        if sender.delivered:
            break
        await asyncio.sleep(0.01)
    await outbox.stop()
    assert len(sender.delivered) == 1
