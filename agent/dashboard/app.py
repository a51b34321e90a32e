"""The aiohttp application: routes, handlers, and `build_app(config, conn)`.

    app = build_app(config, connect(config.database))   # settings from config [dashboard]
    web.run_app(app, host=settings.bind, port=settings.port)

Give the dashboard its own SQLite connection when it runs inside the agent process.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

import aiohttp_jinja2
from aiohttp import web

from agent.dashboard.data import DashboardData, LeadFilter
from agent.dashboard.errors import error_pages
from agent.dashboard.privacy_route import PRIVACY_OUTCOMES, install_privacy
from agent.dashboard.recordings import safe_recording
from agent.dashboard.search import ListFilter
from agent.dashboard.security import Guard
from agent.dashboard.settings import DashboardSettings
from agent.dashboard.templating import setup_templates
from agent.leads.model import STATUSES, StoredLead
from agent.leads.store import LeadNotFound, clip_url

if TYPE_CHECKING:  # agent.config reads [dashboard] with this package's settings
    from agent.config import Config

__all__ = ["build_app"]

# The day view's live refresh is one script of our own (static/live.js), fetching /live.
_LIVE_CSP = (
    "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline';"
    " media-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none';"
    " base-uri 'none'"
)
_LIVE_JS = resources.files("agent.dashboard").joinpath("static", "live.js")


@dataclass(frozen=True)
class _Context:
    data: DashboardData
    guard: Guard
    zone: ZoneInfo
    business: str
    recordings_dir: Path | None
    base_dir: Path  # relative recording paths are the config file's folder's
    now: Callable[[], datetime]

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

    def clips(self, stored: StoredLead) -> list[tuple[str, str]]:
        """(field, URL) of each clip of the lead whose file can be served."""
        urls = ((field, self.clip_url(stored, i)) for i, (field, _) in enumerate(stored.lead.clips))
        return [(field, url) for field, url in urls if url is not None]

    def page(
        self, request: web.Request, template: str, title: str, active: str, **values: Any
    ) -> web.Response:
        context: dict[str, Any] = {"title": title, "active": active, **values}
        context["csrf"] = self.guard.csrf_token()
        return aiohttp_jinja2.render_template(template, request, context)

    def error(self, request: web.Request, status: int, title: str, message: str) -> web.Response:
        active = "/calls" if request.path.startswith("/calls") else "/"
        response = self.page(request, "error.html", title, active, message=message)
        response.set_status(status)
        return response


CONTEXT = web.AppKey("dashboard", _Context)


def build_app(
    config: Config,
    conn: sqlite3.Connection,
    settings: DashboardSettings | None = None,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> web.Application:
    """The dashboard for `config`, reading and updating the database behind `conn`."""
    settings = settings or config.dashboard
    settings.check()
    guard = Guard(settings)
    ctx = _Context(
        data=DashboardData(conn),
        guard=guard,
        zone=ZoneInfo(config.business.timezone),
        business=config.business.name,
        recordings_dir=config.call.recordings_dir,
        base_dir=config.base_dir,
        now=now,
    )
    app = web.Application(
        middlewares=[guard.middleware, error_pages(ctx.error)], client_max_size=64 * 1024
    )
    app[CONTEXT] = ctx
    setup_templates(app, ctx.zone, ctx.business, now, logout=settings.auth_required)
    guard.install(app)  # security headers on every answer, POST /logout
    install_privacy(app, guard, conn, config)  # POST /privacy/delete
    app.router.add_get("/", leads_page)
    app.router.add_get("/live", leads_page)
    app.router.add_get("/static/live.js", live_js)
    app.router.add_get("/leads/{id:\\d+}", lead_page)
    app.router.add_post("/leads/{id:\\d+}/status", lead_status)
    app.router.add_get("/calls", calls_page)
    app.router.add_get("/calls/{id:\\d+}", call_page)
    app.router.add_get("/recordings/{id:\\d+}.wav", recording)
    app.router.add_get("/leads/{id:\\d+}/clips/{index:\\d{1,3}}.wav", clip)
    app.router.add_get("/sms", sms_page)
    app.router.add_get("/deliveries", deliveries_page)
    app.router.add_get("/healthz", healthz)
    return app


def _id(request: web.Request) -> int:
    raw = request.match_info["id"]
    if len(raw) > 18:  # beyond SQLite's 64-bit integers (and Python's int() digit limit)
        raise web.HTTPNotFound(text="Introuvable.")
    return int(raw)


async def leads_page(request: web.Request) -> web.Response:
    """The day view (figures, then new and urgent leads first); /live is its refreshed part."""
    ctx = request.app[CONTEXT]
    q = request.query
    wanted = LeadFilter.parse(q.get("status"), q.get("urgent"), q.get("q"), q.get("page"))
    page = ctx.data.lead_page(wanted)
    values = {
        "wanted": wanted,
        "page": page,
        "clips": {stored.id: ctx.clips(stored) for stored in page.leads},
        "figures": ctx.data.figures(ctx.zone, ctx.now()) if wanted.page == 1 else None,
        "outages": ctx.data.outages(),
        "back": f"/?{wanted.query()}".rstrip("?"),
        "flash": q.get("ok") == "1",
        "privacy": PRIVACY_OUTCOMES.get(q.get("privacy", "")),
    }
    if request.path == "/live":
        return aiohttp_jinja2.render_template("_live.html", request, values | _csrf(ctx))
    response = ctx.page(request, "leads.html", "Demandes", "/", **values)
    response.headers["Content-Security-Policy"] = _LIVE_CSP
    return response


def _csrf(ctx: _Context) -> dict[str, str]:
    return {"csrf": ctx.guard.csrf_token()}


async def live_js(request: web.Request) -> web.Response:
    del request
    return web.Response(text=_LIVE_JS.read_text("utf-8"), content_type="text/javascript")


async def lead_page(request: web.Request) -> web.Response:
    ctx = request.app[CONTEXT]
    try:
        stored = ctx.data.leads.get(_id(request))
    except LeadNotFound:
        raise web.HTTPNotFound(text="Demande introuvable.") from None
    clips: dict[str, list[str]] = {}
    for field, url in ctx.clips(stored):
        clips.setdefault(field, []).append(url)
    return ctx.page(
        request,
        "lead.html",
        stored.lead.name or f"Demande {stored.id}",
        "/",
        stored=stored,
        lead=stored.lead,
        recording=ctx.recording_url(stored.lead.call_id),
        flash=request.query.get("ok") == "1",
        clips=clips,
        turns=[{"speaker": t.speaker, "text": t.text} for t in stored.lead.transcript],
    )


def _back(raw: object, lead_id: int) -> str:
    """Where to go after a status change: the day view with the same criteria (rebuilt from
    the query alone, so a forged `next` cannot redirect anywhere else), or the lead's page."""
    if not isinstance(raw, str) or (not raw.startswith("/?") and raw != "/"):
        return f"/leads/{lead_id}?ok=1"
    q: Mapping[str, str] = dict(parse_qsl(urlsplit(raw).query))
    wanted = LeadFilter.parse(q.get("status"), q.get("urgent"), q.get("q"), q.get("page"))
    query = wanted.query()
    return f"/?{query}{'&' if query else ''}ok=1#lead-{lead_id}"


