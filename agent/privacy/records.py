"""Everything the database and the recordings folder hold about one phone number.

A number concerns: the calls it made, the leads that name it as the number to call back (and
the calls behind them: the caller's voice is on their recordings), the leads of its calls, the
SMS sent to it or about its calls (the artisan's recap carries the caller's details), its
missed calls and their texts, the webhook notifications of its leads, and on disk every
recording and per-field clip of its calls. Stored numbers are compared once normalised, so
'06 12 34 56 78' finds a caller ID stored as '+33612345678' and the other way round.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agent.dashboard.recordings import safe_recording
from nlp.phone_numbers import as_e164, read_back, to_e164

__all__ = ["Subject", "find_subject", "normal_number"]

Row = dict[str, Any]


def normal_number(raw: str) -> str:
    """The number as stored (E.164); InvalidPhoneNumber when it is not a dialable number."""
    return to_e164(raw)


def _same(stored: str | None, number: str) -> bool:
    return bool(stored) and (stored == number or as_e164(stored) == number)


@dataclass(frozen=True)
class Subject:
    """One number's rows (as dicts, column -> value) and files, read in one snapshot."""

    number: str
    calls: list[Row]
    leads: list[Row]
    sms: list[Row]
    missed_calls: list[Row]
    webhook_queue: list[Row]
    files: list[Path]  # resolved, inside the recordings folder, existing

    @property
    def empty(self) -> bool:
        tables = (self.calls, self.leads, self.sms, self.missed_calls, self.webhook_queue)
        return not any(tables) and not self.files

    def counts(self) -> dict[str, int]:
        return {
            "calls": len(self.calls), "leads": len(self.leads), "sms": len(self.sms),
            "missed_calls": len(self.missed_calls), "webhook_queue": len(self.webhook_queue),
            "files": len(self.files),
        }  # fmt: skip


def _rows(conn: sqlite3.Connection, sql: str, args: tuple[Any, ...] = ()) -> list[Row]:
    return [dict(row) for row in conn.execute(sql, args)]


def _matching(conn: sqlite3.Connection, table: str, column: str, number: str) -> list[Row]:
    # Whole-table scan, filtered in Python: stored numbers come in any format (caller IDs),
    # and a business's tables hold thousands of rows, not millions.
    return [r for r in _rows(conn, f"SELECT * FROM {table}") if _same(r[column], number)]


def _by_ids(conn: sqlite3.Connection, table: str, column: str, ids: set[int]) -> list[Row]:
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    return _rows(conn, f"SELECT * FROM {table} WHERE {column} IN ({marks})", tuple(sorted(ids)))


def _merge(*groups: list[Row]) -> list[Row]:
    seen: dict[Any, Row] = {}
    for group in groups:
        for row in group:
            seen.setdefault(row.get("id", row.get("uniqueid")), row)
    return list(seen.values())


def _sms(conn: sqlite3.Connection, number: str, calls: list[Row], missed: list[Row]) -> list[Row]:
    """Texts to the number, and texts about its calls (keys '<call id>:...' and
    'missed:<uniqueid>:...', as agent.call and agent.missed write them), or naming it."""
    prefixes = tuple(f"{c['id']}:" for c in calls) + tuple(
        f"missed:{m['uniqueid']}:" for m in missed
    )
    spoken = (number, read_back(number))
    return [
        row
        for row in _rows(conn, "SELECT * FROM sms_outbox ORDER BY id")
        if _same(row["recipient"], number)
        or str(row["idem_key"]).startswith(prefixes)
        or any(form in str(row["body"]) for form in spoken)
    ]


def _files(subject_calls: list[Row], leads: list[Row], folder: Path | None,
           base: Path) -> list[Path]:  # fmt: skip
    """Recordings and clips the rows name, plus any file of these calls in the folder (a
    clip saved before its lead was written, a recording whose row update was lost)."""
    stored: list[str | None] = [c["recording_path"] for c in subject_calls]
    for lead in leads:
        stored.append(lead["recording_path"])
        stored.extend(str(path) for _, path in json.loads(lead["clips"] or "[]"))
    if folder is not None and folder.is_dir():
        for call in subject_calls:
            stored.extend(str(p) for p in folder.glob(f"call-{int(call['id']):06d}-*.wav"))
    found: dict[Path, None] = {}
    for raw in stored:
        path = safe_recording(raw, folder, base)
        if path is not None:
            found[path] = None
    return list(found)


def find_subject(
    conn: sqlite3.Connection, number: str, recordings_dir: Path | None, base_dir: Path
) -> Subject:
    """Everything about `number` (E.164, see normal_number)."""
    conn.execute("BEGIN")  # one snapshot: the agent may be writing meanwhile
    try:
        direct_calls = _matching(conn, "calls", "caller_number", number)
        direct_leads = _matching(conn, "leads", "caller_number", number)
        call_ids = {int(c["id"]) for c in direct_calls}
        lead_calls = {int(x["call_id"]) for x in direct_leads if x["call_id"] is not None}
        calls = _merge(direct_calls, _by_ids(conn, "calls", "id", lead_calls - call_ids))
        leads = _merge(
            direct_leads, _by_ids(conn, "leads", "call_id", {int(c["id"]) for c in calls})
        )
        missed = _matching(conn, "missed_calls", "caller", number)
        sms = _sms(conn, number, calls, missed)
        hooks = _by_ids(conn, "webhook_queue", "lead_id", {int(x["id"]) for x in leads})
    finally:
        conn.execute("COMMIT")
    files = _files(calls, leads, recordings_dir, base_dir)
    return Subject(number, calls, leads, sms, missed, hooks, files)
