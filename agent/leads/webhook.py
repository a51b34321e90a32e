"""Durable lead webhook: POST each queued lead as JSON, retry with capped backoff.

Rows come from `webhook_queue`, written by SqliteLeadStore.save in the lead's transaction.
The payload (agent.leads.store.lead_payload) gives audio as dashboard-relative URLs
(`recording_url`, `clips[].url`), never the server's file paths.
`[webhook]`: url (empty = off), secret (optional: X-Decroche-Signature = hex HMAC-SHA256 of the
body), timeout_s, max_attempts, backoff_initial_s, backoff_max_s, outcomes.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import logging
import sqlite3
import time
from collections.abc import Callable
from datetime import UTC, datetime

import aiohttp

from agent.leads.settings import WebhookSettings
from agent.sms.base import backoff_delay

__all__ = ["WebhookError", "WebhookSettings", "WebhookWorker"]

log = logging.getLogger(__name__)


class WebhookError(Exception):
    def __init__(self, message: str, *, retryable: bool) -> None:
        super().__init__(message)
        self.retryable = retryable


def _now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class WebhookWorker:
    def __init__(
        self,
        conn: sqlite3.Connection,
        settings: WebhookSettings,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if not settings.url:
            raise ValueError("WebhookWorker needs settings.url")
        self._conn = conn
        self._settings = settings
        self._url = settings.url
        self._clock = clock
        self._session: aiohttp.ClientSession | None = None
        self._task: asyncio.Task[None] | None = None

    def pending(self) -> int:
        row = self._conn.execute("SELECT COUNT(*) FROM webhook_queue WHERE status = 'pending'")
        return int(row.fetchone()[0])

    async def deliver_due(self) -> int:
        """POST every due notification once; returns how many the endpoint accepted."""
        due = self._conn.execute(
            "SELECT id, payload, attempts FROM webhook_queue WHERE status = 'pending'"
            " AND next_attempt_at <= ? ORDER BY id",
            (self._clock(),),
        ).fetchall()
        delivered = 0
        for row in due:
            delivered += await self._deliver(row["id"], row["payload"], row["attempts"] + 1)
        return delivered

    async def _deliver(self, row_id: int, payload: str, attempts: int) -> int:
        try:
            await self._post(payload)
        except WebhookError as exc:
            if not exc.retryable or attempts >= self._settings.max_attempts:
                log.error("webhook for row %d abandoned: %s", row_id, exc)
                self._conn.execute(
                    "UPDATE webhook_queue SET status = 'failed', attempts = ?, last_error = ?"
                    " WHERE id = ?",
                    (attempts, str(exc), row_id),
                )
                return 0
            delay = backoff_delay(
                attempts, self._settings.backoff_initial_s, self._settings.backoff_max_s
            )
            self._conn.execute(
                "UPDATE webhook_queue SET attempts = ?, next_attempt_at = ?, last_error = ?"
                " WHERE id = ?",
                (attempts, self._clock() + delay, str(exc), row_id),
            )
            return 0
        self._conn.execute(
            "UPDATE webhook_queue SET status = 'sent', attempts = ?, sent_at = ?,"
            " last_error = NULL WHERE id = ?",
            (attempts, _now_iso(), row_id),
        )
        return 1

    async def _post(self, payload: str) -> None:
        body = payload.encode("utf-8")
        headers = {"Content-Type": "application/json", "User-Agent": "decroche-webhook/1"}
        if self._settings.secret:
            digest = hmac.new(self._settings.secret.encode(), body, hashlib.sha256).hexdigest()
            headers["X-Decroche-Signature"] = f"sha256={digest}"
        if self._session is None or self._session.closed:
            timeout = aiohttp.ClientTimeout(total=self._settings.timeout_s)
            self._session = aiohttp.ClientSession(timeout=timeout)
        try:
            async with self._session.post(self._url, data=body, headers=headers) as response:
                status = response.status
                text = await response.text()
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise WebhookError(f"{type(exc).__name__}: {exc}", retryable=True) from exc
        if status >= 500 or status in (408, 429):
            raise WebhookError(f"HTTP {status}: {text[:200]}", retryable=True)
        if status >= 400:
            raise WebhookError(f"HTTP {status}: {text[:200]}", retryable=False)

    async def run(self) -> None:
        while True:
            await self.deliver_due()
            row = self._conn.execute(
                "SELECT MIN(next_attempt_at) FROM webhook_queue WHERE status = 'pending'"
            ).fetchone()
            wait = self._settings.poll_interval_s
            if row[0] is not None:
                wait = min(wait, max(0.0, float(row[0]) - self._clock()))
            # New leads are picked up at the next poll; a lead is not time-critical to the
            # second (the artisan already has the SMS).
            await asyncio.sleep(max(wait, 0.05))

    def start(self) -> asyncio.Task[None]:
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self.run(), name="lead-webhook")
        return self._task

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._session is not None:
            await self._session.close()
            self._session = None
