"""Both HTTP peers (SMS provider, lead webhook) get the same verdict for the same answer,
through a real aiohttp server; Retry-After reaches the schedule."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web

from agent.leads import Lead, SqliteLeadStore
from agent.leads.webhook import WebhookSettings, WebhookWorker
from agent.sms.outbox import OutboxSettings, SmsOutbox
from agent.sms.providers import TwilioSender
from agent.store.db import connect

from .peers import peer_server, twilio
from .test_worker import FakeTime


class Answers:
    def __init__(self) -> None:
        self.status = 200
        self.headers: dict[str, str] = {}
        self.redirected: list[bytes] = []  # what reached a redirect's target

    async def handle(self, request: web.Request) -> web.Response:
        await request.read()
        if self.status < 300:
            return web.json_response({"sid": "SM1"}, status=self.status)
        return web.Response(status=self.status, text="planned", headers=self.headers)

    async def elsewhere(self, request: web.Request) -> web.Response:
        self.redirected.append(await request.read())
        return web.json_response({"sid": "SM2"})


@pytest.fixture
async def answers() -> AsyncIterator[tuple[Answers, str]]:
    plan = Answers()
    async with peer_server(plan.handle, {"/elsewhere": plan.elsewhere}) as base:
        yield plan, base


def _parts(tmp_path: Path, base: str, clock: FakeTime) -> tuple[WebhookWorker, SmsOutbox]:
    db = connect(tmp_path / "agent.sqlite3")  # the tests read it back on their own connection
    leads = SqliteLeadStore(db, webhook_outcomes=("transferred",), clock=clock)
    leads.save(Lead(outcome="transferred"))
    hook = WebhookWorker(db, WebhookSettings(url=f"{base}/hook", backoff_initial_s=10), clock)
    outbox = SmsOutbox(
        db, TwilioSender(twilio(base, 2)), OutboxSettings(backoff_initial_s=10), clock
    )
    outbox.enqueue("k", "+33612345678", "Rappel", "caller_recap")
    return hook, outbox


def _db(tmp_path: Path) -> sqlite3.Connection:
    return connect(tmp_path / "agent.sqlite3")


async def _deliver_once(hook: WebhookWorker, outbox: SmsOutbox) -> None:
    """One delivery round of each queue, then both stopped."""
    try:
        await hook.deliver_due()
        await outbox.deliver_due()
    finally:
        await hook.stop()
        await outbox.stop()


@pytest.mark.parametrize(
    ("status", "outcome"),
    [(201, "sent"), (400, "failed"), (401, "failed"), (404, "failed"), (408, "pending"),
     (429, "pending"), (500, "pending"), (503, "pending")],
)  # fmt: skip
async def test_same_answer_same_fate_for_sms_and_webhook(
    tmp_path: Path, answers: tuple[Answers, str], status: int, outcome: str
) -> None:
    plan, base = answers
    plan.status = status
    hook, outbox = _parts(tmp_path, base, FakeTime())
    await _deliver_once(hook, outbox)
    [(hook_status,)] = _db(tmp_path).execute("SELECT status FROM webhook_queue").fetchall()
    [sms] = outbox.rows()
    assert (hook_status, sms.status) == (outcome, outcome)


async def test_retry_after_is_honoured_by_both(
    tmp_path: Path, answers: tuple[Answers, str]
) -> None:
    plan, base = answers
    plan.status, plan.headers = 429, {"Retry-After": "120"}
    clock = FakeTime()
    hook, outbox = _parts(tmp_path, base, clock)
    await _deliver_once(hook, outbox)
    [(hook_due,)] = _db(tmp_path).execute("SELECT next_attempt_at FROM webhook_queue").fetchall()
    [sms] = outbox.rows()
    assert hook_due - clock.now == 120 and sms.next_attempt_at - clock.now == 120  # not 10


async def test_unreachable_peer_is_retried_by_both(tmp_path: Path) -> None:
    hook, outbox = _parts(tmp_path, "http://127.0.0.1:9", FakeTime())
    await _deliver_once(hook, outbox)
    [(hook_status,)] = _db(tmp_path).execute("SELECT status FROM webhook_queue").fetchall()
    assert (hook_status, outbox.rows()[0].status) == ("pending", "pending")


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
async def test_redirects_are_not_followed_but_retried_and_reported(
    tmp_path: Path, answers: tuple[Answers, str], status: int
) -> None:
    """A 302 to a page answering 200 is no delivery; a 307 would re-post the body (and its
    signature or the provider's credentials) to the host the answer names."""
    plan, base = answers
    plan.status, plan.headers = status, {"Location": f"{base}/elsewhere"}
    hook, outbox = _parts(tmp_path, base, FakeTime())
    await _deliver_once(hook, outbox)
    assert plan.redirected == []
    [row] = _db(tmp_path).execute("SELECT status, last_error FROM webhook_queue").fetchall()
    [sms] = outbox.rows()
    assert (row["status"], sms.status) == ("pending", "pending")
    for error in (row["last_error"], sms.last_error):
        assert f"HTTP {status} redirect to '{base}/elsewhere' not followed" in str(error)