async def lead_status(request: web.Request) -> web.Response:
    """POST-redirect-GET: change the status, then send the browser back where it was."""
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
    raise web.HTTPSeeOther(_back(form.get("next"), lead_id))


def _wanted(request: web.Request) -> ListFilter:
    return ListFilter.parse(request.query.get("q"), request.query.get("page"))


async def calls_page(request: web.Request) -> web.Response:
    ctx = request.app[CONTEXT]
    wanted = _wanted(request)
    page = ctx.data.calls(wanted)
    recordings = {r.call.id: ctx.recording_url(r.call.id) for r in page.rows}
    return ctx.page(request, "calls.html", "Appels", "/calls", page=page, wanted=wanted,
                    recordings=recordings)  # fmt: skip


async def call_page(request: web.Request) -> web.Response:
    ctx = request.app[CONTEXT]
    row = ctx.data.call(_id(request))
    if row is None:
        raise web.HTTPNotFound(text="Appel introuvable.")
    recording = ctx.recording_url(row.call.id)
    return ctx.page(
        request, "call.html", f"Appel {row.call.id}", "/calls", row=row, recording=recording
    )


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
    wanted = _wanted(request)
    return ctx.page(request, "sms.html", "SMS", "/sms", page=ctx.data.sms(wanted), wanted=wanted)


async def deliveries_page(request: web.Request) -> web.Response:
    """Webhook notifications and SMS given up or waiting after a failure, with the error."""
    ctx = request.app[CONTEXT]
    rows = ctx.data.failed_deliveries()
    return ctx.page(request, "deliveries.html", "Envois en échec", "/sms", rows=rows)


async def healthz(request: web.Request) -> web.Response:
    try:
        counts = request.app[CONTEXT].data.counts()
    except sqlite3.Error as exc:
        return web.json_response({"status": "error", "error": str(exc)}, status=503)
    return web.json_response({"status": "ok", "calls": counts.calls, "leads": counts.leads})
