"""Webhook and SMS deliveries that went wrong, for the dashboard to show (issue 14): the
outage banner of the day view (`outages`) and the list of failed sends (`failed_deliveries`).

Read from the queue tables themselves (agent.queue.worker keeps status, attempts and the
peer's last answer there), so the dashboard sees what the agent process did:
- `failed`: given up (refused, or retries ran out): nothing more will happen by itself;
- `retrying`: still pending after at least one failed try (peer down, a redirect...): the
  worker's own RETRYING rows, the ones its outage counts.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Literal

from agent.leads import webhook
from agent.queue.worker import RETRYING, Outage, outage_of
from agent.sms import outbox

__all__ = ["FailedDelivery", "failed_deliveries", "outages"]

Channel = Literal["webhook", "sms"]
State = Literal["failed", "retrying"]

_WHERE = f"(status = 'failed' OR ({RETRYING}))"


@dataclass(frozen=True)
class FailedDelivery:
    channel: Channel
    id: int  # row id in webhook_queue or sms_outbox
    state: State
    target: str  # the SMS recipient, or "demande <lead id>" for the webhook
    lead_id: int | None  # webhook only: the lead whose notification failed
    kind: str  # SMS kind (caller_recap, artisan_recap...), "lead" for the webhook
    attempts: int
    last_error: str
    created_at: str  # ISO-8601 UTC, when the item was queued


def outages(conn: sqlite3.Connection) -> list[tuple[str, Outage]]:
    """('SMS' | 'webhook', outage) for each queue whose peer keeps refusing."""
    found = [("SMS", outage_of(conn, outbox.TABLE)), ("webhook", outage_of(conn, webhook.TABLE))]
    return [(name, outage) for name, outage in found if outage is not None]


def _state(status: str) -> State:
    return "failed" if status == "failed" else "retrying"


def failed_deliveries(conn: sqlite3.Connection, limit: int = 50) -> list[FailedDelivery]:
    """Failed and retrying webhook notifications and SMS, newest first, at most `limit`."""
    hooks = conn.execute(
        f"SELECT id, lead_id, status, attempts, last_error, created_at FROM {webhook.TABLE.name}"
        f" WHERE {_WHERE} ORDER BY created_at DESC, id DESC LIMIT ?",
        (limit,),
    ).fetchall()
    texts = conn.execute(
        f"SELECT id, recipient, kind, status, attempts, last_error, created_at"
        f" FROM {outbox.TABLE.name}"
        f" WHERE {_WHERE} ORDER BY created_at DESC, id DESC LIMIT ?",
        (limit,),
    ).fetchall()
    rows = [
        FailedDelivery("webhook", int(r["id"]), _state(r["status"]), f"demande {r['lead_id']}",
                       int(r["lead_id"]), "lead", int(r["attempts"]), str(r["last_error"] or ""),
                       str(r["created_at"]))
        for r in hooks
    ] + [
        FailedDelivery("sms", int(r["id"]), _state(r["status"]), str(r["recipient"]), None,
                       str(r["kind"]), int(r["attempts"]), str(r["last_error"] or ""),
                       str(r["created_at"]))
        for r in texts
    ]  # fmt: skip
    rows.sort(key=lambda d: (d.created_at, d.channel, d.id), reverse=True)
    return rows[:limit]
