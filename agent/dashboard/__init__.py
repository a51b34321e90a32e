"""The artisan's web dashboard: leads, calls, transcripts, recordings and the SMS outbox.

Server-rendered HTML (aiohttp.web, no JavaScript, no external resources), HTTP basic auth.
`decroche dashboard` runs it on its own (agent.dashboard.cli); `build_app` embeds it.
"""

from __future__ import annotations

from agent.dashboard.app import build_app, settings_of
from agent.dashboard.settings import DashboardConfigError, DashboardSettings

__all__ = ["DashboardConfigError", "DashboardSettings", "build_app", "settings_of"]
