"""Durable lead webhook: POST each queued lead as JSON, retry with capped backoff.

Rows come from `webhook_queue`, written by SqliteLeadStore.save in the lead's transaction, and
are delivered by the shared queue worker (agent.queue.worker): same backoff, same HTTP verdict
as the SMS outbox (5xx, 408, 425, 429 and network errors retried, Retry-After honoured, other
4xx given up), and stopping lets a POST in flight finish and be recorded, never cancels it.
Redirects are not followed (a 3xx is retried, then reported as failed).
The payload (agent.leads.store.lead_payload) gives audio as dashboard URLs (`recording_url`,
`clips[].url`), never the server's file paths: absolute under `[dashboard] public_url` when it
is set (the receiver can open them with the dashboard's login), relative otherwise.
`[webhook]`: url (empty = off), secret, timeout_s, max_attempts, backoff_initial_s,
backoff_max_s, outcomes.

Signature (when `secret` is set): `X-Decroche-Timestamp: <unix seconds>` and
`X-Decroche-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>`. The receiver
recomputes it over the raw body, compares in constant time, and refuses a timestamp more than
five minutes from its clock, so a captured request cannot be replayed later (`verify` below is
the reference; within the window, the payload's `id` lets it drop a duplicate).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import sqlite3
import time
from collections.abc import Callable
from urllib.parse import urljoin

import aiohttp

from agent.leads.settings import WebhookSettings
from agent.queue.http import post
from agent.queue.worker import Delivered, DurableQueue, QueueTable

__all__ = ["SIGNATURE_TOLERANCE_S", "WebhookSettings", "WebhookWorker", "sign", "verify"]

log = logging.getLogger(__name__)


TABLE = QueueTable("webhook_queue", noun="lead")
SIGNATURE_TOLERANCE_S = 300


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The X-Decroche-Signature value for `body` sent at `timestamp` (unix seconds)."""
    message = str(timestamp).encode("ascii") + b"." + body
    return "sha256=" + hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def verify(
    secret: str,
    timestamp: str | None,
    signature: str | None,
    body: bytes,
    now: float,
    tolerance_s: float = SIGNATURE_TOLERANCE_S,
) -> bool:
    """What a receiver checks: a fresh timestamp, and the signature over timestamp + body."""
    if not timestamp or not signature or not timestamp.isdigit():
        return False
    if abs(now - int(timestamp)) > tolerance_s:
        return False
    return hmac.compare_digest(signature.encode(), sign(secret, int(timestamp), body).encode())


def with_public_urls(payload: str, public_url: str | None) -> bytes:
    """The stored payload with its dashboard-relative audio URLs made absolute."""
    if not public_url:
        return payload.encode("utf-8")
    document = json.loads(payload)
    base = public_url.rstrip("/") + "/"
    if isinstance(document.get("recording_url"), str):
        document["recording_url"] = urljoin(base, document["recording_url"].lstrip("/"))
    for clip in document.get("clips") or []:
        if isinstance(clip, dict) and isinstance(clip.get("url"), str):
            clip["url"] = urljoin(base, clip["url"].lstrip("/"))
    return json.dumps(document, ensure_ascii=False).encode("utf-8")


class WebhookWorker:
    def __init__(
        self,
        conn: sqlite3.Connection,
        settings: WebhookSettings,
        clock: Callable[[], float] = time.time,
        public_url: str | None = None,
    ) -> None:
        """`public_url`: `[dashboard] public_url`, the base of the payload's audio links."""
        if not settings.url:
            raise ValueError("WebhookWorker needs settings.url")
        self._settings = settings
        self._url = settings.url
        self._clock = clock
        self._public_url = public_url
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
        body = with_public_urls(str(row["payload"]), self._public_url)
        headers = {"Content-Type": "application/json", "User-Agent": "decroche-webhook/2"}
        if self._settings.secret:
            # Signed at each try: a retry an hour later must not look like a replay.
            stamp = int(self._clock())
            headers["X-Decroche-Timestamp"] = str(stamp)
            headers["X-Decroche-Signature"] = sign(self._settings.secret, stamp, body)
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
