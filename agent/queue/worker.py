"""One durable queue worker: rows of a SQLite table delivered by one task, retried, never twice.

A queue table (sms_outbox, webhook_queue) holds one row per item with the same bookkeeping
columns: id, status ('pending' | 'sent' | 'failed'), attempts, next_attempt_at (epoch seconds),
last_error, created_at and sent_at (ISO-8601 UTC). Items are written by their owners (the SMS
outbox, the lead store) before any network call; this worker picks the due ones, hands each to
the owner's `deliver` coroutine, and records the outcome in the same table. So a restart finds
every item still pending, and the tables keep the layout the dashboard already reads.

Shutdown stops taking new items and lets the delivery in flight finish and be recorded; it
never cancels it. Cancelling a request after the peer accepted it but before our UPDATE is the
one way an item could go out twice. Each `deliver` bounds its own I/O with its timeout.

A peer outage (RetryLater) is logged once when it starts and once when it ends, and the rows
still in backoff go at once when the peer answers again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from agent.queue.retry import GiveUp, RetryLater, RetryPolicy

__all__ = [
    "RETRYING",
    "Delivered",
    "DurableQueue",
    "Outage",
    "QueueTable",
    "iso",
    "outage_of",
]

# The rows waiting on a peer that refused them: still pending after a failed try. Public so
# that the dashboard's list of failed deliveries reads the very rows the outage counts.
RETRYING = "status = 'pending' AND attempts > 0 AND last_error IS NOT NULL"


def iso(timestamp: float) -> str:
    """The tables' timestamp format (created_at, sent_at): UTC, to the second."""
    return datetime.fromtimestamp(timestamp, UTC).isoformat(timespec="seconds")


def _epoch(stamp: str) -> float:
    moment = datetime.fromisoformat(stamp)
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


@dataclass(frozen=True)
class QueueTable:
    """A table with the queue's bookkeeping columns, and the extra ones a delivery may set."""

    name: str
    noun: str = "item"  # for the logs: "text", "lead"
    sent_columns: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        # Table and column names go into SQL text: only plain identifiers from our own code.
        for ident in (self.name, *self.sent_columns):
            if not ident.isidentifier():
                raise ValueError(f"not an SQL identifier: {ident!r}")


@dataclass(frozen=True)
class Delivered:
    """The peer accepted the item; `columns` (of QueueTable.sent_columns) record its receipt."""

    columns: Mapping[str, str | None] = field(default_factory=dict)


@dataclass(frozen=True)
class Outage:
    """Items waiting on a peer that refused them for a passing reason (down, 5xx...)."""

    since: datetime  # UTC: when the oldest of the waiting items was queued
    last_error: str  # the peer's last answer, as the newest waiting item saw it
    waiting: int  # items pending after at least one failed try


def outage_of(conn: sqlite3.Connection, table: QueueTable) -> Outage | None:
    """The outage a queue table shows (None: nothing waits after a failure). Read from the
    database, not from a worker's memory, so that another process (the dashboard) sees it."""
    row = conn.execute(
        f"SELECT MIN(created_at), COUNT(*) FROM {table.name} WHERE {RETRYING}"
    ).fetchone()
    if not row[1]:
        return None
    newest = conn.execute(
        f"SELECT last_error FROM {table.name} WHERE {RETRYING} ORDER BY id DESC LIMIT 1"
    ).fetchone()
    since = datetime.fromtimestamp(_epoch(str(row[0])), UTC)
    return Outage(since=since, last_error=str(newest[0]), waiting=int(row[1]))


Deliver = Callable[[sqlite3.Row], Awaitable[Delivered]]


