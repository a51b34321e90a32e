"""The artisan's web dashboard: leads, calls, transcripts, recordings and the SMS outbox.

Server-rendered HTML from Jinja2 templates (aiohttp-jinja2, autoescaped; templates/), one
small script of our own for the day view's refresh (static/live.js), no external resources,
HTTP basic auth.
`decroche dashboard` runs it on its own (agent.dashboard.cli); `agent.dashboard.app.build_app`
embeds it. The package itself imports no aiohttp: agent.config reads `[dashboard]` with it.
"""

from __future__ import annotations

from agent.dashboard.settings import DashboardConfigError, DashboardSettings

__all__ = ["DashboardConfigError", "DashboardSettings"]
