"""A local aiohttp server playing OVH and Twilio: checks request shape, can fail on demand."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

OVH = {"application_key": "AK", "application_secret": "AS", "consumer_key": "CK"}
TWILIO = {"account_sid": "AC123", "auth_token": "tok"}


@dataclass
class FakeProviders:
    """Each request consumes one entry of `plan` ("ok", "500", "400", "429", "slow",
    "invalid"); an empty plan means "ok". Accepted messages land in `accepted`."""

    plan: list[str] = field(default_factory=list)
    accepted: list[dict[str, Any]] = field(default_factory=list)
    requests: int = 0
    problems: list[str] = field(default_factory=list)
    server: TestServer | None = None

    @property
    def base_url(self) -> str:
        assert self.server is not None
        return str(self.server.make_url("")).rstrip("/")

    async def _behave(self) -> tuple[str, web.Response | None]:
        self.requests += 1
        step = self.plan.pop(0) if self.plan else "ok"
        if step == "slow":
            await asyncio.sleep(0.3)
        if step.isdigit():
            return step, web.json_response({"message": f"planned {step}"}, status=int(step))
        return step, None

    async def ovh(self, request: web.Request) -> web.Response:
        body = await request.text()
        h = request.headers
        url = str(request.url)
        raw = "+".join((OVH["application_secret"], OVH["consumer_key"], "POST", url, body,
                        h.get("X-Ovh-Timestamp", "")))  # fmt: skip
        expected = "$1$" + hashlib.sha1(raw.encode()).hexdigest()
        if h.get("X-Ovh-Application") != "AK" or h.get("X-Ovh-Consumer") != "CK":
            self.problems.append("ovh: missing application/consumer headers")
        if h.get("X-Ovh-Signature") != expected:
            self.problems.append(f"ovh: bad signature {h.get('X-Ovh-Signature')}")
        if request.match_info["service"] != "sms-ab12345-1":
            self.problems.append("ovh: wrong service name")
        step, failure = await self._behave()
        if failure is not None:
            return failure
        payload = json.loads(body)
        if step == "invalid":
            return web.json_response({"ids": [], "invalidReceivers": payload["receivers"],
                                      "validReceivers": []})  # fmt: skip
        self.accepted.append(payload)
        return web.json_response(
            {"ids": [1000 + len(self.accepted)], "invalidReceivers": [],
             "validReceivers": payload["receivers"], "totalCreditsRemoved": 1}
        )  # fmt: skip

    async def twilio(self, request: web.Request) -> web.Response:
        auth = request.headers.get("Authorization", "")
        expected = "Basic " + base64.b64encode(b"AC123:tok").decode()
        if auth != expected:
            self.problems.append(f"twilio: bad auth {auth!r}")
        if request.content_type != "application/x-www-form-urlencoded":
            self.problems.append(f"twilio: content type {request.content_type}")
        form = dict(await request.post())
        _, failure = await self._behave()
        if failure is not None:
            return failure
        self.accepted.append(form)
        return web.json_response({"sid": f"SM{len(self.accepted):04d}", "status": "queued"},
                                 status=201)  # fmt: skip


@pytest.fixture
async def providers() -> AsyncIterator[FakeProviders]:
    fake = FakeProviders()
    app = web.Application()
    app.router.add_post("/1.0/sms/{service}/jobs", fake.ovh)
    app.router.add_post("/2010-04-01/Accounts/AC123/Messages.json", fake.twilio)
    fake.server = TestServer(app)
    await fake.server.start_server()
    yield fake
    await fake.server.close()