class DurableQueue:
    """Delivers the due rows of one table from one task; `notify()` from any thread."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        table: QueueTable,
        deliver: Deliver,
        policy: RetryPolicy,
        *,
        peer: str,
        log: logging.Logger,
        clock: Callable[[], float] = time.time,
        poll_interval_s: float = 30.0,
        close: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        self._conn = conn
        self._table = table
        self._deliver = deliver
        self._policy = policy
        self._peer = peer  # who the items go to, for the logs: "sms provider ovh"
        self._log = log  # the owner's logger: operators filter on agent.sms.outbox & co
        self._clock = clock
        self._poll_interval_s = poll_interval_s
        # Closes the owner's client once the last delivery is recorded, never before: a
        # session closed under a POST in flight cuts it as surely as a cancel.
        self._close = close
        self._wake = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._outage_since: float | None = None  # this worker's view, for logging once

    @property
    def table(self) -> QueueTable:
        return self._table

    def now(self) -> float:
        return self._clock()

    def notify(self) -> None:
        """Wake the worker; asyncio.Event is not thread-safe, so hop onto its loop if needed."""
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if self._loop is None or running is self._loop:
            self._wake.set()
        elif not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._wake.set)

    def pending(self) -> int:
        query = f"SELECT COUNT(*) FROM {self._table.name} WHERE status = 'pending'"
        return int(self._conn.execute(query).fetchone()[0])

    def outage(self) -> Outage | None:
        return outage_of(self._conn, self._table)

    def _due(self) -> list[sqlite3.Row]:
        return self._conn.execute(
            f"SELECT * FROM {self._table.name} WHERE status = 'pending' AND next_attempt_at <= ?"
            " ORDER BY next_attempt_at, id",
            (self._clock(),),
        ).fetchall()

    def _next_due_in(self) -> float | None:
        row = self._conn.execute(
            f"SELECT MIN(next_attempt_at) FROM {self._table.name} WHERE status = 'pending'"
        ).fetchone()
        return None if row[0] is None else max(0.0, float(row[0]) - self._clock())

    async def deliver_due(self) -> int:
        """Try every due row once (none once stopping); returns how many were delivered."""
        delivered = 0
        for row in self._due():
            if self._stopping:
                break
            delivered += await self._attempt(row)
        return delivered

    async def _attempt(self, row: sqlite3.Row) -> int:
        attempts = int(row["attempts"]) + 1
        what = f"{self._table.noun} {row['id']}"
        try:
            receipt = await self._deliver(row)
        except GiveUp as exc:
            self._log.warning("%s to %s refused: %s", what, self._peer, exc)
            self._fail(row["id"], attempts, str(exc))
            return 0
        except RetryLater as exc:
            self._retry_later(row, attempts, exc)
            return 0
        except Exception as exc:  # noqa: BLE001 - a bug in `deliver` must not end the worker
            # (nothing would be sent until a restart); the row is retried, then abandoned.
            self._log.exception("%s to %s: unexpected error", what, self._peer)
            self._retry_later(row, attempts, RetryLater(f"{type(exc).__name__}: {exc}"))
            return 0
        self._sent(row["id"], attempts, receipt)
        self._outage_ended()
        return 1

    def _sent(self, row_id: int, attempts: int, receipt: Delivered) -> None:
        # The peer has accepted: the row is marked sent whatever else is wrong, since a row
        # left pending would go out again. An unknown receipt column is a bug, logged.
        names = [n for n in receipt.columns if n in self._table.sent_columns]
        if len(names) != len(receipt.columns):
            self._log.error("%s has no receipt column among %s; %s %d marked sent without it",
                            self._table.name, sorted(receipt.columns), self._table.noun,
                            row_id)  # fmt: skip
        extra = "".join(f", {name} = ?" for name in names)
        self._conn.execute(
            f"UPDATE {self._table.name} SET status = 'sent', attempts = ?, sent_at = ?,"
            f" last_error = NULL{extra} WHERE id = ?",
            (attempts, iso(self._clock()), *(receipt.columns[n] for n in names), row_id),
        )

    def _retry_later(self, row: sqlite3.Row, attempts: int, error: RetryLater) -> None:
        waited = self._clock() - _epoch(str(row["created_at"]))
        if self._policy.exhausted(attempts, waited):
            self._log.error(
                "%s %d to %s abandoned after %d tries over %s: %s",
                self._table.noun, row["id"], self._peer, attempts, duration(waited), error,
            )  # fmt: skip
            self._fail(row["id"], attempts, str(error))
            return
        self._outage_began(str(error))
        self._conn.execute(
            f"UPDATE {self._table.name} SET attempts = ?, next_attempt_at = ?, last_error = ?"
            " WHERE id = ?",
            (attempts, self._clock() + self._policy.delay(attempts, error), str(error), row["id"]),
        )

    def _fail(self, row_id: int, attempts: int, error: str) -> None:
        self._conn.execute(
            f"UPDATE {self._table.name} SET status = 'failed', attempts = ?, last_error = ?"
            " WHERE id = ?",
            (attempts, error, row_id),
        )

    def _outage_began(self, error: str) -> None:
        """Log the first failure of an outage only: one line per outage, not per try."""
        if self._outage_since is not None:
            self._log.debug("%s still failing: %s", self._peer, error)
            return
        self._outage_since = self._clock()
        self._log.warning("%s failing: %s; %ss wait and are retried %s",
                          self._peer, error, self._table.noun, self._horizon())  # fmt: skip

    def _horizon(self) -> str:
        if self._policy.give_up_after_s is not None:
            return f"for up to {duration(self._policy.give_up_after_s)}"
        return f"up to {self._policy.max_attempts} times"

    def _outage_ended(self) -> None:
        if self._outage_since is None:
            return
        now = self._clock()
        lasted, self._outage_since = now - self._outage_since, None
        # The peer is back: items still in backoff go now, not up to an hour later.
        waiting = self._conn.execute(
            f"UPDATE {self._table.name} SET next_attempt_at = ?"
            " WHERE status = 'pending' AND next_attempt_at > ?",
            (now, now),
        ).rowcount
        self._log.info("%s back after %s; %d waiting %s(s) sent now",
                       self._peer, duration(lasted), waiting, self._table.noun)  # fmt: skip

    async def run(self) -> None:
        """Deliver until stopped: due rows now, then sleep until the next is due or a notify."""
        while not self._stopping:
            self._wake.clear()
            await self.deliver_due()
            wait = self._next_due_in()
            timeout = self._poll_interval_s if wait is None else wait
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(
                    self._wake.wait(), timeout=min(timeout, self._poll_interval_s)
                )

    def start(self, name: str) -> asyncio.Task[None]:
        """Start the worker task (rows left pending by an earlier run are delivered first)."""
        if self._task is None or self._task.done():
            self._loop = asyncio.get_running_loop()
            self._stopping = False
            self._task = asyncio.create_task(self._serve(), name=name)
        return self._task

    async def _serve(self) -> None:
        try:
            await self.run()
        finally:
            await self._closed()

    async def _closed(self) -> None:
        if self._close is not None:
            await self._close()

    async def stop(self) -> None:
        """Take no new row; wait for the delivery in flight to finish and be recorded, then
        close the owner's client. Shielded: if whoever awaits stop() is cancelled, the
        delivery is not, and the client is closed only after it."""
        task, self._task = self._task, None
        if task is None:
            await self._closed()
            return
        self._stopping = True
        self._wake.set()
        await asyncio.shield(task)


def duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"
