"""A real aiohttp server playing both HTTP peers of the durable queues, the lead webhook and
Twilio, with the handler a test gives; and the Twilio settings that point at it."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping

from aiohttp import web
from aiohttp.test_utils import TestServer

from agent.sms.providers import TwilioSettings

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
TWILIO_SID = "AC123"


@contextlib.asynccontextmanager
async def peer_server(
    handler: Handler, others: Mapping[str, Handler] | None = None
) -> AsyncIterator[str]:
    """Serves `handler` on the webhook's and Twilio's paths, and `others` (path -> handler,
    any method) beside them; gives the base URL."""
    app = web.Application()
    app.router.add_post("/hook", handler)
    app.router.add_post(f"/2010-04-01/Accounts/{TWILIO_SID}/Messages.json", handler)
    for path, other in (others or {}).items():
        app.router.add_route("*", path, other)
    server = TestServer(app)
    await server.start_server()
    try:
        yield str(server.make_url("")).rstrip("/")
    finally:
        await server.close()


def twilio(base: str, timeout_s: float) -> TwilioSettings:
    return TwilioSettings(account_sid=TWILIO_SID, auth_token="tok", from_number="+33700000000",
                          base_url=base, timeout_s=timeout_s)  # fmt: skip
