"""Read side of the dashboard: leads, calls, SMS and counts, through the project's own stores.

Every query is a short indexed read on SQLite, run on the event loop (milliseconds each).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from agent.leads.model import STATUSES, Status, StoredLead
from agent.leads.store import SqliteLeadStore
from agent.store.calls import CallRecord, CallStore

__all__ = ["CallRow", "Counts", "DashboardData", "LeadFilter", "SmsRow"]

PAGE_LIMIT = 200


@dataclass(frozen=True)
class LeadFilter:
    status: Status | None = None
    urgent_only: bool = False

    @classmethod
    def parse(cls, status: str | None, urgent: str | None) -> LeadFilter:
        """Unknown values mean "no filter" (a hand-edited URL never errors)."""
        chosen = next((s for s in STATUSES if s == status), None)
        return cls(chosen, urgent in ("1", "on", "true"))


@dataclass(frozen=True)
class CallRow:
    call: CallRecord
    lead_id: int | None


@dataclass(frozen=True)
class Counts:
    calls: int
    leads: int


@dataclass(frozen=True)
class SmsRow:
    id: int
    recipient: str
    kind: str
    status: str
    attempts: int
    last_error: str | None
    body: str
    created_at: str
    sent_at: str | None


class DashboardData:
    """Queries on one connection (give the dashboard its own: `agent.store.db.connect`)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self.leads = SqliteLeadStore(conn)
        self._calls = CallStore(conn)

    def lead_list(self, wanted: LeadFilter, limit: int = PAGE_LIMIT) -> list[StoredLead]:
        where, args = [], []
        if wanted.status is not None:
            where.append("status = ?")
            args.append(wanted.status)
        if wanted.urgent_only:
            where.append("urgent = 1")
        sql = "SELECT id FROM leads"
        if where:
            sql += " WHERE " + " AND ".join(where)
        rows = self._conn.execute(sql + " ORDER BY id DESC LIMIT ?", (*args, limit)).fetchall()
        return [self.leads.get(int(row[0])) for row in rows]

    def calls(self, limit: int = PAGE_LIMIT) -> list[CallRow]:
        records = self._calls.recent(limit)
        ids = [r.id for r in records]
        lead_of: dict[int, int] = {}
        if ids:
            marks = ",".join("?" * len(ids))
            rows = self._conn.execute(
                f"SELECT call_id, MAX(id) FROM leads WHERE call_id IN ({marks}) GROUP BY call_id",
                ids,
            )
            lead_of = {int(r[0]): int(r[1]) for r in rows}
        return [CallRow(r, lead_of.get(r.id)) for r in records]

    def call(self, call_id: int) -> CallRow | None:
        row = self._conn.execute("SELECT channel_id FROM calls WHERE id = ?", (call_id,)).fetchone()
        record = self._calls.get(row[0]) if row else None
        if record is None:
            return None
        lead = self._conn.execute(
            "SELECT MAX(id) FROM leads WHERE call_id = ?", (call_id,)
        ).fetchone()
        return CallRow(record, None if lead[0] is None else int(lead[0]))

    def recording_path(self, call_id: int) -> str | None:
        row = self._conn.execute(
            "SELECT recording_path FROM calls WHERE id = ?", (call_id,)
        ).fetchone()
        return None if row is None else row[0]

    def sms(self, limit: int = PAGE_LIMIT) -> list[SmsRow]:
        """The outbox, newest first (read-only: sending is the agent's SmsOutbox's job)."""
        rows = self._conn.execute(
            "SELECT id, recipient, kind, status, attempts, last_error, body, created_at, sent_at"
            " FROM sms_outbox ORDER BY id DESC LIMIT ?",
            (limit,),
        )
        return [SmsRow(*tuple(row)) for row in rows]

    def counts(self) -> Counts:
        calls = self._conn.execute("SELECT COUNT(*) FROM calls").fetchone()[0]
        leads = self._conn.execute("SELECT COUNT(*) FROM leads").fetchone()[0]
        return Counts(int(calls), int(leads))
