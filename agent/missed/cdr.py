"""Asterisk CSV CDR (cdr_csv's Master.csv): one typed row per line, nothing else.

Column order checked on a real file written by the sandbox Asterisk 22 (cdr.conf: usegmtime,
loguniqueid, loguserfield): the 16 base columns, then uniqueid, then userfield - uniqueid comes
BEFORE userfield. cdr_csv writes no linkedid: a call's rows share the caller channel's uniqueid.
Times are UTC because of usegmtime=yes; `answer` is empty (unquoted) when nobody answered.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

__all__ = ["CdrFormatError", "CdrRow", "parse_line", "parse_lines"]

BASE_COLUMNS = (
    "accountcode", "src", "dst", "dcontext", "clid", "channel", "dstchannel", "lastapp",
    "lastdata", "start", "answer", "end", "duration", "billsec", "disposition", "amaflags",
)  # fmt: skip
# "1795440989.0" (system name prefix allowed by asterisk.conf systemname: "pbx1-1795...")
_UNIQUEID = re.compile(r"^(?:[\w.-]+-)?\d+\.\d+$")
_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


class CdrFormatError(ValueError):
    """A CDR line we cannot read as a call record (wrong column count, bad date...)."""


@dataclass(frozen=True)
class CdrRow:
    """The fields of one CDR line that decide whether a call was missed."""

    src: str
    clid: str
    dcontext: str
    channel: str
    dstchannel: str
    lastapp: str
    lastdata: str
    start: datetime
    answer: datetime | None
    end: datetime
    billsec: int
    disposition: str  # ANSWERED, NO ANSWER, BUSY, FAILED, CONGESTION
    uniqueid: str
    userfield: str


def _time(value: str, column: str) -> datetime:
    try:
        return datetime.strptime(value, _TIME_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        raise CdrFormatError(f"{column}: {value!r} is not a CDR time") from None


def _split_tail(fields: list[str]) -> tuple[str, str]:
    """(uniqueid, userfield) from the columns after the 16 base ones."""
    tail = fields[len(BASE_COLUMNS) :]
    if len(tail) == 2:
        return tail[0], tail[1]
    # One extra column: loguniqueid or loguserfield alone; only the first lets us group a call.
    if len(tail) == 1 and _UNIQUEID.match(tail[0]):
        return tail[0], ""
    raise CdrFormatError(
        f"{len(fields)} columns: expected {len(BASE_COLUMNS) + 2} "
        "(cdr.conf [csv] needs loguniqueid=yes and loguserfield=yes)"
    )


def from_fields(fields: list[str]) -> CdrRow:
    uniqueid, userfield = _split_tail(fields)
    if not uniqueid:
        raise CdrFormatError("empty uniqueid")
    row = dict(zip(BASE_COLUMNS, fields, strict=False))
    try:
        billsec = int(row["billsec"] or 0)
    except ValueError:
        raise CdrFormatError(f"billsec: {row['billsec']!r} is not a number") from None
    return CdrRow(
        src=row["src"],
        clid=row["clid"],
        dcontext=row["dcontext"],
        channel=row["channel"],
        dstchannel=row["dstchannel"],
        lastapp=row["lastapp"],
        lastdata=row["lastdata"],
        start=_time(row["start"], "start"),
        answer=_time(row["answer"], "answer") if row["answer"] else None,
        end=_time(row["end"], "end"),
        billsec=billsec,
        disposition=row["disposition"],
        uniqueid=uniqueid,
        userfield=userfield,
    )


def parse_line(line: str) -> CdrRow:
    """One Master.csv line -> CdrRow; raises CdrFormatError."""
    try:
        fields = next(csv.reader([line]), [])
    except csv.Error as exc:  # e.g. a NUL byte left by a crash mid-write
        raise CdrFormatError(f"not a CSV line: {exc}") from None
    return from_fields(fields)


def parse_lines(lines: Iterable[str], errors: list[str] | None = None) -> Iterator[CdrRow]:
    """Rows of the lines that parse; each bad line's reason is appended to `errors`.

    Each line is read on its own: Asterisk never writes a newline inside a field, and a line
    cut mid-quote (a crash mid-write) must not swallow the calls after it.
    """
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            yield parse_line(line)
        except CdrFormatError as exc:
            if errors is not None:
                errors.append(f"line {number}: {exc}")
