"""The aiohttp application: routes, handlers, and `build_app(config, conn)`.

    app = build_app(config, connect(config.database))   # settings from config [dashboard]
    web.run_app(app, host=settings.bind, port=settings.port)

Give the dashboard its own SQLite connection when it runs inside the agent process.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from aiohttp import web

from agent.dashboard.calls_view import call_detail, call_list, sms_list
from agent.dashboard.data import DashboardData, LeadFilter
from agent.dashboard.leads_view import lead_detail, lead_list
from agent.dashboard.privacy_route import install_privacy
from agent.dashboard.recordings import safe_recording
from agent.dashboard.render import page
from agent.dashboard.security import Guard
from agent.dashboard.settings import DashboardSettings
from agent.leads.model import STATUSES, StoredLead
from agent.leads.store import LeadNotFound, clip_url

if TYPE_CHECKING:  # agent.config reads [dashboard] with this package's settings
    from agent.config import Config

__all__ = ["build_app"]


@dataclass(frozen=True)
class _Context:
    data: DashboardData
    guard: Guard
    zone: ZoneInfo
    business: str
    recordings_dir: Path | None
    base_dir: Path  # relative recording paths are the config file's folder's

    def recording_url(self, call_id: int | None) -> str | None:
        if call_id is None:
            return None
        stored = self.data.recording_path(call_id)
        if safe_recording(stored, self.recordings_dir, self.base_dir) is None:
            return None
        return f"/recordings/{call_id}.wav"

    def clip_file(self, stored: StoredLead, index: int) -> Path | None:
        """The lead's `index`-th clip, checked exactly as recordings are."""
        clips = stored.lead.clips
        if not 0 <= index < len(clips):
            return None
        return safe_recording(clips[index][1], self.recordings_dir, self.base_dir)

    def clip_url(self, stored: StoredLead, index: int) -> str | None:
        return None if self.clip_file(stored, index) is None else clip_url(stored.id, index)

    def html(self, title: str, active: str, body: str) -> web.Response:
        return web.Response(text=page(title, self.business, active, body), content_type="text/html")


CONTEXT = web.AppKey("dashboard", _Context)


def build_app(
    config: Config, conn: sqlite3.Connection, settings: DashboardSettings | None = None
) -> web.Application:
    """The dashboard for `config`, reading and updating the database behind `conn`."""
    settings = settings or config.dashboard
    settings.check()
    guard = Guard(settings)
    app = web.Application(middlewares=[guard.middleware], client_max_size=64 * 1024)
    app[CONTEXT] = _Context(
        data=DashboardData(conn),
        guard=guard,
        zone=ZoneInfo(config.business.timezone),
        business=config.business.name,
        recordings_dir=config.call.recordings_dir,
        base_dir=config.base_dir,
    )
    guard.install(app)  # security headers on every answer, POST /logout
    install_privacy(app, guard, conn, config)  # POST /privacy/delete
    app.router.add_get("/", leads_page)
    app.router.add_get("/leads/{id:\\d+}", lead_page)
    app.router.add_post("/leads/{id:\\d+}/status", lead_status)
    app.router.add_get("/calls", calls_page)
    app.router.add_get("/calls/{id:\\d+}", call_page)
    app.router.add_get("/recordings/{id:\\d+}.wav", recording)
    app.router.add_get("/leads/{id:\\d+}/clips/{index:\\d{1,3}}.wav", clip)
    app.router.add_get("/sms", sms_page)
    app.router.add_get("/healthz", healthz)
    return app


def _id(request: web.Request) -> int:
    raw = request.match_info["id"]
    if len(raw) > 18:  # beyond SQLite's 64-bit integers (and Python's int() digit limit)
        raise web.HTTPNotFound(text="Introuvable.")
    return int(raw)


async def leads_page(request: web.Request) -> web.Response:
    ctx = request.app[CONTEXT]
    wanted = LeadFilter.parse(request.query.get("status"), request.query.get("urgent"))
    body = lead_list(ctx.data.lead_list(wanted), wanted, ctx.zone)
    return ctx.html("Demandes", "/", body)


async def lead_page(request: web.Request) -> web.Response:
    ctx = request.app[CONTEXT]
    try:
        stored = ctx.data.leads.get(_id(request))
    except LeadNotFound:
        raise web.HTTPNotFound(text="Demande introuvable.") from None
    token = ctx.guard.csrf_token()
    recording = ctx.recording_url(stored.lead.call_id)
    body = lead_detail(
        stored,
        ctx.zone,
        token,
        recording,
        request.query.get("ok") == "1",
        lambda index: ctx.clip_url(stored, index),
    )
    return ctx.html(stored.lead.name or f"Demande {stored.id}", "/", body)


async def lead_status(request: web.Request) -> web.Response:
    """POST-redirect-GET: change the status, then send the browser back to the lead."""
    ctx = request.app[CONTEXT]
    form = await request.post()
    token = form.get("csrf")
    ctx.guard.check_form(request, token if isinstance(token, str) else None)
    lead_id = _id(request)
    status = next((s for s in STATUSES if s == form.get("status")), None)
    if status is None:
        raise web.HTTPBadRequest(text="Statut inconnu.")
    try:
        ctx.data.leads.set_status(lead_id, status)
    except LeadNotFound:
        raise web.HTTPNotFound(text="Demande introuvable.") from None
    raise web.HTTPSeeOther(f"/leads/{lead_id}?ok=1")


async def calls_page(request: web.Request) -> web.Response:
    ctx = request.app[CONTEXT]
    return ctx.html("Appels", "/calls", call_list(ctx.data.calls(), ctx.zone, ctx.recording_url))


async def call_page(request: web.Request) -> web.Response:
    ctx = request.app[CONTEXT]
    row = ctx.data.call(_id(request))
    if row is None:
        raise web.HTTPNotFound(text="Appel introuvable.")
    body = call_detail(row, ctx.zone, ctx.recording_url(row.call.id))
    return ctx.html(f"Appel {row.call.id}", "/calls", body)


async def recording(request: web.Request) -> web.FileResponse:
    ctx = request.app[CONTEXT]
    call_id = _id(request)
    path = safe_recording(ctx.data.recording_path(call_id), ctx.recordings_dir, ctx.base_dir)
    if path is None:
        raise web.HTTPNotFound(text="Enregistrement introuvable.")
    return web.FileResponse(path, headers={"Content-Type": "audio/wav"})


async def clip(request: web.Request) -> web.FileResponse:
    """The caller's own words for one field of a lead (same checks as a recording)."""
    ctx = request.app[CONTEXT]
    try:
        stored = ctx.data.leads.get(_id(request))
    except LeadNotFound:
        raise web.HTTPNotFound(text="Extrait introuvable.") from None
    path = ctx.clip_file(stored, int(request.match_info["index"]))
    if path is None:
        raise web.HTTPNotFound(text="Extrait introuvable.")
    return web.FileResponse(path, headers={"Content-Type": "audio/wav"})


async def sms_page(request: web.Request) -> web.Response:
    ctx = request.app[CONTEXT]
    return ctx.html("SMS", "/sms", sms_list(ctx.data.sms(), ctx.zone))


async def healthz(request: web.Request) -> web.Response:
    try:
        counts = request.app[CONTEXT].data.counts()
    except sqlite3.Error as exc:
        return web.json_response({"status": "error", "error": str(exc)}, status=503)
    return web.json_response({"status": "ok", "calls": counts.calls, "leads": counts.leads})
