"""A provider outage: logged once when it starts and once when it ends, visible to the
dashboard while it lasts, and texts wait a day for the provider before they are given up."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest

from agent.sms.base import SmsPermanentError, SmsTemporaryError
from agent.sms.outbox import OutboxSettings, SmsOutbox, outage_of
from agent.sms.providers import OvhSender, OvhSettings
from agent.store.db import connect

from .fake_providers import OVH, FakeProviders
from .test_outbox import FakeTime, ScriptedSender

HOUR = 3600.0


@pytest.fixture
def db(tmp_path):
    conn = connect(tmp_path / "agent.sqlite3")
    yield conn
    conn.close()


def _ovh(providers: FakeProviders) -> OvhSender:
    return OvhSender(OvhSettings(**OVH, service_name="sms-ab12345-1",
                                 base_url=providers.base_url, timeout_s=1))  # fmt: skip


def _outbox_records(caplog: pytest.LogCaptureFixture, level: int) -> list[str]:
    return [r.getMessage() for r in caplog.records
            if r.name == "agent.sms.outbox" and r.levelno == level]  # fmt: skip


async def _retry_until(outbox: SmsOutbox, clock: FakeTime, tries: int) -> None:
    """Run `tries` delivery rounds, each when the next pending text is due."""
    for _ in range(tries):
        await outbox.deliver_due()
        due = [r.next_attempt_at for r in outbox.rows("pending")]
        if not due:
            return
        clock.now = max(clock.now, min(due))


async def test_an_outage_is_logged_once_shown_while_it_lasts_and_its_end_logged(
    db, providers: FakeProviders, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="agent.sms.outbox")
    clock = FakeTime()
    providers.plan = ["503"] * 1000
    outbox = SmsOutbox(db, _ovh(providers), OutboxSettings(), clock)
    try:
        outbox.enqueue("a", "+33612345678", "Votre demande est notée", "caller_recap")
        assert outbox.outage() is None  # nothing has failed yet
        while clock.now < 1_000_000 + 5 * HOUR:
            await _retry_until(outbox, clock, 1)
        clock.now += 100
        outbox.enqueue("b", "+33698765432", "Appel manqué", "artisan_recap")
        while clock.now < 1_000_000 + 10 * HOUR:
            await _retry_until(outbox, clock, 1)
        assert providers.requests > 20 and providers.accepted == []
        [warning] = _outbox_records(caplog, logging.WARNING)  # one line, not one per try
        assert "503" in warning and "24.0 h" in warning
        outage = outbox.outage()
        assert outage is not None and outage.waiting == 2 and "503" in outage.last_error
        assert outage.since == datetime.fromtimestamp(1_000_000, UTC)  # the first text queued
        assert outage_of(db) == outage  # what another process (the dashboard) reads

        providers.plan.clear()  # the provider answers again
        [first, second] = sorted(outbox.rows(), key=lambda r: r.next_attempt_at)
        clock.now = first.next_attempt_at
        assert clock.now < second.next_attempt_at  # the other text is still in its backoff
        await outbox.deliver_due()
        await outbox.deliver_due()  # ...but goes at once now that the provider is back
        assert len(providers.accepted) == 2 and outbox.outage() is None
        assert len(_outbox_records(caplog, logging.WARNING)) == 1
        [recovered] = [m for m in _outbox_records(caplog, logging.INFO) if "back after" in m]
        assert "back after 10." in recovered and "1 waiting" in recovered
    finally:
        await outbox.stop()


async def test_texts_wait_a_day_for_the_provider_then_fail(db) -> None:
    clock = FakeTime()
    sender = ScriptedSender([SmsTemporaryError("HTTP 503")] * 1000)
    outbox = SmsOutbox(db, sender, OutboxSettings(), clock)
    outbox.enqueue("k", "+33612345678", "Rappel", "caller_recap")
    queued = clock.now
    while clock.now - queued < 23 * HOUR:
        await _retry_until(outbox, clock, 1)
        [row] = outbox.rows()
        assert row.status == "pending", f"given up after {(clock.now - queued) / HOUR:.1f} h"
    # Retries are spaced (capped at an hour), not hammering the provider.
    assert 20 < row.attempts < 60
    clock.now = queued + 24 * HOUR + 1
    await outbox.deliver_due()
    [row] = outbox.rows()
    assert row.status == "failed" and "503" in (row.last_error or "")
    assert outbox.outage() is None  # failed texts are no longer waiting on anyone


async def test_give_up_delay_is_configurable(db) -> None:
    clock = FakeTime()
    settings = OutboxSettings(backoff_initial_s=60, backoff_max_s=600, give_up_after_s=HOUR)
    outbox = SmsOutbox(db, ScriptedSender([SmsTemporaryError("timeout")] * 100), settings, clock)
    outbox.enqueue("k", "+33612345678", "Rappel", "caller_recap")
    await _retry_until(outbox, clock, 100)
    [row] = outbox.rows()
    assert row.status == "failed"
    assert HOUR <= clock.now - 1_000_000 < HOUR + 600


async def test_a_refused_number_is_no_outage(db, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="agent.sms.outbox")
    outbox = SmsOutbox(db, ScriptedSender([SmsPermanentError("invalid")]), OutboxSettings())
    outbox.enqueue("k", "+33612345678", "x", "x")
    outbox.enqueue("k2", "+33612345679", "y", "x")
    await outbox.deliver_due()
    assert outbox.outage() is None
    assert not any("failing" in m or "back after" in m for m in caplog.messages)
