"""Call records: one row per call the agent saw, written as the call progresses."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


@dataclass(frozen=True)
class AudioTotals:
    in_ms: int
    voice_in_ms: int
    out_ms: int


@dataclass(frozen=True)
class CallRecord:
    id: int
    channel_id: str
    caller_number: str | None
    started_at: str
    answered_at: str | None
    ended_at: str | None
    outcome: str
    audio_in_ms: int
    voice_in_ms: int
    audio_out_ms: int
    recording_path: str | None
    transcript: list[dict[str, Any]]


@dataclass(frozen=True)
class ClosedCall:
    """A whole call row, written at once: a call refused at the door (over the cap, storage
    down) or one whose row is replayed from the spool (agent.store.spool)."""

    channel_id: str
    caller_number: str | None
    caller_name: str | None
    started_at: str
    ended_at: str
    outcome: str
    answered_at: str | None = None
    audio: AudioTotals = AudioTotals(0, 0, 0)
    recording_path: str | None = None
    transcript: tuple[dict[str, Any], ...] = ()


class CallStore:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def create(self, channel_id: str, caller_number: str, caller_name: str = "") -> int:
        cursor = self._conn.execute(
            "INSERT INTO calls (channel_id, caller_number, caller_name, started_at)"
            " VALUES (?, ?, ?, ?)",
            (channel_id, caller_number or None, caller_name or None, utc_now()),
        )
        return int(cursor.lastrowid or 0)

    def mark_answered(self, channel_id: str) -> None:
        self._conn.execute(
            "UPDATE calls SET answered_at = ? WHERE channel_id = ?", (utc_now(), channel_id)
        )

    def set_recording(self, channel_id: str, path: str) -> None:
        self._conn.execute(
            "UPDATE calls SET recording_path = ? WHERE channel_id = ?", (path, channel_id)
        )

    def finish(
        self, channel_id: str, outcome: str, audio: AudioTotals, transcript: list[dict[str, Any]]
    ) -> None:
        self._conn.execute(
            "UPDATE calls SET ended_at = ?, outcome = ?, audio_in_ms = ?, voice_in_ms = ?,"
            " audio_out_ms = ?, transcript = ? WHERE channel_id = ?",
            (
                utc_now(),
                outcome,
                audio.in_ms,
                audio.voice_in_ms,
                audio.out_ms,
                json.dumps(transcript, ensure_ascii=False),
                channel_id,
            ),
        )

    def put(self, call: ClosedCall) -> None:
        """Insert the whole row, or close the row already there (a replay is idempotent)."""
        self._conn.execute(
            "INSERT INTO calls (channel_id, caller_number, caller_name, started_at, answered_at,"
            " ended_at, outcome, audio_in_ms, voice_in_ms, audio_out_ms, recording_path,"
            " transcript) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (channel_id) DO UPDATE SET"
            " answered_at = coalesce(calls.answered_at, excluded.answered_at),"
            " ended_at = excluded.ended_at, outcome = excluded.outcome,"
            " audio_in_ms = excluded.audio_in_ms, voice_in_ms = excluded.voice_in_ms,"
            " audio_out_ms = excluded.audio_out_ms,"
            " recording_path = coalesce(excluded.recording_path, calls.recording_path),"
            " transcript = excluded.transcript",
            (call.channel_id, call.caller_number or None, call.caller_name or None,
             call.started_at, call.answered_at, call.ended_at, call.outcome, call.audio.in_ms,
             call.audio.voice_in_ms, call.audio.out_ms, call.recording_path,
             json.dumps(list(call.transcript), ensure_ascii=False)),
        )  # fmt: skip

    def get(self, channel_id: str) -> CallRecord | None:
        row = self._conn.execute(
            "SELECT * FROM calls WHERE channel_id = ?", (channel_id,)
        ).fetchone()
        return _record(row) if row else None

    def recent(self, limit: int = 50) -> list[CallRecord]:
        rows = self._conn.execute("SELECT * FROM calls ORDER BY id DESC LIMIT ?", (limit,))
        return [_record(row) for row in rows]

    def unfinished(self) -> list[CallRecord]:
        rows = self._conn.execute("SELECT * FROM calls WHERE ended_at IS NULL ORDER BY id")
        return [_record(row) for row in rows]


def _record(row: sqlite3.Row) -> CallRecord:
    return CallRecord(
        id=row["id"],
        channel_id=row["channel_id"],
        caller_number=row["caller_number"],
        started_at=row["started_at"],
        answered_at=row["answered_at"],
        ended_at=row["ended_at"],
        outcome=row["outcome"],
        audio_in_ms=row["audio_in_ms"],
        voice_in_ms=row["voice_in_ms"],
        audio_out_ms=row["audio_out_ms"],
        recording_path=row["recording_path"],
        transcript=json.loads(row["transcript"]),
    )
