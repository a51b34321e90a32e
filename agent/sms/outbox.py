"""Durable SMS outbox: write first, deliver with capped exponential backoff, never twice.

Every message is a row of `sms_outbox` before any network call. A single worker task picks due
rows, sends them, and marks them sent as soon as the provider acknowledges. Rows still pending
when the agent stops are picked up again at the next start. The one window left is a crash
between the provider's acknowledgement and our UPDATE (milliseconds): the message could then go
out twice; providers offer no idempotency key that would close it.

A provider outage is logged once (first failure: warning with the provider's error; recovery:
info with how long it lasted), messages wait up to `give_up_after_s` (a day by default) before
they are marked failed, and `outage()` tells the dashboard, from the database, that texts are
waiting on a provider that does not answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from agent.sms.base import (
    SmsMessage,
    SmsPermanentError,
    SmsSender,
    SmsTemporaryError,
    backoff_delay,
)
from agent.sms.gsm import fit_segments
from agent.sms.numbers import to_e164

__all__ = ["Outage", "OutboxRow", "OutboxSettings", "SmsOutbox", "outage_of"]

log = logging.getLogger(__name__)


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


@dataclass(frozen=True)
class Outage:
    """Texts waiting on a provider that refused them for a passing reason (down, 5xx...)."""

    since: datetime  # UTC: when the oldest of the waiting messages was queued
    last_error: str  # the provider's last answer, as the newest waiting message saw it
    waiting: int  # messages pending after at least one failed try


def _iso(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, UTC).isoformat(timespec="seconds")


def outage_of(conn: sqlite3.Connection) -> Outage | None:
    """The outage the outbox table shows (None: nothing waits after a failure).

    Read from the database, not from the worker's memory, so that another process (the
    dashboard) sees it too.
    """
    row = conn.execute(
        "SELECT MIN(created_at), COUNT(*) FROM sms_outbox"
        " WHERE status = 'pending' AND attempts > 0 AND last_error IS NOT NULL"
    ).fetchone()
    if not row[1]:
        return None
    newest = conn.execute(
        "SELECT last_error FROM sms_outbox WHERE status = 'pending' AND attempts > 0"
        " AND last_error IS NOT NULL ORDER BY id DESC LIMIT 1"
    ).fetchone()
    since = datetime.fromisoformat(str(row[0]))
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    return Outage(since=since, last_error=str(newest[0]), waiting=int(row[1]))


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
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping = False
        self._outage_since: float | None = None  # this worker's view, for logging once

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
            (idem_key, number, fitted.text, kind, fitted.segments, now, _iso(now)),
        )
        if cursor.rowcount:
            self._notify()
            return True
        return False

    def _notify(self) -> None:
        """Wake the worker; asyncio.Event is not thread-safe, so hop onto its loop if needed."""
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if self._loop is None or running is self._loop:
            self._wake.set()
        elif not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._wake.set)

    def rows(self, status: str | None = None) -> list[OutboxRow]:
        query = "SELECT * FROM sms_outbox"
        args: tuple[str, ...] = ()
        if status is not None:
            query, args = query + " WHERE status = ?", (status,)
        return [_row(r) for r in self._conn.execute(query + " ORDER BY id", args)]

    def outage(self) -> Outage | None:
        """Texts held up by a provider outage, for the dashboard; None when there is none."""
        return outage_of(self._conn)

    def _due(self) -> list[OutboxRow]:
        rows = self._conn.execute(
            "SELECT * FROM sms_outbox WHERE status = 'pending' AND next_attempt_at <= ?"
            " ORDER BY next_attempt_at, id",
            (self._clock(),),
        )
        return [_row(r) for r in rows]

    def _next_due_in(self) -> float | None:
        row = self._conn.execute(
            "SELECT MIN(next_attempt_at) FROM sms_outbox WHERE status = 'pending'"
        ).fetchone()
        return None if row[0] is None else max(0.0, float(row[0]) - self._clock())

    async def deliver_due(self) -> int:
        """Try every due message once; returns how many were acknowledged."""
        sent = 0
        for row in self._due():
            if self._stopping:
                break
            sent += await self._deliver(row)
        return sent

    async def _deliver(self, row: OutboxRow) -> int:
        attempts = row.attempts + 1
        message = SmsMessage(row.recipient, row.body, row.kind)
        try:
            receipt = await self._sender.send(message)
        except SmsPermanentError as exc:
            log.warning("sms %s to %s refused: %s", row.kind, row.recipient, exc)
            self._fail(row.id, attempts, str(exc))
            return 0
        except SmsTemporaryError as exc:
            self._outage_began(str(exc))
            self._retry_later(row, attempts, str(exc))
            return 0
        self._conn.execute(
            "UPDATE sms_outbox SET status = 'sent', attempts = ?, provider = ?, provider_id = ?,"
            " sent_at = ?, last_error = NULL WHERE id = ?",
            (attempts, receipt.provider, receipt.provider_id, _iso(self._clock()), row.id),
        )
        self._outage_ended()
        return 1

    def _retry_later(self, row: OutboxRow, attempts: int, error: str) -> None:
        waited = self._clock() - self._queued_at(row.id)
        if attempts >= self._settings.max_attempts or waited >= self._settings.give_up_after_s:
            log.error(
                "sms %s to %s abandoned after %d tries over %s: %s",
                row.kind, row.recipient, attempts, _duration(waited), error,
            )  # fmt: skip
            self._fail(row.id, attempts, error)
            return
        delay = backoff_delay(
            attempts, self._settings.backoff_initial_s, self._settings.backoff_max_s
        )
        self._conn.execute(
            "UPDATE sms_outbox SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?",
            (attempts, self._clock() + delay, error, row.id),
        )

    def _queued_at(self, row_id: int) -> float:
        (created,) = self._conn.execute(
            "SELECT created_at FROM sms_outbox WHERE id = ?", (row_id,)
        ).fetchone()
        queued = datetime.fromisoformat(str(created))
        return (queued if queued.tzinfo else queued.replace(tzinfo=UTC)).timestamp()

    def _outage_began(self, error: str) -> None:
        """Log the first failure of an outage only: one line per outage, not per try."""
        if self._outage_since is not None:
            log.debug("sms provider %s still failing: %s", self._sender.name, error)
            return
        self._outage_since = self._clock()
        log.warning(
            "sms provider %s failing: %s; texts wait and are retried for up to %s",
            self._sender.name, error, _duration(self._settings.give_up_after_s),
        )  # fmt: skip

    def _outage_ended(self) -> None:
        if self._outage_since is None:
            return
        lasted = self._clock() - self._outage_since
        self._outage_since = None
        # The provider is back: texts still in backoff go now, not up to an hour later.
        waiting = self._conn.execute(
            "UPDATE sms_outbox SET next_attempt_at = ? WHERE status = 'pending'"
            " AND next_attempt_at > ?",
            (self._clock(), self._clock()),
        ).rowcount
        log.info(
            "sms provider %s back after %s; %d waiting text(s) sent now",
            self._sender.name, _duration(lasted), waiting,
        )  # fmt: skip

    def _fail(self, row_id: int, attempts: int, error: str) -> None:
        self._conn.execute(
            "UPDATE sms_outbox SET status = 'failed', attempts = ?, last_error = ? WHERE id = ?",
            (attempts, error, row_id),
        )

    async def run(self) -> None:
        """Deliver forever: due rows now, then sleep until the next one is due or a new row."""
        while not self._stopping:
            self._wake.clear()
            await self.deliver_due()
            wait = self._next_due_in()
            timeout = self._settings.poll_interval_s if wait is None else wait
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(
                    self._wake.wait(), timeout=min(timeout, self._settings.poll_interval_s)
                )

    def start(self) -> asyncio.Task[None]:
        """Start the worker (pending rows from a previous run are sent first)."""
        if self._task is None or self._task.done():
            self._loop = asyncio.get_running_loop()
            self._stopping = False
            self._task = asyncio.create_task(self.run(), name="sms-outbox")
        return self._task

    async def stop(self, grace_s: float = 5.0) -> None:
        """Stop the worker and close the provider; undelivered rows stay pending in SQLite.

        A send in flight gets `grace_s` to finish and be recorded: cancelling it after the
        provider accepted but before our UPDATE is the one way a message could go out twice.
        """
        task, self._task = self._task, None
        if task is not None:
            self._stopping = True
            self._wake.set()
            try:
                await asyncio.wait_for(asyncio.shield(task), timeout=grace_s)
            except TimeoutError:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        await self._sender.close()


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


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
