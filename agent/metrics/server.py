"""Serves /metrics (Prometheus text format) and /health (JSON) over aiohttp.

/health answers 200 when the agent can take a call (its event loop answers this request,
ARI's event stream is connected, storage takes writes), 503 otherwise, with each part named:
the container HEALTHCHECK and a monitoring probe read the same thing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from agent.metrics.registry import CallMetrics
from agent.metrics.settings import MetricsSettings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Health:
    alive: bool
    ari_connected: bool
    storage_ok: bool

    @property
    def ok(self) -> bool:
        return self.alive and self.ari_connected and self.storage_ok


@dataclass(frozen=True)
class HealthProbe:
    ari_connected: Callable[[], bool]
    storage_ok: Callable[[], bool]

    def __call__(self) -> Health:
        return Health(True, self.ari_connected(), self.storage_ok())


def build_app(metrics: CallMetrics, probe: HealthProbe) -> web.Application:
    async def scrape(_request: web.Request) -> web.Response:
        body = generate_latest(metrics.registry)
        # CONTENT_TYPE_LATEST carries its charset; aiohttp wants it in the header as is.
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    async def health(_request: web.Request) -> web.Response:
        state = probe()
        return web.json_response({**asdict(state), "ok": state.ok}, status=200 if state.ok else 503)

    app = web.Application()
    app.router.add_get("/metrics", scrape)
    app.router.add_get("/health", health)
    return app


class MetricsServer:
    """Started with the agent; a port already taken is logged, never fatal: the callers
    matter more than the numbers."""

    def __init__(self, settings: MetricsSettings, metrics: CallMetrics, probe: HealthProbe):
        self.settings = settings
        self._runner = web.AppRunner(build_app(metrics, probe), access_log=None)
        self.port: int | None = None

    async def start(self) -> bool:
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.settings.bind, self.settings.port)
        try:
            await site.start()
        except OSError as exc:
            log.error(
                "metrics: cannot listen on %s:%d (%s); the agent runs without /metrics",
                self.settings.bind, self.settings.port, exc.strerror or exc,
            )  # fmt: skip
            return False
        # The bound address tells the port when 0 asked for any free one.
        self.port = int(self._runner.addresses[0][1])
        log.info("metrics on http://%s:%d/metrics, health on /health", self.settings.bind,
                 self.port)  # fmt: skip
        return True

    async def stop(self) -> None:
        await self._runner.cleanup()
