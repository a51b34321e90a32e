"""A real aiohttp server playing both HTTP peers of the durable queues, the lead webhook and
Twilio, with the handler a test gives; and the Twilio settings that point at it."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable

from aiohttp import web
from aiohttp.test_utils import TestServer

from agent.sms.providers import TwilioSettings

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
TWILIO_SID = "AC123"


@contextlib.asynccontextmanager
async def peer_server(handler: Handler) -> AsyncIterator[str]:
    """Serves `handler` on the webhook's and Twilio's paths; gives the base URL."""
    app = web.Application()
    app.router.add_post("/hook", handler)
    app.router.add_post(f"/2010-04-01/Accounts/{TWILIO_SID}/Messages.json", handler)
    server = TestServer(app)
    await server.start_server()
    try:
        yield str(server.make_url("")).rstrip("/")
    finally:
        await server.close()


def twilio(base: str, timeout_s: float) -> TwilioSettings:
    return TwilioSettings(account_sid=TWILIO_SID, auth_token="tok", from_number="+33700000000",
                          base_url=base, timeout_s=timeout_s)  # fmt: skip
