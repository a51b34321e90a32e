"""The shared durable queue worker over any table with the queue's bookkeeping columns."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from agent.queue.retry import GiveUp, RetryLater, RetryPolicy
from agent.queue.worker import Delivered, DurableQueue, QueueTable

JOBS = QueueTable("jobs", noun="job", sent_columns=frozenset({"receipt"}))
log = logging.getLogger("tests.queue.jobs")


class FakeTime:
    def __init__(self) -> None:
        self.now = 2_000_000.0

    def __call__(self) -> float:
        return self.now


def open_db(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.row_factory = sqlite3.Row
    conn.execute(
        "CREATE TABLE IF NOT EXISTS jobs (id INTEGER PRIMARY KEY, body TEXT NOT NULL,"
        " status TEXT NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0,"
        " next_attempt_at REAL NOT NULL, last_error TEXT, receipt TEXT,"
        " created_at TEXT NOT NULL, sent_at TEXT)"
    )
    return conn


def add(conn: sqlite3.Connection, body: str, at: float, created: str) -> None:
    conn.execute("INSERT INTO jobs (body, next_attempt_at, created_at) VALUES (?, ?, ?)",
                 (body, at, created))  # fmt: skip


@pytest.fixture
def db(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    conn = open_db(tmp_path / "q.sqlite3")
    yield conn
    conn.close()


class Peer:
    """Answers each delivery with the next scripted exception, then accepts."""

    def __init__(self, failures: list[Exception] | None = None) -> None:
        self.failures = list(failures or [])
        self.got: list[str] = []

    async def deliver(self, row: sqlite3.Row) -> Delivered:
        if self.failures:
            raise self.failures.pop(0)
        self.got.append(row["body"])
        return Delivered({"receipt": f"r{len(self.got)}"})


def status(conn: sqlite3.Connection) -> list[tuple[str, int, str | None]]:
    rows = conn.execute("SELECT status, attempts, receipt FROM jobs ORDER BY id")
    return [(r[0], r[1], r[2]) for r in rows]


def queue(conn: sqlite3.Connection, peer: Peer, clock: FakeTime, **policy: float) -> DurableQueue:
    return DurableQueue(conn, JOBS, peer.deliver, RetryPolicy(**policy),  # type: ignore[arg-type]
                        peer="test peer", log=log, clock=clock)  # fmt: skip


async def test_backoff_on_a_fake_clock_honours_retry_after_then_delivers_once(db) -> None:
    clock = FakeTime()
    add(db, "a", clock.now, "2026-01-01T00:00:00+00:00")
    peer = Peer([RetryLater("503"), RetryLater("429", retry_after_s=300), RetryLater("503")])
    q = queue(db, peer, clock, backoff_initial_s=10, backoff_max_s=100)
    waits = []
    for _ in range(3):
        before = clock.now
        assert await q.deliver_due() == 0
        (due,) = db.execute("SELECT next_attempt_at FROM jobs").fetchone()
        waits.append(due - before)
        clock.now = due - 1
        assert await q.deliver_due() == 0  # one second early: no try
        clock.now = due
    assert waits == [10, 300, 40]  # 10, then the peer's 300 over 20, then 40 (doubling)
    assert await q.deliver_due() == 1
    clock.now += 1e6
    assert await q.deliver_due() == 0
    assert peer.got == ["a"] and status(db) == [("sent", 4, "r1")]
    (sent_at,) = db.execute("SELECT sent_at FROM jobs").fetchone()
    assert sent_at.startswith("1970-01-24T03:")  # the injected clock, not the wall clock


async def test_give_up_is_final_and_other_rows_go_on(db) -> None:
    clock = FakeTime()
    add(db, "bad", clock.now, "2026-01-01T00:00:00+00:00")
    add(db, "good", clock.now, "2026-01-01T00:00:00+00:00")
    peer = Peer([GiveUp("404")])
    q = queue(db, peer, clock)
    assert await q.deliver_due() == 1
    clock.now += 1e6
    assert await q.deliver_due() == 0
    assert status(db) == [("failed", 1, None), ("sent", 1, "r1")]


async def test_abandoned_by_age_counted_from_created_at(db) -> None:
    clock = FakeTime()
    # A row as an older build wrote it: zone-less ISO created_at, read as UTC.
    add(db, "old", clock.now, "1970-01-24T02:33:20")  # = clock.now - 3600
    peer = Peer([RetryLater("503")] * 5)
    q = queue(db, peer, clock, give_up_after_s=3600, max_attempts=100)
    await q.deliver_due()
    assert status(db) == [("failed", 1, None)]


async def test_a_bug_in_deliver_keeps_the_worker_and_the_row(db, caplog) -> None:
    clock = FakeTime()
    add(db, "a", clock.now, "2026-01-01T00:00:00+00:00")
    peer = Peer([KeyError("payload")])
    q = queue(db, peer, clock, backoff_initial_s=10)
    assert await q.deliver_due() == 0
    assert status(db) == [("pending", 1, None)]
    assert "unexpected error" in caplog.text
    clock.now += 10
    assert await q.deliver_due() == 1


async def test_restart_resumes_the_rows_left_pending(tmp_path: Path) -> None:
    path = tmp_path / "q.sqlite3"
    clock = FakeTime()
    first = open_db(path)
    for body in ("a", "b"):
        add(first, body, clock.now, "2026-01-01T00:00:00+00:00")
    down = queue(first, Peer([RetryLater("503")] * 2), clock, backoff_initial_s=60)
    down.start("jobs")
    for _ in range(100):
        if first.execute("SELECT MIN(attempts) FROM jobs").fetchone()[0] == 1:
            break
        await asyncio.sleep(0.005)
    await down.stop()
    first.close()

    second = open_db(path)
    peer = Peer()
    restarted = queue(second, peer, clock)
    assert [s for s, _, _ in status(second)] == ["pending", "pending"]
    clock.now += 60  # their backoff ends
    restarted.start("jobs")
    for _ in range(100):
        if len(peer.got) == 2:
            break
        await asyncio.sleep(0.005)
    await restarted.stop()
    assert sorted(peer.got) == ["a", "b"]
    assert [(s, n) for s, n, _ in status(second)] == [("sent", 2), ("sent", 2)]
    second.close()


def test_table_and_column_names_are_identifiers() -> None:
    with pytest.raises(ValueError, match="identifier"):
        QueueTable("jobs; DROP TABLE x")
    with pytest.raises(ValueError, match="identifier"):
        QueueTable("jobs", sent_columns=frozenset({"a = 1, b"}))


async def test_a_wrong_receipt_column_still_marks_the_row_sent(db, caplog) -> None:
    clock = FakeTime()
    add(db, "a", clock.now, "2026-01-01T00:00:00+00:00")

    async def deliver(row: sqlite3.Row) -> Delivered:
        return Delivered({"reciept": "r1"})

    q = DurableQueue(db, JOBS, deliver, RetryPolicy(), peer="p", log=log, clock=clock)
    assert await q.deliver_due() == 1
    assert status(db) == [("sent", 1, None)] and "no receipt column" in caplog.text
