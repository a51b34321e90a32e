"""Lead persistence: the LeadStore protocol and its SQLite implementation.

Saving a lead also queues its webhook notification in the same transaction (when the outcome
is one the webhook wants), so the notification cannot be lost between the two writes.
"""

from __future__ import annotations

import dataclasses
import json
import math
import sqlite3
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any, Protocol, cast

from agent.leads.model import OUTCOMES, STATUSES, Lead, Outcome, Status, StoredLead, Turn

__all__ = [
    "LeadNotFound",
    "LeadStore",
    "SqliteLeadStore",
    "clip_url",
    "lead_payload",
    "recording_url",
]


class LeadNotFound(LookupError):
    """No lead has this id."""


class LeadStore(Protocol):
    def save(self, lead: Lead) -> int: ...

    def get(self, lead_id: int) -> StoredLead: ...

    def recent(self, limit: int = 50) -> list[StoredLead]: ...

    def set_status(self, lead_id: int, status: Status) -> None: ...


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="seconds")


def clip_url(lead_id: int, index: int) -> str:
    """Where the dashboard serves a lead's `index`-th clip (relative to the dashboard)."""
    return f"/leads/{lead_id}/clips/{index}.wav"


def recording_url(call_id: int | None) -> str | None:
    """Where the dashboard serves a call's recording (relative to the dashboard)."""
    return None if call_id is None else f"/recordings/{call_id}.wav"


def lead_payload(lead_id: int, lead: Lead, created_at: str) -> dict[str, Any]:
    """The JSON document the webhook receives (stable field names: it is a public contract).

    Audio is given as dashboard URLs, never as the server's local paths (issue 14).
    """
    return {
        "event": "lead.created",
        "id": lead_id,
        "created_at": created_at,
        "outcome": lead.outcome,
        "urgent": lead.urgent,
        "category": lead.category,
        "problem": lead.problem,
        "caller_number": lead.caller_number,
        "name": lead.name,
        "address": {"street": lead.street, "postcode": lead.postcode, "city": lead.city},
        "address_heard": lead.address_heard,
        "address_confidence": lead.address_confidence,
        "to_check": list(lead.to_check),
        "visit": {
            "start": _iso_or_none(lead.visit_start),
            "end": _iso_or_none(lead.visit_end),
            "note": lead.booking_note,
        },
        "call_id": lead.call_id,
        "recording_url": recording_url(lead.call_id) if lead.recording_path else None,
        "clips": [
            {"field": name, "url": clip_url(lead_id, index)}
            for index, (name, _) in enumerate(lead.clips)
        ],
        "transcript": [{"speaker": t.speaker, "text": t.text} for t in lead.transcript],
    }


def _confidence(value: float | None) -> float | None:
    """A score the table accepts: NaN or infinite is "unknown", anything else within 0..1.
    A lead is never lost to a bad score (the column has a range CHECK)."""
    if value is None or not math.isfinite(value):
        return None
    return min(1.0, max(0.0, value))


class SqliteLeadStore:
    def __init__(
        self,
        conn: sqlite3.Connection,
        webhook_outcomes: Iterable[Outcome] = (),
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._conn = conn
        self._webhook_outcomes = frozenset(webhook_outcomes)
        self._clock = clock

    def save(self, lead: Lead, at: float | None = None) -> int:
        """Store the lead; `at` (epoch seconds) dates it when it was understood earlier."""
        if lead.outcome not in OUTCOMES:
            raise ValueError(f"unknown lead outcome {lead.outcome!r}")
        now = self._clock() if at is None else at
        stamp = _iso(now)
        transcript = json.dumps(
            [{"speaker": t.speaker, "text": t.text} for t in lead.transcript], ensure_ascii=False
        )
        lead = dataclasses.replace(lead, address_confidence=_confidence(lead.address_confidence))
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            cursor = self._conn.execute(
                "INSERT INTO leads (call_id, caller_number, name, street, postcode, city, problem,"
                " category, urgent, transcript, recording_path, outcome, created_at, updated_at,"
                " address_heard, address_confidence, to_check, clips, visit_start, visit_end,"
                " booking_note)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (lead.call_id, lead.caller_number, lead.name, lead.street, lead.postcode,
                 lead.city, lead.problem, lead.category, int(lead.urgent), transcript,
                 lead.recording_path, lead.outcome, stamp, stamp, lead.address_heard,
                 lead.address_confidence, json.dumps(list(lead.to_check)),
                 json.dumps([list(c) for c in lead.clips], ensure_ascii=False),
                 _iso_or_none(lead.visit_start), _iso_or_none(lead.visit_end),
                 lead.booking_note),
            )  # fmt: skip
            lead_id = int(cursor.lastrowid or 0)
            if lead.outcome in self._webhook_outcomes:
                payload = json.dumps(lead_payload(lead_id, lead, stamp), ensure_ascii=False)
                self._conn.execute(
                    "INSERT INTO webhook_queue (lead_id, payload, next_attempt_at, created_at)"
                    " VALUES (?, ?, ?, ?)",
                    (lead_id, payload, now, stamp),
                )
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")
        return lead_id

    def restore(self, lead: Lead, at: float) -> int:
        """Store a lead kept while the database was down, once: a replay cut short and
        run again finds the lead already there (same call, caller and time)."""
        row = self._conn.execute(
            "SELECT id FROM leads WHERE created_at = ? AND call_id IS ? AND caller_number IS ?",
            (_iso(at), lead.call_id, lead.caller_number),
        ).fetchone()
        return int(row["id"]) if row is not None else self.save(lead, at)

    def get(self, lead_id: int) -> StoredLead:
        row = self._conn.execute("SELECT * FROM leads WHERE id = ?", (lead_id,)).fetchone()
        if row is None:
            raise LeadNotFound(lead_id)
        return _stored(row)

    def recent(self, limit: int = 50) -> list[StoredLead]:
        rows = self._conn.execute("SELECT * FROM leads ORDER BY id DESC LIMIT ?", (limit,))
        return [_stored(r) for r in rows]

    def set_status(self, lead_id: int, status: Status) -> None:
        if status not in STATUSES:
            raise ValueError(f"unknown lead status {status!r}")
        cursor = self._conn.execute(
            "UPDATE leads SET status = ?, updated_at = ? WHERE id = ?",
            (status, _iso(self._clock()), lead_id),
        )
        if cursor.rowcount == 0:
            raise LeadNotFound(lead_id)


def _iso_or_none(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _when(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _stored(row: sqlite3.Row) -> StoredLead:
    turns = tuple(Turn(t["speaker"], t["text"]) for t in json.loads(row["transcript"]))
    lead = Lead(
        outcome=cast(Outcome, row["outcome"]),
        caller_number=row["caller_number"],
        name=row["name"],
        street=row["street"],
        postcode=row["postcode"],
        city=row["city"],
        problem=row["problem"],
        category=row["category"],
        urgent=bool(row["urgent"]),
        transcript=turns,
        call_id=row["call_id"],
        recording_path=row["recording_path"],
        address_heard=row["address_heard"],
        address_confidence=row["address_confidence"],
        to_check=tuple(str(f) for f in json.loads(row["to_check"])),
        clips=tuple((str(f), str(p)) for f, p in json.loads(row["clips"])),
        visit_start=_when(row["visit_start"]),
        visit_end=_when(row["visit_end"]),
        booking_note=row["booking_note"],
    )
    return StoredLead(row["id"], lead, cast(Status, row["status"]), row["created_at"],
                      row["updated_at"])  # fmt: skip
