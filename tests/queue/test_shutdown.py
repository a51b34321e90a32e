"""Stopping during a POST in flight: the POST finishes, its row is marked sent exactly once,
and the next start does not send it again. Real aiohttp servers play the peers."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web

from agent.leads import Lead, SqliteLeadStore
from agent.leads.webhook import WebhookSettings, WebhookWorker
from agent.sms.outbox import SmsOutbox
from agent.sms.providers import TwilioSender
from agent.store.db import connect

from .peers import peer_server, twilio


class HeldPeer:
    """Answers 200 to every POST, but only once `release` is set; counts what arrived."""

    def __init__(self) -> None:
        self.arrived = asyncio.Event()
        self.release = asyncio.Event()
        self.requests = 0
        self.answered = 0

    async def handle(self, request: web.Request) -> web.Response:
        self.requests += 1
        await request.read()
        self.arrived.set()
        await self.release.wait()
        self.answered += 1
        return web.json_response({"sid": f"SM{self.answered:04d}"}, status=201)


@pytest.fixture
async def peer() -> AsyncIterator[tuple[HeldPeer, str]]:
    held = HeldPeer()
    async with peer_server(held.handle) as base:
        yield held, base
        held.release.set()  # before the server closes: it waits for its handlers


def _lead_waiting(tmp_path: Path) -> sqlite3.Connection:
    """A database holding one lead the webhook must post."""
    db = connect(tmp_path / "agent.sqlite3")
    SqliteLeadStore(db, webhook_outcomes=("transferred",)).save(Lead(outcome="transferred"))
    return db


async def _stop_while_in_flight(held: HeldPeer, stop: asyncio.Task[None]) -> None:
    await asyncio.sleep(0.2)  # stop() waits on the POST; it must not have cut it
    assert not stop.done() and held.answered == 0
    held.release.set()
    await asyncio.wait_for(stop, timeout=5)
    assert held.answered == 1


async def test_webhook_stop_lets_the_post_finish_and_marks_it_sent_once(
    tmp_path: Path, peer: tuple[HeldPeer, str]
) -> None:
    held, base = peer
    db = _lead_waiting(tmp_path)
    settings = WebhookSettings(url=f"{base}/hook", timeout_s=10, poll_interval_s=0.05)
    worker = WebhookWorker(db, settings)
    worker.start()
    await asyncio.wait_for(held.arrived.wait(), timeout=5)
    await _stop_while_in_flight(held, asyncio.create_task(worker.stop()))
    row = db.execute("SELECT status, attempts, sent_at FROM webhook_queue").fetchone()
    assert (row["status"], row["attempts"]) == ("sent", 1) and row["sent_at"]

    again = WebhookWorker(connect(tmp_path / "agent.sqlite3"), settings)
    again.start()
    await asyncio.sleep(0.2)  # a few polls: nothing pending, nothing posted
    await again.stop()
    assert held.requests == 1


async def test_outbox_stop_lets_the_send_finish_and_marks_it_sent_once(
    tmp_path: Path, peer: tuple[HeldPeer, str]
) -> None:
    held, base = peer
    db = connect(tmp_path / "agent.sqlite3")
    sender = TwilioSender(twilio(base, 10))
    outbox = SmsOutbox(db, sender)
    outbox.start()
    outbox.enqueue("call1:+33612345678:caller_recap", "+33612345678", "Rappel", "caller_recap")
    await asyncio.wait_for(held.arrived.wait(), timeout=5)
    await _stop_while_in_flight(held, asyncio.create_task(outbox.stop()))
    [row] = outbox.rows()
    assert (row.status, row.attempts, row.provider_id) == ("sent", 1, "SM0001")

    again = SmsOutbox(connect(tmp_path / "agent.sqlite3"), sender)
    again.start()
    await asyncio.sleep(0.1)
    await again.stop()
    assert held.requests == 1


async def test_cancelling_whoever_awaits_stop_does_not_cancel_the_post(
    tmp_path: Path, peer: tuple[HeldPeer, str]
) -> None:
    held, base = peer
    db = _lead_waiting(tmp_path)
    worker = WebhookWorker(db, WebhookSettings(url=f"{base}/hook", timeout_s=10))
    task = worker.start()
    await asyncio.wait_for(held.arrived.wait(), timeout=5)
    stop = asyncio.create_task(worker.stop())
    await asyncio.sleep(0.05)
    stop.cancel()  # e.g. the service's own shutdown timed out
    await asyncio.sleep(0.05)
    assert not task.done()
    held.release.set()
    await asyncio.wait_for(task, timeout=5)
    assert db.execute("SELECT status FROM webhook_queue").fetchone()[0] == "sent"
    assert held.requests == 1 and held.answered == 1
