"""AriClient against a tiny local aiohttp server: paths, auth, and typed errors."""

from __future__ import annotations

import asyncio
import base64
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from agent.ari.client import AriClient, _error_for
from agent.ari.errors import (
    AriAuthError,
    AriConflict,
    AriError,
    AriNotFound,
    AriTimeout,
    AriUnavailable,
)
from agent.config import AriConfig


def test_a_bad_request_that_is_not_a_missing_channel_stays_an_ari_error() -> None:
    error = _error_for(400, "POST", "/channels", '{"message": "Invalid format"}')
    assert type(error) is AriError


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (401, AriAuthError),
        (404, AriNotFound),
        (409, AriConflict),
        (412, AriConflict),
        (422, AriConflict),
        (400, AriNotFound),  # Asterisk's "Channel not found" for a channel just gone
        (500, AriError),
        (503, AriError),
    ],
)
def test_error_for_maps_status(status: int, cls: type[AriError]) -> None:
    error = _error_for(status, "POST", "/channels/x/answer", "  Channel not found \n")
    assert type(error) is cls
    assert error.status == status
    assert str(error).startswith(f"POST /channels/x/answer: HTTP {status} ")


def test_error_for_message() -> None:
    assert "Channel not found" in str(_error_for(404, "GET", "/c", " Channel not found "))
    assert "[ari] username and password" in str(_error_for(401, "GET", "/c", ""))
    assert len(str(_error_for(500, "GET", "/c", "x" * 1000))) < 300


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, str]
    authorization: str | None
    body: bytes


@dataclass
class FakeAri:
    seen: list[Seen] = field(default_factory=list)
    responses: dict[tuple[str, str], web.Response] = field(default_factory=dict)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.seen.append(
            Seen(
                request.method,
                request.path,
                dict(request.query),
                request.headers.get("Authorization"),
                await request.read(),
            )
        )
        key = (request.method, request.path)
        if key in self.responses:
            return self.responses[key]
        return web.Response(status=204)


@pytest.fixture
async def fake() -> AsyncIterator[tuple[FakeAri, AriClient]]:
    state = FakeAri()
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", state.handle)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    config = AriConfig(url=f"http://127.0.0.1:{server.port}", username="u", password="p@ss")
    client = AriClient(config)
    yield state, client
    await client.close()
    await server.close()


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


async def test_answer_posts_the_right_path_with_basic_auth(
    fake: tuple[FakeAri, AriClient],
) -> None:
    state, client = fake
    await client.answer("1700000000.42")
    [seen] = state.seen
    assert (seen.method, seen.path) == ("POST", "/ari/channels/1700000000.42/answer")
    assert seen.authorization == basic("u", "p@ss")


async def test_query_parameters_and_json_body(fake: tuple[FakeAri, AriClient]) -> None:
    state, client = fake
    state.responses[("POST", "/ari/channels")] = web.json_response(
        {"id": "out-1", "name": "PJSIP/trunk-1", "state": "Down"}
    )
    channel = await client.originate(
        "PJSIP/+33611223344@trunk", "out-1", "decroche", 20, "transfer", {"X_CALL": "42"}
    )
    assert channel.id == "out-1" and channel.name == "PJSIP/trunk-1"
    seen = state.seen[-1]
    assert seen.query == {
        "endpoint": "PJSIP/+33611223344@trunk",
        "app": "decroche",
        "appArgs": "transfer",
        "channelId": "out-1",
        "callerId": "decroche",
        "timeout": "20",
    }
    assert seen.body == b'{"variables": {"X_CALL": "42"}}'


async def test_hangup_is_a_delete_with_reason(fake: tuple[FakeAri, AriClient]) -> None:
    state, client = fake
    await client.hangup("c1", "busy")
    assert (state.seen[-1].method, state.seen[-1].path) == ("DELETE", "/ari/channels/c1")
    assert state.seen[-1].query == {"reason": "busy"}


async def test_json_results_are_returned(fake: tuple[FakeAri, AriClient]) -> None:
    state, client = fake
    state.responses[("GET", "/ari/asterisk/info")] = web.json_response(
        {"system": {"version": "20.5.0"}}
    )
    state.responses[("GET", "/ari/channels/c1/variable")] = web.json_response({"value": "ok"})
    assert (await client.asterisk_info())["system"]["version"] == "20.5.0"
    assert await client.get_variable("c1", "DIALSTATUS") == "ok"
    assert state.seen[-1].query == {"variable": "DIALSTATUS"}


async def test_404_raises_not_found(fake: tuple[FakeAri, AriClient]) -> None:
    state, client = fake
    state.responses[("POST", "/ari/channels/gone/answer")] = web.json_response(
        {"message": "Channel not found"}, status=404
    )
    with pytest.raises(AriNotFound, match="Channel not found") as excinfo:
        await client.answer("gone")
    assert excinfo.value.status == 404


@pytest.mark.parametrize(("status", "cls"), [(401, AriAuthError), (409, AriConflict)])
async def test_http_errors_raise_typed(
    fake: tuple[FakeAri, AriClient], status: int, cls: type[AriError]
) -> None:
    state, client = fake
    state.responses[("POST", "/ari/channels/c1/ring")] = web.Response(status=status, text="no")
    with pytest.raises(cls):
        await client.ring("c1")


async def test_connection_refused_raises_unavailable() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    # The port is free again and nothing listens on it.
    async with AriClient(AriConfig(url=f"http://127.0.0.1:{port}")) as client:
        with pytest.raises(AriUnavailable, match="Asterisk unreachable") as excinfo:
            await client.answer("c1")
    assert not isinstance(excinfo.value, AriTimeout)


async def test_slow_server_raises_timeout() -> None:
    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(2)
        return web.Response(status=204)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", slow)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    try:
        config = AriConfig(url=f"http://127.0.0.1:{server.port}", request_timeout_s=0.2)
        async with AriClient(config) as client:
            with pytest.raises(AriTimeout):
                await client.answer("c1")
    finally:
        await server.close()


async def test_list_bridges_parses_typed_bridges(fake: tuple[FakeAri, AriClient]) -> None:
    state, client = fake
    bridges = [
        {"id": "1700000000.1-bridge", "technology": "simple_bridge", "bridge_type": "mixing",
         "bridge_class": "stasis", "creator": "Stasis", "name": "", "channels": ["c1", "c2"],
         "creationtime": "2026-11-30T12:00:00.000+0000", "video_mode": "none"},
        {"id": "conf-7", "bridge_type": "mixing", "bridge_class": "base", "channels": []},
    ]  # fmt: skip
    state.responses[("GET", "/ari/bridges")] = web.json_response(bridges)
    ours, other = await client.list_bridges()
    assert (state.seen[-1].method, state.seen[-1].path) == ("GET", "/ari/bridges")
    assert ours.id == "1700000000.1-bridge" and ours.channels == ("c1", "c2")
    assert ours.made_by_ari and ours.bridge_type == "mixing"
    assert other.channels == () and not other.made_by_ari and other.creationtime == ""
