"""Jinja2 set-up for the dashboard (aiohttp-jinja2): autoescaping on, filters in French.

Escaping is the default for every `{{ value }}`, so a new page cannot forget it. Every printed
string also loses its bidirectional controls (`finalize`): a caller's name holding U+202E can
neither flip the page title nor the text beside it; names are further shown in <bdi>.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

import aiohttp_jinja2
import jinja2
from aiohttp import web
from markupsafe import Markup

from agent.dashboard import render
from nlp.phone_numbers import as_e164

__all__ = ["setup_templates"]


def _finalize(value: object) -> object:
    if isinstance(value, str) and not isinstance(value, Markup):
        return render.strip_bidi(value)
    return "" if value is None else value


def setup_templates(
    app: web.Application, zone: ZoneInfo, business: str, now: Callable[[], datetime], logout: bool
) -> jinja2.Environment:
    """Templates from agent/dashboard/templates; `logout` shows the button (a login exists)."""
    env = aiohttp_jinja2.setup(
        app,
        loader=jinja2.PackageLoader("agent.dashboard", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        default_helpers=False,
    )
    env.filters.update(
        local=lambda stamp: render.local_time(stamp, zone),
        ago=lambda stamp: render.relative_time(stamp, zone, now()),
        duration=render.duration,
        tel=render.tel_target,
        french_number=render.french_number,
        map_url=render.map_url,
        nobidi=render.strip_bidi,
        e164=as_e164,
    )
    env.globals.update(
        business=business,
        logout=logout,
        STATUS_LABELS=render.STATUS_LABELS,
        LEAD_OUTCOMES=render.LEAD_OUTCOMES,
        CALL_OUTCOMES=render.CALL_OUTCOMES,
        SPEAKERS=render.SPEAKERS,
        SMS_STATUSES=render.SMS_STATUSES,
        SMS_KINDS=render.SMS_KINDS,
        visit_label=render.visit_label,
        turn_when=render.turn_when,
        turn_sure=render.turn_sure,
        FIELD_LABELS={"name": "nom", "address": "adresse", "phone": "numéro"},
    )
    return env
