"""POST /privacy/delete: erase all that concerns one number, from the dashboard (GDPR).

Form fields: `csrf` (the page's token) and `number`. Behind the dashboard's login and its
Origin + token check like every change; answers 303 to `/?privacy=deleted` (or
`/?privacy=none` when nothing matched), and 400 for a number that cannot be read.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from aiohttp import web

from agent.dashboard.security import Guard
from agent.privacy.actions import AUDIT_FILE, AuditLog, delete_subject
from agent.privacy.records import find_subject, normal_number
from nlp.phone_numbers import InvalidPhoneNumber

if TYPE_CHECKING:
    from agent.config import Config

__all__ = ["PRIVACY_DELETE_PATH", "PRIVACY_OUTCOMES", "install_privacy"]

PRIVACY_DELETE_PATH = "/privacy/delete"
# What the day view says after `/?privacy=...`, the answer of a deletion.
PRIVACY_OUTCOMES = {
    "deleted": "Les données de ce numéro ont été supprimées (appels, demandes, SMS,"
    " enregistrements).",
    "none": "Aucune donnée n'était enregistrée pour ce numéro : rien à supprimer.",
}


@dataclass(frozen=True)
class _Privacy:
    guard: Guard
    conn: sqlite3.Connection
    recordings_dir: Path | None
    base_dir: Path
    audit: AuditLog


_KEY = web.AppKey("privacy", _Privacy)


def install_privacy(
    app: web.Application, guard: Guard, conn: sqlite3.Connection, config: Config
) -> None:
    app[_KEY] = _Privacy(guard, conn, config.call.recordings_dir, config.base_dir,
                         AuditLog(config.data_dir / AUDIT_FILE))  # fmt: skip
    app.router.add_post(PRIVACY_DELETE_PATH, delete_number)


async def delete_number(request: web.Request) -> web.Response:
    ctx = request.app[_KEY]
    form = await ctx.guard.check_post(request)
    raw = form.get("number")
    try:
        number = normal_number(raw if isinstance(raw, str) else "")
    except InvalidPhoneNumber:
        raise web.HTTPBadRequest(text="Numéro de téléphone illisible.") from None
    subject = find_subject(ctx.conn, number, ctx.recordings_dir, ctx.base_dir)
    if subject.empty:
        ctx.audit.record("delete", number, "dashboard", subject.counts())
        raise web.HTTPSeeOther("/?privacy=none")
    try:
        delete_subject(ctx.conn, subject, ctx.audit, via="dashboard")
    except OSError:
        raise web.HTTPInternalServerError(text="Suppression incomplète : fichier verrouillé.") \
            from None  # fmt: skip
    raise web.HTTPSeeOther("/?privacy=deleted")
