"""The day view's figures: what happened today and over the last 7 days, from the real tables.

- calls: every call received, i.e. the calls the agent saw (`calls`) plus those that went to
  the dialplan fallback while the agent was down (`missed_calls`, reached_agent = 0);
- answered: calls the agent picked up (`calls.answered_at` set);
- leads: requests written down (`leads`, spam excluded);
- urgent: urgent leads handed to the artisan's mobile (urgent = 1, outcome 'transferred');
- missed: fallback calls nobody answered while the agent was down (migration 0005);
- sms_failed: texts the outbox gave up on (`sms_outbox.status = 'failed'`), by creation date;
- webhook_failed: lead notifications the webhook queue gave up on (migration 0004).

"Today" starts at midnight in the business time zone, "7 days" at midnight six days before.
Stamps are ISO-8601 with an offset and varying precision, so they are compared as julianday().
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

__all__ = ["Figures", "Tally", "day_start", "figures"]


@dataclass(frozen=True)
class Tally:
    calls: int
    answered: int
    leads: int
    urgent: int
    missed: int
    sms_failed: int
    webhook_failed: int


@dataclass(frozen=True)
class Figures:
    today: Tally
    week: Tally


# The plain comparison with a day's margin lets SQLite use the index on the column (offsets
# are at most 14 h, so it never drops a row); julianday() then decides exactly.
_SINCE = "{column} >= :rough AND julianday({column}) >= julianday(:since)"
_QUERIES = {
    "seen": f"SELECT COUNT(*) FROM calls WHERE {_SINCE.format(column='started_at')}",
    "answered": "SELECT COUNT(*) FROM calls WHERE answered_at IS NOT NULL AND "
    + _SINCE.format(column="started_at"),
    "leads": "SELECT COUNT(*) FROM leads WHERE outcome != 'spam' AND "
    + _SINCE.format(column="created_at"),
    "urgent": "SELECT COUNT(*) FROM leads WHERE urgent = 1 AND outcome = 'transferred' AND "
    + _SINCE.format(column="created_at"),
    "missed": "SELECT COUNT(*) FROM missed_calls WHERE reached_agent = 0 AND "
    + _SINCE.format(column="started_at"),
    "sms_failed": "SELECT COUNT(*) FROM sms_outbox WHERE status = 'failed' AND "
    + _SINCE.format(column="created_at"),
    "webhook_failed": "SELECT COUNT(*) FROM webhook_queue WHERE status = 'failed' AND "
    + _SINCE.format(column="created_at"),
}


def day_start(now: datetime, zone: ZoneInfo, days_back: int = 0) -> datetime:
    """Local midnight `days_back` days before `now`'s local date (DST-correct), as aware time."""
    local_day = now.astimezone(zone).date() - timedelta(days=days_back)
    return datetime.combine(local_day, time(0), tzinfo=zone)


def _tally(conn: sqlite3.Connection, since: datetime) -> Tally:
    rough = (since - timedelta(days=1)).astimezone(UTC)  # stored stamps are UTC
    bounds = {"since": since.isoformat(), "rough": rough.isoformat()}
    counts = {name: int(conn.execute(sql, bounds).fetchone()[0]) for name, sql in _QUERIES.items()}
    return Tally(
        calls=counts["seen"] + counts["missed"],
        answered=counts["answered"],
        leads=counts["leads"],
        urgent=counts["urgent"],
        missed=counts["missed"],
        sms_failed=counts["sms_failed"],
        webhook_failed=counts["webhook_failed"],
    )


def figures(conn: sqlite3.Connection, zone: ZoneInfo, now: datetime) -> Figures:
    """Today's and the last 7 days' tallies (14 indexed-or-small COUNT queries, milliseconds)."""
    return Figures(_tally(conn, day_start(now, zone)), _tally(conn, day_start(now, zone, 6)))
