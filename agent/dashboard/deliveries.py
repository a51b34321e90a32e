"""Webhook and SMS deliveries that went wrong, for the dashboard to show (issue 14).

Read from the queue tables themselves (agent.queue.worker keeps status, attempts and the
peer's last answer there), so the dashboard sees what the agent process did:
- `failed`: given up (refused, or retries ran out): nothing more will happen by itself;
- `retrying`: still pending after at least one failed try (peer down, a redirect...).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Literal

__all__ = ["FailedDelivery", "failed_deliveries"]

Channel = Literal["webhook", "sms"]
State = Literal["failed", "retrying"]

_WHERE = "(status = 'failed' OR (status = 'pending' AND attempts > 0 AND last_error IS NOT NULL))"


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


def _state(status: str) -> State:
    return "failed" if status == "failed" else "retrying"


def failed_deliveries(conn: sqlite3.Connection, limit: int = 50) -> list[FailedDelivery]:
    """Failed and retrying webhook notifications and SMS, newest first, at most `limit`."""
    hooks = conn.execute(
        f"SELECT id, lead_id, status, attempts, last_error, created_at FROM webhook_queue"
        f" WHERE {_WHERE} ORDER BY created_at DESC, id DESC LIMIT ?",
        (limit,),
    ).fetchall()
    texts = conn.execute(
        f"SELECT id, recipient, kind, status, attempts, last_error, created_at FROM sms_outbox"
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
