"""Rows spread over the last two weeks in every table the day view counts, and the figures
recomputed from them with SQL of the test's own (datetime() on UTC bounds, not the app's code)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from agent.leads.model import Lead
from agent.leads.store import SqliteLeadStore

__all__ = ["FIGURES", "expected", "insert_rows"]

FIGURES = ("calls", "answered", "leads", "urgent", "missed", "sms_failed", "webhook_failed")
MIN = timedelta(minutes=1)
DAY = timedelta(days=1)


def _stamp(moment: datetime, ms: bool = False) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds" if ms else "seconds")


def insert_rows(conn: sqlite3.Connection, now: datetime) -> None:
    """Calls, leads, missed calls, SMS and webhook rows from 1 minute to 12 days before `now`."""
    calls = [(1 * MIN, True), (30 * MIN, False), (2 * DAY, True), (10 * DAY, True)]
    for i, (ago, answered) in enumerate(calls):
        start = now - ago
        conn.execute(
            "INSERT INTO calls (channel_id, caller_number, started_at, answered_at, ended_at,"
            " outcome) VALUES (?, ?, ?, ?, ?, 'completed')",
            (f"day-{i}", "+33612345678", _stamp(start, ms=True),
             _stamp(start + 2 * MIN / 60, ms=True) if answered else None,
             _stamp(start + MIN, ms=True)),
        )  # fmt: skip
    leads = SqliteLeadStore(conn)
    plan = [(1 * MIN, "transferred", True), (40 * MIN, "spam", False),
            (3 * DAY, "callback_needed", False), (3 * DAY + MIN, "transferred", True),
            (9 * DAY, "transferred", True), (2 * DAY, "transferred", False)]  # fmt: skip
    ids = []
    for i, (ago, outcome, urgent) in enumerate(plan):
        lead = Lead(outcome=outcome, caller_number=f"+3361234560{i}", name=f"Client {i}",  # type: ignore[arg-type]
                    city="Bron", problem="fuite", urgent=urgent)  # fmt: skip
        ids.append(leads.save(lead, at=(now - ago).timestamp()))
    missed = [(5 * MIN, 0), (20 * MIN, 1), (4 * DAY, 0), (8 * DAY, 0)]
    for i, (ago, reached) in enumerate(missed):
        start = now - ago
        conn.execute(
            "INSERT INTO missed_calls (uniqueid, caller, started_at, ended_at, mobile_status,"
            " voicemail, reached_agent, sms_queued, recorded_at)"
            " VALUES (?, '+33698765432', ?, ?, 'NO ANSWER', 1, ?, 1, ?)",
            (f"u-{i}", start.astimezone(UTC).isoformat(), start.astimezone(UTC).isoformat(),
             reached, _stamp(now)),
        )  # fmt: skip
    sms = [(2 * MIN, "failed"), (2 * MIN, "sent"), (5 * DAY, "failed"), (12 * DAY, "failed")]
    for i, (ago, status) in enumerate(sms):
        conn.execute(
            "INSERT INTO sms_outbox (idem_key, recipient, body, kind, status, next_attempt_at,"
            " created_at) VALUES (?, '+33612345678', 'Bonjour', 'caller_recap', ?, 0, ?)",
            (f"day-{i}", status, _stamp(now - ago)),
        )
    for lead_id, ago, status in ((ids[0], MIN, "failed"), (ids[2], 3 * DAY, "sent")):
        conn.execute(
            "INSERT INTO webhook_queue (lead_id, payload, status, next_attempt_at, created_at)"
            " VALUES (?, '{}', ?, 0, ?)",
            (lead_id, status, _stamp(now - ago)),
        )


def _bound(now: datetime, zone: ZoneInfo, days_back: int) -> str:
    """Local midnight `days_back` days ago, as SQLite's datetime() prints UTC."""
    day = now.astimezone(zone).date() - timedelta(days=days_back)
    midnight = datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)
    return midnight.strftime("%Y-%m-%d %H:%M:%S")


def expected(conn: sqlite3.Connection, zone: ZoneInfo, now: datetime) -> dict[str, tuple[int, int]]:
    """figure -> (today, last 7 days), counted straight from the tables."""
    sql = {
        "calls": "SELECT (SELECT COUNT(*) FROM calls WHERE datetime(started_at) >= :b)"
        " + (SELECT COUNT(*) FROM missed_calls WHERE NOT reached_agent"
        " AND datetime(started_at) >= :b)",
        "answered": "SELECT COUNT(*) FROM calls WHERE answered_at IS NOT NULL"
        " AND datetime(started_at) >= :b",
        "leads": "SELECT COUNT(*) FROM leads WHERE outcome <> 'spam'"
        " AND datetime(created_at) >= :b",
        "urgent": "SELECT COUNT(*) FROM leads WHERE urgent AND outcome = 'transferred'"
        " AND datetime(created_at) >= :b",
        "missed": "SELECT COUNT(*) FROM missed_calls WHERE NOT reached_agent"
        " AND datetime(started_at) >= :b",
        "sms_failed": "SELECT COUNT(*) FROM sms_outbox WHERE status = 'failed'"
        " AND datetime(created_at) >= :b",
        "webhook_failed": "SELECT COUNT(*) FROM webhook_queue WHERE status = 'failed'"
        " AND datetime(created_at) >= :b",
    }
    today, week = _bound(now, zone, 0), _bound(now, zone, 6)
    return {
        name: (
            int(conn.execute(query, {"b": today}).fetchone()[0]),
            int(conn.execute(query, {"b": week}).fetchone()[0]),
        )
        for name, query in sql.items()
    }
