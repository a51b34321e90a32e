"""Read side of the dashboard: leads, calls, SMS and counts, through the project's own stores.

Every query is a short indexed read on SQLite, run on the event loop (milliseconds each).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from agent.dashboard.deliveries import FailedDelivery, failed_deliveries, outages
from agent.dashboard.figures import Figures, figures
from agent.dashboard.search import (
    PAGE_SIZE,
    ListFilter,
    fold,
    number_match,
    number_patterns,
    page_number,
    page_of,
    search_text,
    words,
    words_match,
)
from agent.leads.model import STATUSES, Status, StoredLead
from agent.leads.store import SqliteLeadStore
from agent.queue.worker import Outage
from agent.store.calls import CallRecord, CallStore

__all__ = ["CallRow", "Counts", "DashboardData", "LeadFilter", "LeadPage", "Page", "SmsRow"]

Row = TypeVar("Row")


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
        return cls(chosen, urgent in ("1", "on", "true"), search_text(text), page_number(page))

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
class Page(Generic[Row]):
    """One page of the calls or SMS list (same pager as the day view's)."""

    rows: list[Row]
    total: int  # rows matching the search, all pages together
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

        A page past the end shows the last one."""
        where, args = _lead_where(wanted)
        order = (
            "status = 'new' AND urgent = 1 DESC, status = 'new' AND outcome != 'spam' DESC,"
            " julianday(created_at) DESC, id DESC"
        )
        found = page_of(self._conn, "id", f"leads{where}", order, args, wanted.page, size)
        leads = [self.leads.get(int(r["id"])) for r in found.rows]
        return LeadPage(leads, found.total, found.page, found.pages)

    def figures(self, zone: ZoneInfo, now: datetime) -> Figures:
        return figures(self._conn, zone, now)

    def outages(self) -> list[tuple[str, Outage]]:
        """('SMS' | 'webhook', outage) for each queue whose peer keeps refusing."""
        return outages(self._conn)

    def failed_deliveries(self, limit: int = 50) -> list[FailedDelivery]:
        return failed_deliveries(self._conn, limit)

    def calls(self, wanted: ListFilter, size: int = PAGE_SIZE) -> Page[CallRow]:
        """Newest calls first; a search finds the caller's number, the name the network gave
        or the name (street, town) of the call's lead."""
        where, args = _call_where(wanted.text)
        found = page_of(self._conn, "channel_id", f"calls{where}", "id DESC", args, wanted.page,
                        size)  # fmt: skip
        records = [r for r in (self._calls.get(row["channel_id"]) for row in found.rows) if r]
        ids = [r.id for r in records]
        lead_of: dict[int, int] = {}
        if ids:
            marks = ",".join("?" * len(ids))
            rows = self._conn.execute(
                f"SELECT call_id, MAX(id) FROM leads WHERE call_id IN ({marks}) GROUP BY call_id",
                ids,
            )
            lead_of = {int(r[0]): int(r[1]) for r in rows}
        calls = [CallRow(r, lead_of.get(r.id)) for r in records]
        return Page(calls, found.total, found.page, found.pages)

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

    def sms(self, wanted: ListFilter, size: int = PAGE_SIZE) -> Page[SmsRow]:
        """The outbox, newest first (read-only: sending is the agent's SmsOutbox's job); a
        search finds the recipient's number or words of the text (the caller's name...)."""
        where, args = _sms_where(wanted.text)
        # The ids first: the window count then carries no message bodies (20,000 texts:
        # 32 -> 7 ms), and the page's twenty rows are read by key.
        found = page_of(self._conn, "id", f"sms_outbox{where}", "id DESC", args, wanted.page, size)
        ids = [int(row["id"]) for row in found.rows]
        marks = ",".join("?" * len(ids))
        rows = [
            SmsRow(*tuple(row))
            for row in self._conn.execute(
                "SELECT id, recipient, kind, status, attempts, last_error, body, created_at,"
                f" sent_at FROM sms_outbox WHERE id IN ({marks}) ORDER BY id DESC",
                ids,
            )
        ]
        return Page(rows, found.total, found.page, found.pages)

    def counts(self) -> Counts:
        calls = self._conn.execute("SELECT COUNT(*) FROM calls").fetchone()[0]
        leads = self._conn.execute("SELECT COUNT(*) FROM leads").fetchone()[0]
        return Counts(int(calls), int(leads))


# What a word of the search is looked for in: name, street, town and postcode, folded once.
_SEARCHED = (
    "fold("
    + " || ' ' || ".join(
        f"coalesce({column}, '')" for column in ("name", "street", "postcode", "city")
    )
    + ")"
)


def _text_match(text: str) -> tuple[str, list[object]]:
    """A number (mostly digits) is looked for in the caller's number and the postcode; other
    text word by word, each word anywhere in name, street, postcode or town ('moreau lyon')."""
    numbers = number_patterns(text)
    if numbers:
        match, args = number_match(["caller_number"], numbers)
        digits = "".join(ch for ch in text if ch.isdigit())
        return f"({match} OR postcode LIKE ?)", [*args, digits + "%"]
    return words_match(_SEARCHED, words(text))


def _call_where(text: str) -> tuple[str, list[object]]:
    """A number in the caller's number; words in the name the network gave, or all in the
    name, street or town of one of the call's leads (one subquery, not one per call)."""
    if not text:
        return "", []
    numbers = number_patterns(text)
    if numbers:
        match, args = number_match(["caller_number"], numbers)
        return f" WHERE {match}", args
    found = words(text)
    by_network, args = words_match("fold(caller_name)", found)
    by_lead, more = words_match(_SEARCHED, found)
    sql = f" WHERE ({by_network} OR id IN (SELECT call_id FROM leads WHERE {by_lead}))"
    return sql, [*args, *more]


def _sms_where(text: str) -> tuple[str, list[object]]:
    """A number in the recipient or the text (an artisan's recap names the caller's number);
    words in the text."""
    if not text:
        return "", []
    numbers = number_patterns(text)
    if numbers:
        match, args = number_match(["recipient", "body"], numbers)
    else:
        match, args = words_match("fold(body)", words(text))
    return f" WHERE {match}", args


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
        where.append(match)
        args += more
    return (" WHERE " + " AND ".join(where) if where else ""), args
