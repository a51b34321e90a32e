"""Read side of the dashboard: leads, calls, SMS and counts, through the project's own stores.

Every query is a short indexed read on SQLite, run on the event loop (milliseconds each).
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from agent.dashboard.figures import Figures, figures
from agent.leads import webhook
from agent.leads.model import STATUSES, Status, StoredLead
from agent.leads.store import SqliteLeadStore
from agent.queue.worker import Outage, outage_of
from agent.sms import outbox
from agent.store.calls import CallRecord, CallStore

__all__ = ["CallRow", "Counts", "DashboardData", "LeadFilter", "LeadPage", "SmsRow"]

PAGE_LIMIT = 200
PAGE_SIZE = 20  # cards per page on the day view: a phone screen or two, then "suivantes"
MAX_QUERY = 100  # longer search text is cut (it never names a lead)


@dataclass(frozen=True)
class LeadFilter:
    """What the day view asks for: a status, urgent ones only, a search text, a page (1..)."""

    status: Status | None = None
    urgent_only: bool = False
    text: str = ""
    page: int = 1

    @classmethod
    def parse(
        cls,
        status: str | None,
        urgent: str | None,
        text: str | None = None,
        page: str | None = None,
    ) -> LeadFilter:
        """Unknown values mean "no filter" (a hand-edited URL never errors)."""
        chosen = next((s for s in STATUSES if s == status), None)
        number = int(page) if page and page.isdigit() and len(page) < 7 else 1
        cleaned = " ".join((text or "")[:MAX_QUERY].split())
        return cls(chosen, urgent in ("1", "on", "true"), cleaned, max(1, number))

    def query(self, page: int | None = None) -> str:
        """The URL query for these criteria (and another page), for links and forms."""
        pairs = [("status", self.status or ""), ("urgent", "1" if self.urgent_only else "")]
        pairs += [("q", self.text), ("page", str(page or self.page))]
        return urlencode([(k, v) for k, v in pairs if v and (k, v) != ("page", "1")])


@dataclass(frozen=True)
class LeadPage:
    leads: list[StoredLead]
    total: int  # leads matching the criteria, all pages together
    page: int
    pages: int


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
        # Search ignores case and accents ("helene" finds "Hélène"): SQLite's LIKE folds ASCII only.
        conn.create_function("fold", 1, fold, deterministic=True)
        self.leads = SqliteLeadStore(conn)
        self._calls = CallStore(conn)

    def lead_page(self, wanted: LeadFilter, size: int = PAGE_SIZE) -> LeadPage:
        """New urgent leads first, then new ones (not spam), then the rest; newest first.

        One scan gives both the page and the total (a window count), so a search folds each
        row once rather than twice.
        """
        where, args = _lead_where(wanted)
        order = (
            " ORDER BY status = 'new' AND urgent = 1 DESC, status = 'new' AND outcome != 'spam'"
            " DESC, julianday(created_at) DESC, id DESC LIMIT ? OFFSET ?"
        )
        sql = f"SELECT id, COUNT(*) OVER () FROM leads{where}{order}"
        rows = self._conn.execute(sql, (*args, size, (wanted.page - 1) * size)).fetchall()
        if rows:
            total = int(rows[0][1])
            page = wanted.page
        else:  # past the last page (or nothing matches): count, then show the last page
            total = int(
                self._conn.execute(f"SELECT COUNT(*) FROM leads{where}", args).fetchone()[0]
            )
            page = max(1, -(-total // size))
            rows = self._conn.execute(sql, (*args, size, (page - 1) * size)).fetchall()
        pages = max(1, -(-total // size))
        return LeadPage([self.leads.get(int(r[0])) for r in rows], total, page, pages)

    def figures(self, zone: ZoneInfo, now: datetime) -> Figures:
        return figures(self._conn, zone, now)

    def outages(self) -> list[tuple[str, Outage]]:
        """('SMS' | 'webhook', outage) for each queue whose peer keeps refusing (read from the
        tables, so the dashboard sees what the agent's workers see)."""
        found = [("SMS", outage_of(self._conn, outbox.TABLE))]
        found.append(("webhook", outage_of(self._conn, webhook.TABLE)))
        return [(name, outage) for name, outage in found if outage is not None]

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


_MARKS = re.compile("[\u0300-\u036f]")  # the combining accents of Latin letters, once split


def fold(text: object) -> str:
    """Lower case without accents, for search ('Hélène' -> 'helene'); None -> ''.

    Called by SQLite once per row searched: plain ASCII (most rows) takes the fast path."""
    if not isinstance(text, str):
        return ""
    if text.isascii():
        return text.lower()
    return _MARKS.sub("", unicodedata.normalize("NFKD", text.casefold()))


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _number_patterns(text: str) -> list[str]:
    """'06 12 34' matches '+33612 34...' as stored (E.164): both spellings are searched."""
    digits = "".join(ch for ch in text if ch.isdigit())
    if len(digits) < 2 or len(digits) * 2 < len(text.replace(" ", "").replace(".", "")):
        return []  # mostly letters: a name or a town, not a number
    found = [digits]
    if digits.startswith("0") and len(digits) > 1:
        found.append("+33" + digits[1:])
    return found


# What a word of the search is looked for in: name, street, town and postcode, folded once.
_SEARCHED = (
    "fold("
    + " || ' ' || ".join(
        f"coalesce({column}, '')" for column in ("name", "street", "postcode", "city")
    )
    + ")"
)
MAX_WORDS = 6


def _text_match(text: str) -> tuple[str, list[object]]:
    """A number (mostly digits) is looked for in the caller's number and the postcode; other
    text word by word, each word anywhere in name, street, postcode or town ('moreau lyon')."""
    numbers = _number_patterns(text)
    if numbers:
        match = ["replace(caller_number, ' ', '') LIKE ? ESCAPE '\\'"] * len(numbers)
        digits = "".join(ch for ch in text if ch.isdigit())
        return "(" + " OR ".join([*match, "postcode LIKE ?"]) + ")", [
            *(_like(n) for n in numbers),
            digits + "%",
        ]
    words = fold(text).split()[:MAX_WORDS]
    return " AND ".join([f"{_SEARCHED} LIKE ? ESCAPE '\\'"] * len(words)), [_like(w) for w in words]


def _lead_where(wanted: LeadFilter) -> tuple[str, list[object]]:
    where: list[str] = []
    args: list[object] = []
    if wanted.status is not None:
        where.append("status = ?")
        args.append(wanted.status)
    if wanted.urgent_only:
        where.append("urgent = 1")
    if wanted.text:
        match, more = _text_match(wanted.text)
        if match:
            where.append(match)
            args += more
    return (" WHERE " + " AND ".join(where) if where else ""), args
