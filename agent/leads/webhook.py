"""Durable lead webhook: POST each queued lead as JSON, retry with capped backoff.

Rows come from `webhook_queue`, written by SqliteLeadStore.save in the lead's transaction, and
are delivered by the shared queue worker (agent.queue.worker): same backoff, same HTTP verdict
as the SMS outbox (5xx, 408, 425, 429 and network errors retried, Retry-After honoured, other
4xx given up), and stopping lets a POST in flight finish and be recorded, never cancels it.
The payload (agent.leads.store.lead_payload) gives audio as dashboard-relative URLs
(`recording_url`, `clips[].url`), never the server's file paths.
`[webhook]`: url (empty = off), secret (optional: X-Decroche-Signature = hex HMAC-SHA256 of the
body), timeout_s, max_attempts, backoff_initial_s, backoff_max_s, outcomes.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import sqlite3
import time
from collections.abc import Callable

import aiohttp

from agent.leads.settings import WebhookSettings
from agent.queue.http import post
from agent.queue.worker import Delivered, DurableQueue, QueueTable

__all__ = ["WebhookSettings", "WebhookWorker"]

log = logging.getLogger(__name__)


TABLE = QueueTable("webhook_queue", noun="lead")


class WebhookWorker:
    def __init__(
        self,
        conn: sqlite3.Connection,
        settings: WebhookSettings,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if not settings.url:
            raise ValueError("WebhookWorker needs settings.url")
        self._settings = settings
        self._url = settings.url
        self._clock = clock
        self._session: aiohttp.ClientSession | None = None
        # New leads are picked up at the next poll (they are written on the lead store's own
        # connection); a lead is not time-critical to the second: the artisan has the SMS.
        self._queue = DurableQueue(
            conn, TABLE, self._post, settings.policy, peer="lead webhook", log=log,
            clock=clock, poll_interval_s=settings.poll_interval_s, close=self._close,
        )  # fmt: skip

    def pending(self) -> int:
        return self._queue.pending()

    async def deliver_due(self) -> int:
        """POST every due notification once; returns how many the endpoint accepted."""
        return await self._queue.deliver_due()

    async def _post(self, row: sqlite3.Row) -> Delivered:
        body = str(row["payload"]).encode("utf-8")
        headers = {"Content-Type": "application/json", "User-Agent": "decroche-webhook/1"}
        if self._settings.secret:
            digest = hmac.new(self._settings.secret.encode(), body, hashlib.sha256).hexdigest()
            headers["X-Decroche-Signature"] = f"sha256={digest}"
        if self._session is None or self._session.closed:
            # The timeout bounds a POST in flight at shutdown: stop() waits for it.
            timeout = aiohttp.ClientTimeout(total=self._settings.timeout_s)
            self._session = aiohttp.ClientSession(timeout=timeout)
        await post(self._session, self._url, label="webhook", clock=self._clock, data=body,
                   headers=headers)  # fmt: skip
        return Delivered()

    async def run(self) -> None:
        await self._queue.run()

    def start(self) -> asyncio.Task[None]:
        return self._queue.start("lead-webhook")

    async def stop(self) -> None:
        """Take no new lead, let a POST in flight finish and be recorded, close the session."""
        await self._queue.stop()

    async def _close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
