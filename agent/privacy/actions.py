"""Export and erase one phone number's data (GDPR articles 15 and 17), each action logged.

Export writes `data.json` (every row, transcripts decoded) and a copy of every audio file.
Delete removes the files first, then the rows in one transaction: interrupted, it leaves rows
that point at missing files, and running it again finishes the job; the other order could
leave files no row names any more. Every action is logged (logger `agent.privacy`) and
appended to `privacy-audit.jsonl` in the data folder, with the number masked: the audit proves
the request was served without keeping what was erased.
"""

from __future__ import annotations

import contextlib
import json
import logging
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from agent.privacy.records import Row, Subject

__all__ = ["AUDIT_FILE", "AuditLog", "Deleted", "delete_subject", "export_subject", "masked"]

log = logging.getLogger("agent.privacy")

AUDIT_FILE = "privacy-audit.jsonl"
# Columns stored as JSON text: exported decoded, so the person reads their words, not escapes.
_JSON_COLUMNS = frozenset({"transcript", "clips", "to_check", "payload"})


def masked(number: str) -> str:
    """'+33612345678' -> '+33••••••678': enough to tell requests apart in the audit."""
    return number[:3] + "•" * max(0, len(number) - 6) + number[-3:]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class AuditLog:
    path: Path

    def record(self, action: str, number: str, via: str, counts: dict[str, int]) -> None:
        entry = {"at": _now(), "action": action, "number": masked(number), "via": via,
                 "counts": counts}  # fmt: skip
        log.info("privacy %s of %s via %s: %s", action, masked(number), via, counts)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as out:
            out.write(json.dumps(entry, ensure_ascii=False) + "\n")


def _decoded(rows: list[Row]) -> list[Row]:
    out = []
    for row in rows:
        copy: dict[str, Any] = dict(row)
        for column in _JSON_COLUMNS & copy.keys():
            if isinstance(copy[column], str):
                with contextlib.suppress(ValueError):  # unreadable: kept as stored
                    copy[column] = json.loads(copy[column])
        out.append(copy)
    return out


def export_subject(subject: Subject, out_dir: Path, audit: AuditLog, via: str = "cli") -> Path:
    """Write the export folder under `out_dir`; returns it."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    folder = out_dir / f"decroche-export-{subject.number.lstrip('+')}-{stamp}"
    audio = folder / "audio"
    audio.mkdir(parents=True, exist_ok=False)
    copies = []
    for index, path in enumerate(subject.files):
        name = f"{index:03d}-{path.name}"
        shutil.copy2(path, audio / name)
        copies.append({"file": f"audio/{name}", "recorded_as": path.name})
    document = {
        "number": subject.number,
        "exported_at": _now(),
        "calls": _decoded(subject.calls),
        "leads": _decoded(subject.leads),
        "sms": _decoded(subject.sms),
        "missed_calls": _decoded(subject.missed_calls),
        "webhook_notifications": _decoded(subject.webhook_queue),
        "audio": copies,
    }
    (folder / "data.json").write_text(
        json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    audit.record("export", subject.number, via, subject.counts())
    return folder


@dataclass(frozen=True)
class Deleted:
    rows: dict[str, int]
    files: int
    missing_files: int  # already gone (a second run, or retention purged them)


def _ids(rows: list[Row], key: str = "id") -> list[Any]:
    return [row[key] for row in rows]


def _delete_rows(conn: sqlite3.Connection, subject: Subject) -> dict[str, int]:
    # Children first: webhook rows name leads; leads name calls.
    plan = [
        ("webhook_queue", "id", _ids(subject.webhook_queue)),
        ("sms_outbox", "id", _ids(subject.sms)),
        ("leads", "id", _ids(subject.leads)),
        ("missed_calls", "uniqueid", _ids(subject.missed_calls, "uniqueid")),
        ("calls", "id", _ids(subject.calls)),
    ]
    counts: dict[str, int] = {}
    conn.execute("BEGIN IMMEDIATE")
    try:
        for table, key, ids in plan:
            removed = 0
            for chunk in range(0, len(ids), 500):  # SQLite's bound-parameter limit
                part = ids[chunk : chunk + 500]
                marks = ",".join("?" * len(part))
                sql = f"DELETE FROM {table} WHERE {key} IN ({marks})"
                removed += conn.execute(sql, part).rowcount
            counts[table] = removed
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return counts


def delete_subject(
    conn: sqlite3.Connection, subject: Subject, audit: AuditLog, via: str = "cli"
) -> Deleted:
    """Remove the subject's files, then its rows; OSError if a file cannot be removed (the
    rows are then kept, so that the next run finds the file again)."""
    removed = missing = 0
    for path in subject.files:
        try:
            path.unlink()
            removed += 1
        except FileNotFoundError:
            missing += 1
    rows = _delete_rows(conn, subject)
    result = Deleted(rows, removed, missing)
    audit.record("delete", subject.number, via, {**rows, "files": removed})
    return result
