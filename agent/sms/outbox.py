"""Durable SMS outbox: write first, deliver with capped exponential backoff, never twice.

Every message is a row of `sms_outbox` before any network call; the shared queue worker
(agent.queue.worker.DurableQueue) picks due rows, sends them, and marks them sent as soon as
the provider acknowledges. Rows still pending when the agent stops are picked up again at the
next start; stopping lets a send in flight finish and be recorded. The one window left is a
crash between the provider's acknowledgement and our UPDATE (milliseconds): the message could
then go out twice; providers offer no idempotency key that would close it.

A provider outage is logged once (first failure: warning with the provider's error; recovery:
info with how long it lasted), messages wait up to `give_up_after_s` (a day by default) before
they are marked failed, and `outage()` tells the dashboard, from the database, that texts are
waiting on a provider that does not answer.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass

from agent.queue.retry import SHARED_PEER_JITTER, RetryPolicy
from agent.queue.worker import Delivered, DurableQueue, Outage, QueueTable, iso
from agent.queue.worker import outage_of as _outage_of
from agent.sms.base import SmsMessage, SmsSender
from agent.sms.gsm import fit_segments
from nlp.phone_numbers import to_e164

__all__ = ["Outage", "OutboxRow", "OutboxSettings", "SmsOutbox", "outage_of"]

log = logging.getLogger(__name__)

TABLE = QueueTable("sms_outbox", noun="text", sent_columns=frozenset({"provider", "provider_id"}))


@dataclass(frozen=True)
class OutboxSettings:
    max_segments: int = 3
    max_attempts: int = 100  # a cap on tries; give_up_after_s is what normally ends them
    backoff_initial_s: float = 5.0
    backoff_max_s: float = 3600.0
    # A message still refused this long after it was queued is marked failed. Provider outages
    # of hours happen; a recap a day late is still worth more than none.
    give_up_after_s: float = 86400.0
    # Upper bound on how long the worker sleeps when nothing is due (new rows also wake it).
    poll_interval_s: float = 30.0
    # Every box of a provider comes back when its outage ends: spread their retries, as the
    # webhook's (RetryPolicy.jitter; 0 keeps the exact doubling).
    jitter: float = SHARED_PEER_JITTER

    @property
    def policy(self) -> RetryPolicy:
        return RetryPolicy(
            backoff_initial_s=self.backoff_initial_s,
            backoff_max_s=self.backoff_max_s,
            max_attempts=self.max_attempts,
            give_up_after_s=self.give_up_after_s,
            jitter=self.jitter,
        )


@dataclass(frozen=True)
class OutboxRow:
    id: int
    idem_key: str
    recipient: str
    body: str
    kind: str
    status: str
    attempts: int
    next_attempt_at: float
    last_error: str | None
    provider: str | None
    provider_id: str | None


def outage_of(conn: sqlite3.Connection) -> Outage | None:
    """The outage the outbox table shows (None: nothing waits after a failure)."""
    return _outage_of(conn, TABLE)


class SmsOutbox:
    """Enqueue from the event loop or a worker thread; deliver from one worker task.

    The connection should be this outbox's own (`connect(config.database)`): sqlite3 does not
    keep two components' transactions apart on one shared connection.
    """

    def __init__(
        self,
        conn: sqlite3.Connection,
        sender: SmsSender,
        settings: OutboxSettings | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._conn = conn
        self._sender = sender
        self._settings = settings or OutboxSettings()
        self._clock = clock
        self._queue = DurableQueue(
            conn, TABLE, self._send, self._settings.policy,
            peer=f"sms provider {sender.name}", log=log, clock=clock,
            poll_interval_s=self._settings.poll_interval_s, close=sender.close,
        )  # fmt: skip

    def enqueue(self, idem_key: str, recipient: str, text: str, kind: str) -> bool:
        """Store a message; False when `idem_key` was already queued (nothing is doubled).

        Raises InvalidPhoneNumber for a recipient we could never text.
        """
        number = to_e164(recipient)
        fitted = fit_segments(text, self._settings.max_segments)
        now = self._clock()  # created_at on the same clock as the retries: the give-up age
        cursor = self._conn.execute(
            "INSERT INTO sms_outbox (idem_key, recipient, body, kind, segments, next_attempt_at,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (idem_key) DO NOTHING",
            (idem_key, number, fitted.text, kind, fitted.segments, now, iso(now)),
        )
        if cursor.rowcount:
            self._queue.notify()
            return True
        return False

    def rows(self, status: str | None = None) -> list[OutboxRow]:
        query = "SELECT * FROM sms_outbox"
        args: tuple[str, ...] = ()
        if status is not None:
            query, args = query + " WHERE status = ?", (status,)
        return [_row(r) for r in self._conn.execute(query + " ORDER BY id", args)]

    def outage(self) -> Outage | None:
        """Texts held up by a provider outage, for the dashboard; None when there is none."""
        return self._queue.outage()

    async def _send(self, row: sqlite3.Row) -> Delivered:
        receipt = await self._sender.send(SmsMessage(row["recipient"], row["body"], row["kind"]))
        return Delivered({"provider": receipt.provider, "provider_id": receipt.provider_id})

    async def deliver_due(self) -> int:
        """Try every due message once; returns how many were acknowledged."""
        return await self._queue.deliver_due()

    async def run(self) -> None:
        await self._queue.run()

    def start(self) -> asyncio.Task[None]:
        """Start the worker (pending rows from a previous run are sent first)."""
        return self._queue.start("sms-outbox")

    async def stop(self) -> None:
        """Stop the worker, letting a send in flight finish and be recorded (a cancel after
        the provider accepted is the one way a text could go out twice), then close the
        provider; undelivered rows stay pending in SQLite."""
        await self._queue.stop()


def _row(r: sqlite3.Row) -> OutboxRow:
    return OutboxRow(
        id=r["id"],
        idem_key=r["idem_key"],
        recipient=r["recipient"],
        body=r["body"],
        kind=r["kind"],
        status=r["status"],
        attempts=r["attempts"],
        next_attempt_at=r["next_attempt_at"],
        last_error=r["last_error"],
        provider=r["provider"],
        provider_id=r["provider_id"],
    )
