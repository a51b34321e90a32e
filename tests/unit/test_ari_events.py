"""EventStream against a local aiohttp websocket server, and the reconnect Backoff."""

from __future__ import annotations

import asyncio
import base64
import json
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from agent.ari.errors import AriAuthError
from agent.ari.events import Backoff, EventStream
from agent.ari.models import Event, StasisEnd, StasisStart
from agent.config import AriConfig

FAST = Backoff(initial_s=0.01, factor=2.0, cap_s=0.02, healthy_after_s=10.0)


def stasis(kind: str, channel_id: str) -> str:
    return json.dumps(
        {
            "type": kind,
            "application": "decroche",
            "channel": {"id": channel_id, "name": f"PJSIP/t-{channel_id}", "state": "Up"},
        }
    )


@dataclass
class FakeEvents:
    """Each websocket connection gets the next script: messages sent, then the socket closes."""

    scripts: list[list[str]]
    requests: list[web.Request] = field(default_factory=list)
    status: int | None = None
    hold_open: asyncio.Event = field(default_factory=asyncio.Event)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.requests.append(request)
        if self.status is not None:
            return web.Response(status=self.status, text="Unauthorized")
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        index = len(self.requests) - 1
        script = self.scripts[index] if index < len(self.scripts) else None
        if script is None:
            await self.hold_open.wait()  # last connection stays up until the test ends
        else:
            for message in script:
                await ws.send_str(message)
        await ws.close()
        return ws


@pytest.fixture
async def serve() -> AsyncIterator[Callable[[FakeEvents], Awaitable[AriConfig]]]:
    servers: list[TestServer] = []
    fakes: list[FakeEvents] = []

    async def start(fake: FakeEvents) -> AriConfig:
        app = web.Application()
        app.router.add_get("/ari/events", fake.handle)
        server = TestServer(app, host="127.0.0.1")
        await server.start_server()
        servers.append(server)
        fakes.append(fake)
        return AriConfig(url=f"http://127.0.0.1:{server.port}", username="u", password="pw")

    yield start
    for fake in fakes:
        fake.hold_open.set()
    for server in servers:
        await server.close()


async def wait_until(condition: Callable[[], bool], timeout_s: float = 3.0) -> None:
    async with asyncio.timeout(timeout_s):
        while not condition():
            await asyncio.sleep(0.005)


async def stop(task: asyncio.Task[None]) -> None:
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


async def test_events_arrive_in_order_and_reconnect_after_close(
    serve: Callable[[FakeEvents], Awaitable[AriConfig]],
) -> None:
    fake = FakeEvents(
        scripts=[
            [stasis("StasisStart", "a"), "not json", "[1, 2]", stasis("StasisEnd", "a")],
            [stasis("StasisStart", "b")],
        ]
    )
    config = await serve(fake)
    events: list[Event] = []
    connected_at: list[int] = []

    async def on_event(event: Event) -> None:
        events.append(event)

    async def on_connected() -> None:
        connected_at.append(len(events))

    stream = EventStream(config, on_event, on_connected, FAST)
    task = asyncio.create_task(stream.run())
    try:
        await wait_until(lambda: stream.connections == 3 and stream.connected.is_set())
        assert [(type(e), e.channel_id) for e in events] == [
            (StasisStart, "a"),
            (StasisEnd, "a"),
            (StasisStart, "b"),
        ]
        # on_connected runs on every (re)connect, before that connection's events.
        assert connected_at == [0, 2, 3]
        assert not task.done()
    finally:
        await stop(task)
    assert not stream.connected.is_set()


async def test_connect_sends_app_and_basic_auth(
    serve: Callable[[FakeEvents], Awaitable[AriConfig]],
) -> None:
    fake = FakeEvents(scripts=[])
    config = await serve(fake)

    async def ignore(_: Event) -> None:
        return None

    async def nothing() -> None:
        return None

    stream = EventStream(config, ignore, nothing, FAST)
    task = asyncio.create_task(stream.run())
    try:
        await asyncio.wait_for(stream.connected.wait(), 3)
        assert stream.connections == 1
        [request] = fake.requests
        assert request.query["app"] == "decroche"
        assert request.query["subscribeAll"] == "false"
        expected = "Basic " + base64.b64encode(b"u:pw").decode()
        assert request.headers["Authorization"] == expected
    finally:
        await stop(task)


async def test_connections_counter_goes_from_one_to_two(
    serve: Callable[[FakeEvents], Awaitable[AriConfig]],
) -> None:
    fake = FakeEvents(scripts=[[]])  # first socket closes at once, the second stays open
    config = await serve(fake)
    seen: list[int] = []

    async def ignore(_: Event) -> None:
        return None

    stream = EventStream(config, ignore, lambda: _record(seen, stream), FAST)
    task = asyncio.create_task(stream.run())
    try:
        await wait_until(lambda: stream.connections == 2 and stream.connected.is_set())
        assert seen == [1, 2]
        assert len(fake.requests) == 2
    finally:
        await stop(task)


async def _record(seen: list[int], stream: EventStream) -> None:
    seen.append(stream.connections)


async def test_connection_refused_is_retried_not_raised() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = AriConfig(url=f"http://127.0.0.1:{port}", connect_timeout_s=0.5)

    async def ignore(_: Event) -> None:
        return None

    async def nothing() -> None:
        return None

    stream = EventStream(config, ignore, nothing, FAST)
    task = asyncio.create_task(stream.run())
    await asyncio.sleep(0.1)
    assert not task.done(), "connection refused must be retried, not raised"
    assert stream.connections == 0
    await stop(task)


async def test_401_on_handshake_raises_auth_error(
    serve: Callable[[FakeEvents], Awaitable[AriConfig]],
) -> None:
    fake = FakeEvents(scripts=[], status=401)
    config = await serve(fake)

    async def ignore(_: Event) -> None:
        return None

    async def nothing() -> None:
        return None

    stream = EventStream(config, ignore, nothing, FAST)
    with pytest.raises(AriAuthError) as excinfo:
        await asyncio.wait_for(stream.run(), 3)
    assert excinfo.value.status == 401
    assert len(fake.requests) == 1, "a wrong password is fatal, not retried"
    assert stream.connections == 0


async def test_other_handshake_errors_are_retried(
    serve: Callable[[FakeEvents], Awaitable[AriConfig]],
) -> None:
    fake = FakeEvents(scripts=[], status=503)
    config = await serve(fake)

    async def ignore(_: Event) -> None:
        return None

    async def nothing() -> None:
        return None

    stream = EventStream(config, ignore, nothing, FAST)
    task = asyncio.create_task(stream.run())
    try:
        await wait_until(lambda: len(fake.requests) >= 3)
        assert not task.done()
    finally:
        await stop(task)


def test_backoff_grows_caps_and_resets() -> None:
    next_delay = Backoff(initial_s=0.25, factor=2.0, cap_s=5.0).delays()
    assert [next_delay(False) for _ in range(8)] == [0.25, 0.5, 1.0, 2.0, 4.0, 5.0, 5.0, 5.0]
    assert next_delay(True) == 0.25
    assert next_delay(False) == 0.5


def test_backoff_sequences_are_independent() -> None:
    backoff = Backoff()
    first, second = backoff.delays(), backoff.delays()
    first(False)
    first(False)
    assert second(False) == backoff.initial_s
    assert first(False) == backoff.initial_s * backoff.factor**2
