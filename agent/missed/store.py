"""SQLite side of the scanner: missed calls seen (once each) and the CDR file checkpoint."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from agent.missed.classify import MissedCall
from agent.missed.tail import Checkpoint

__all__ = ["MissedCallRecord", "MissedStore"]


@dataclass(frozen=True)
class MissedCallRecord:
    uniqueid: str
    caller: str | None
    started_at: str
    mobile_status: str
    voicemail: bool
    reached_agent: bool
    sms_queued: int
    skipped_reason: str | None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class MissedStore:
    """Uses its own connection (`agent.store.db.connect`): migrations 0005 created the tables."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def checkpoint(self, path: Path) -> Checkpoint | None:
        row = self._conn.execute(
            "SELECT inode, byte_offset, head FROM cdr_checkpoints WHERE path = ?", (str(path),)
        ).fetchone()
        return None if row is None else Checkpoint(int(row[0]), int(row[1]), str(row[2]))

    def save_checkpoint(self, path: Path, checkpoint: Checkpoint) -> None:
        self._conn.execute(
            "INSERT INTO cdr_checkpoints (path, inode, byte_offset, head, updated_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (path) DO UPDATE SET inode = excluded.inode,"
            " byte_offset = excluded.byte_offset, head = excluded.head,"
            " updated_at = excluded.updated_at",
            (str(path), checkpoint.inode, checkpoint.offset, checkpoint.head, _now()),
        )

    def known(self, uniqueid: str) -> bool:
        row = self._conn.execute("SELECT 1 FROM missed_calls WHERE uniqueid = ?", (uniqueid,))
        return row.fetchone() is not None

    def record(self, call: MissedCall, sms_queued: int, skipped_reason: str | None) -> bool:
        """False when the call was already recorded (another scan got there first)."""
        cursor = self._conn.execute(
            "INSERT INTO missed_calls (uniqueid, caller, started_at, ended_at, mobile_status,"
            " voicemail, reached_agent, sms_queued, skipped_reason, recorded_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (uniqueid) DO NOTHING",
            (
                call.uniqueid,
                call.caller,
                call.started_at.isoformat(),
                call.ended_at.isoformat(),
                call.mobile_status,
                int(call.voicemail),
                int(call.reached_agent),
                sms_queued,
                skipped_reason,
                _now(),
            ),
        )
        return bool(cursor.rowcount)

    def recent(self, limit: int = 50) -> list[MissedCallRecord]:
        rows = self._conn.execute(
            "SELECT uniqueid, caller, started_at, mobile_status, voicemail, reached_agent,"
            " sms_queued, skipped_reason FROM missed_calls ORDER BY started_at DESC LIMIT ?",
            (limit,),
        )
        return [
            MissedCallRecord(
                uniqueid=r[0],
                caller=r[1],
                started_at=r[2],
                mobile_status=r[3],
                voicemail=bool(r[4]),
                reached_agent=bool(r[5]),
                sms_queued=int(r[6]),
                skipped_reason=r[7],
            )
            for r in rows
        ]
