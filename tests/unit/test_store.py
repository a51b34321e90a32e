"""SQLite migrations and the call records store, on a real database file in tmp_path."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from agent.store.calls import AudioTotals, CallStore
from agent.store.db import _statements, connect, migrate, migration_scripts, schema_version


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    connection = connect(tmp_path / "sub" / "decroche.sqlite3")
    yield connection
    connection.close()


def tables(conn: sqlite3.Connection) -> set[str]:
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    return {row[0] for row in rows} - {"sqlite_sequence"}


def test_migration_scripts_are_numbered_and_sorted() -> None:
    scripts = migration_scripts()
    versions = [version for version, _, _ in scripts]
    assert versions == sorted(versions)
    assert versions[0] == 1
    assert len(set(versions)) == len(versions)
    assert all(name.endswith(".sql") and name[:4] == f"{v:04d}" for v, name, _ in scripts)


def test_connect_applies_every_migration(conn: sqlite3.Connection, tmp_path: Path) -> None:
    highest = max(version for version, _, _ in migration_scripts())
    assert schema_version(conn) == highest
    assert {"calls", "leads", "sms_outbox", "webhook_queue"} <= tables(conn)
    assert (tmp_path / "sub" / "decroche.sqlite3").exists()
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_reconnect_is_a_no_op(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    first = connect(path)
    CallStore(first).create("chan-1", "+33612345678")
    version, schema = schema_version(first), tables(first)
    first.close()
    second = connect(path)
    try:
        assert schema_version(second) == version
        assert tables(second) == schema
        assert migrate(second) == version  # nothing left to apply
        assert CallStore(second).get("chan-1") is not None  # data survived
    finally:
        second.close()


def test_migrations_apply_once_from_an_old_version(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    raw = sqlite3.connect(path, isolation_level=None)
    version, _, sql = migration_scripts()[0]
    for statement in _statements(sql):
        raw.execute(statement)
    raw.execute(f"PRAGMA user_version = {version}")
    raw.close()
    conn = connect(path)  # must apply 0002.. only: re-running 0001 would fail on CREATE TABLE
    try:
        assert schema_version(conn) == max(v for v, _, _ in migration_scripts())
        assert "leads" in tables(conn)
    finally:
        conn.close()


def test_statements_split_and_drop_comment_lines() -> None:
    sql = (
        "-- header; with a semicolon\nCREATE TABLE a (x INT);\n"
        "\n-- note\nCREATE INDEX i ON a (x);\n"
    )
    assert _statements(sql) == ["CREATE TABLE a (x INT)", "CREATE INDEX i ON a (x)"]


def test_call_store_round_trip(conn: sqlite3.Connection) -> None:
    store = CallStore(conn)
    first = store.create("chan-1", "+33612345678", "Jean Dupont")
    second = store.create("chan-2", "", "")
    assert second == first + 1

    record = store.get("chan-1")
    assert record is not None
    assert record.id == first
    assert record.caller_number == "+33612345678"
    assert record.outcome == "in_progress"
    assert record.answered_at is None and record.ended_at is None
    assert record.transcript == []
    datetime.fromisoformat(record.started_at)
    assert store.get("chan-2").caller_number is None  # type: ignore[union-attr]

    store.mark_answered("chan-1")
    store.set_recording("chan-1", "/var/rec/chan-1.wav")
    transcript = [{"who": "caller", "text": "J'ai une fuite d'eau"}, {"who": "agent", "text": "é"}]
    store.finish(
        "chan-1", "lead", AudioTotals(in_ms=5000, voice_in_ms=3200, out_ms=4100), transcript
    )

    done = store.get("chan-1")
    assert done is not None
    assert done.answered_at is not None and done.ended_at is not None
    assert done.started_at <= done.answered_at <= done.ended_at
    assert done.outcome == "lead"
    assert (done.audio_in_ms, done.voice_in_ms, done.audio_out_ms) == (5000, 3200, 4100)
    assert done.recording_path == "/var/rec/chan-1.wav"
    assert done.transcript == transcript

    assert [r.channel_id for r in store.unfinished()] == ["chan-2"]
    assert [r.channel_id for r in store.recent()] == ["chan-2", "chan-1"]
    assert [r.channel_id for r in store.recent(limit=1)] == ["chan-2"]
    assert store.get("missing") is None


def test_unfinished_lists_open_calls_in_order(conn: sqlite3.Connection) -> None:
    store = CallStore(conn)
    for name in ("a", "b", "c"):
        store.create(name, "+33600000000")
    store.finish("b", "hangup", AudioTotals(0, 0, 0), [])
    assert [r.channel_id for r in store.unfinished()] == ["a", "c"]


def test_channel_id_is_unique(conn: sqlite3.Connection) -> None:
    store = CallStore(conn)
    store.create("dup", "1")
    with pytest.raises(sqlite3.IntegrityError):
        store.create("dup", "2")
