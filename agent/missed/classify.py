"""Which calls went to the fallback (agent down or handed back) and were never answered.

Rows seen on the sandbox Asterisk for one call through `decroche-fallback` (same uniqueid):
- mobile answered:             Dial  ANSWERED  (dstchannel PJSIP/trunk-...)
- mobile busy / rang out:      Dial  BUSY | NO ANSWER, then VoiceMail ANSWERED (dstchannel "")
- caller gave up while ringing: Dial NO ANSWER, and no VoiceMail row
A call the agent took has rows in `decroche-inbound` with lastapp Stasis and never reaches the
fallback unless the agent hands it back (crash, stop): those count too, nobody else texts them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from agent.missed.cdr import CdrRow

__all__ = ["FALLBACK", "MissedCall", "classify", "group_by_call", "is_decroche_row"]

FALLBACK = "decroche-fallback"  # dialplan context and CDR(userfield) of the fallback
INBOUND = "decroche-inbound"
_CLID_NUMBER = re.compile(r"<([^>]*)>\s*$")


@dataclass(frozen=True)
class MissedCall:
    uniqueid: str
    caller: str | None  # the number as the trunk gave it; None when withheld
    started_at: datetime  # UTC
    ended_at: datetime  # UTC
    mobile_status: str  # the Dial's disposition: BUSY, NO ANSWER, FAILED... ("" if no Dial)
    voicemail: bool  # the caller reached the voicemail (did not hang up while it rang)
    reached_agent: bool  # the agent had the call and handed it back (not "agent down")


def is_decroche_row(row: CdrRow) -> bool:
    """Rows of our dialplan; other traffic on a shared Asterisk is none of our business."""
    return row.dcontext in (INBOUND, FALLBACK) or row.userfield in (INBOUND, FALLBACK)


def group_by_call(rows: Iterable[CdrRow]) -> dict[str, list[CdrRow]]:
    """uniqueid -> its rows in file order (cdr_csv has no linkedid column)."""
    calls: dict[str, list[CdrRow]] = {}
    for row in rows:
        calls.setdefault(row.uniqueid, []).append(row)
    return calls


def _caller(rows: Sequence[CdrRow]) -> str | None:
    for row in rows:
        number = row.src.strip()
        if not number:
            match = _CLID_NUMBER.search(row.clid)
            number = match.group(1).strip() if match else ""
        if number and number.lower() not in ("anonymous", "unknown", "restricted", "private"):
            return number
    return None


def classify(rows: Sequence[CdrRow]) -> MissedCall | None:
    """The missed call these rows (one uniqueid) describe, or None: not through the fallback,
    or the mobile answered there. Rows cut across two scans still classify safely: the
    fallback holds one Dial, so an answered mobile is always seen on the Dial row itself."""
    fallback = [r for r in rows if r.dcontext == FALLBACK or r.userfield == FALLBACK]
    if not fallback:
        return None
    dials = [r for r in fallback if r.lastapp == "Dial"]
    if any(r.disposition == "ANSWERED" for r in dials):
        return None
    return MissedCall(
        uniqueid=rows[0].uniqueid,
        caller=_caller(rows),
        started_at=min(r.start for r in rows),
        ended_at=max(r.end for r in rows),
        mobile_status=dials[-1].disposition if dials else "",
        voicemail=any(r.lastapp == "VoiceMail" for r in fallback),
        reached_agent=any(r.lastapp == "Stasis" for r in rows),
    )
