from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from agent.config_reader import ConfigError
from agent.leads import Lead, SqliteLeadStore
from agent.leads.webhook import WebhookSettings, WebhookWorker
from agent.store.db import connect


class FakeTime:
    def __init__(self) -> None:
        self.now = 5_000.0

    def __call__(self) -> float:
        return self.now


class Endpoint:
    def __init__(self) -> None:
        self.plan: list[int] = []
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.requests = 0

    async def handle(self, request: web.Request) -> web.Response:
        self.requests += 1
        status = self.plan.pop(0) if self.plan else 200
        body = await request.read()
        if status == 200:
            self.received.append((dict(request.headers), body))
        return web.Response(status=status, text="ok" if status == 200 else "nope")


@pytest.fixture
async def endpoint():
    ep = Endpoint()
    app = web.Application()
    app.router.add_post("/hook", ep.handle)
    server = TestServer(app)
    await server.start_server()
    ep.url = str(server.make_url("/hook"))  # type: ignore[attr-defined]
    yield ep
    await server.close()


@pytest.fixture
def db(tmp_path):
    conn = connect(tmp_path / "agent.sqlite3")
    yield conn
    conn.close()


def settings(url: str, **changes: Any) -> WebhookSettings:
    values: dict[str, Any] = {"url": url, "secret": "s3cret", "backoff_initial_s": 30,
                              "backoff_max_s": 100, "max_attempts": 5} | changes  # fmt: skip
    return WebhookSettings(**values)


def _due(db) -> float:
    return float(db.execute("SELECT next_attempt_at FROM webhook_queue").fetchone()[0])


async def test_retries_with_jittered_backoff_then_delivers_once_signed(db, endpoint):
    clock = FakeTime()
    store = SqliteLeadStore(db, webhook_outcomes=("callback_needed",), clock=clock)
    lead_id = store.save(Lead(outcome="callback_needed", name="Anne Roux", urgent=True))
    endpoint.plan = [500, 503]
    worker = WebhookWorker(db, settings(endpoint.url), clock)
    waits = []
    for backoff in (30, 60):  # doubling from backoff_initial_s, a quarter of it drawn at random
        assert await worker.deliver_due() == 0
        waits.append(_due(db) - clock.now)
        assert backoff * 0.75 <= waits[-1] <= backoff
        clock.now = _due(db) - 0.5
        assert await worker.deliver_due() == 0  # backing off: no request before it is due
        clock.now += 0.5
    assert endpoint.requests == 2
    assert await worker.deliver_due() == 1
    clock.now += 1000
    assert await worker.deliver_due() == 0
    await worker.stop()
    assert endpoint.requests == 3 and worker.pending() == 0
    [(headers, body)] = endpoint.received
    assert json.loads(body)["id"] == lead_id and json.loads(body)["name"] == "Anne Roux"
    stamp = headers["X-Decroche-Timestamp"]
    assert stamp == str(int(clock.now - 1000))  # signed when sent, not when first queued
    signed = stamp.encode() + b"." + body
    expected = hmac.new(b"s3cret", signed, hashlib.sha256).hexdigest()
    assert headers["X-Decroche-Signature"] == f"sha256={expected}"


async def test_client_error_is_not_retried(db, endpoint):
    store = SqliteLeadStore(db, webhook_outcomes=("callback_needed",))
    store.save(Lead(outcome="callback_needed"))
    endpoint.plan = [404]
    worker = WebhookWorker(db, settings(endpoint.url))
    await worker.deliver_due()
    await worker.stop()
    row = db.execute("SELECT status, attempts FROM webhook_queue").fetchone()
    assert tuple(row) == ("failed", 1)


async def test_queued_before_restart_is_delivered_by_the_next_worker(tmp_path, endpoint):
    path = tmp_path / "agent.sqlite3"
    first = connect(path)
    SqliteLeadStore(first, webhook_outcomes=("transferred",)).save(Lead(outcome="transferred"))
    first.close()  # the agent stopped before any worker ran

    second = connect(path)
    worker = WebhookWorker(second, settings(endpoint.url, poll_interval_s=0.05))
    worker.start()
    for _ in range(50):
        if endpoint.received:
            break
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.1)
    await worker.stop()
    assert len(endpoint.received) == 1 and worker.pending() == 0
    second.close()


async def test_unreachable_endpoint_stays_pending(db):
    clock = FakeTime()
    store = SqliteLeadStore(db, webhook_outcomes=("transferred",), clock=clock)
    store.save(Lead(outcome="transferred"))
    worker = WebhookWorker(db, settings("http://127.0.0.1:9/hook", timeout_s=1), clock)
    await worker.deliver_due()
    await worker.stop()
    row = db.execute("SELECT status, attempts, last_error FROM webhook_queue").fetchone()
    assert row["status"] == "pending" and row["attempts"] == 1 and row["last_error"]


def test_settings_from_table():
    s = WebhookSettings.from_table({"url": "https://crm.example/hook", "outcomes": ["spam"]})
    assert s.enabled and s.outcomes == ("spam",)
    assert not WebhookSettings.from_table({}).enabled
    with pytest.raises(ConfigError, match=r"webhook\.url"):
        WebhookSettings.from_table({"url": "ftp://x"})
    with pytest.raises(ConfigError, match="outcomes"):
        WebhookSettings.from_table({"outcomes": ["maybe"]})
    with pytest.raises(ConfigError, match="unknown"):
        WebhookSettings.from_table({"urll": "https://x"})
