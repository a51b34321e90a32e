"""Issue 14's probes: DNS rebinding, password guessing, proxies, headers on every answer."""

from __future__ import annotations

import dataclasses
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from aiohttp.web import Application, Request

from agent.config import load_config
from agent.dashboard import DashboardSettings
from agent.dashboard.app import build_app
from agent.dashboard.throttle import LoginThrottle, client_key
from agent.leads.store import SqliteLeadStore
from agent.store.calls import CallStore
from agent.store.db import connect
from tests.dashboard.conftest import PASSWORD, SETTINGS, basic
from tests.dashboard.sample import write_wav

PUBLIC = "https://artisan.example.fr"
ROOT = Path(__file__).resolve().parents[2]


@asynccontextmanager
async def serve(
    config, conn, settings: DashboardSettings
) -> AsyncIterator[TestClient[Request, Application]]:
    async with TestClient(TestServer(build_app(config, conn, settings))) as client:
        yield client


def _hardened(response) -> None:
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "aiohttp" not in response.headers.get("Server", "").lower()


async def test_a_rebinding_host_gets_a_4xx_even_without_a_password(config, conn, sample):
    async with serve(config, conn, DashboardSettings()) as client:  # loopback, no login
        for host in ("evil.example", "evil.example:8080", "127.0.0.1.evil.example", "[::2]"):
            response = await client.get("/", headers={"Host": host})
            assert response.status == 421, host
            assert "Marie Dupont" not in await response.text()
            _hardened(response)
        recording = await client.get("/recordings/1.wav", headers={"Host": "evil.example"})
        assert recording.status == 421
        for host in (f"127.0.0.1:{client.port}", f"localhost:{client.port}", "LOCALHOST."):
            assert (await client.get("/", headers={"Host": host})).status == 200, host


async def test_allowed_hosts_and_public_url_extend_the_list(config, conn, sample):
    settings = dataclasses.replace(
        SETTINGS, allowed_hosts=("box.lan", "192.168.1.20"), public_url=PUBLIC
    )
    async with serve(config, conn, settings) as client:
        for host in ("box.lan:8080", "192.168.1.20:8080", "artisan.example.fr"):
            assert (await client.get("/", headers={**basic(), "Host": host})).status == 200
        assert (await client.get("/", headers={**basic(), "Host": "evil.example"})).status == 421


async def test_the_eleventh_wrong_password_in_a_minute_gets_429(client):
    for attempt in range(10):
        response = await client.get("/", headers=basic(password=f"guess-{attempt}"))
        assert response.status == 401, attempt
    blocked = await client.get("/", headers=basic(password="guess-10"))
    assert blocked.status == 429
    assert 1 <= int(blocked.headers["Retry-After"]) <= 60
    _hardened(blocked)
    # Blocked means blocked: the right password would otherwise confirm a guess.
    assert (await client.get("/", headers=basic())).status == 429
    assert (await client.get("/healthz")).status == 200  # probes carry no password


async def test_forwarded_for_is_ignored_without_trusted_proxies(client):
    """A guesser cannot pose as a new client per try with X-Forwarded-For."""
    for attempt in range(10):
        headers = {**basic(password="wrong"), "X-Forwarded-For": f"203.0.113.{attempt}"}
        assert (await client.get("/", headers=headers)).status == 401
    assert (await client.get("/", headers=basic(password="wrong"))).status == 429


def test_throttle_window_slides_and_counts_per_client():
    now = [1000.0]
    throttle = LoginThrottle(clock=lambda: now[0])
    for _ in range(10):
        throttle.failed("198.51.100.7")
        now[0] += 1
    assert throttle.retry_after_s("198.51.100.7") == 50  # now 1010; the first ages out at 1060
    assert throttle.retry_after_s("198.51.100.8") is None
    now[0] = 1060.0
    assert throttle.retry_after_s("198.51.100.7") is None
    # One IPv6 subscriber holds a /64: its addresses share one count.
    assert client_key("2001:db8:1:2::5") == client_key("2001:db8:1:2:ffff::9")
    assert client_key("::ffff:192.0.2.1") == "192.0.2.1"


async def test_a_short_password_is_refused_with_the_key_named(config, conn):
    with pytest.raises(ValueError, match=r"dashboard\.password: 5 characters; use at least 12"):
        build_app(config, conn, DashboardSettings(password="court"))
    assert len(PASSWORD) >= 12


async def test_every_error_answer_carries_the_security_headers(client):
    answers = [
        await client.get("/"),  # 401
        await client.get("/nowhere", headers=basic()),  # 404
        await client.get("/leads/999", headers=basic()),  # 404 from a handler
        await client.put("/", headers=basic()),  # 405
        await client.post("/leads/1/status", headers={**basic(), "Origin": "http://evil.example"}),
    ]
    assert [a.status for a in answers] == [401, 404, 404, 405, 403]
    for answer in answers:
        _hardened(answer)
    assert answers[0].headers["Server"] == "decroche"


async def _token(client, path: str, headers: dict[str, str]) -> str:
    html = await (await client.get(path, headers=headers)).text()
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', html)
    assert found
    return found.group(1)


def _proxied(host: str) -> dict[str, str]:
    """What a TLS proxy that rewrites Host sends on for a browser at https://artisan...fr."""
    return {**basic(), "Host": host, "X-Forwarded-Host": "artisan.example.fr",
            "X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9",
            "Origin": PUBLIC}  # fmt: skip


async def test_behind_a_trusted_proxy_the_origin_check_passes(config, conn, sample):
    lead_id = sample.lead_ids[1]
    trusting = dataclasses.replace(SETTINGS, public_url=PUBLIC, trusted_proxies=("127.0.0.1",))
    async with serve(config, conn, trusting) as client:
        headers = _proxied(f"127.0.0.1:{client.port}")
        token = await _token(client, f"/leads/{lead_id}", headers)
        form = {"status": "won", "csrf": token}
        response = await client.post(
            f"/leads/{lead_id}/status", data=form, headers=headers, allow_redirects=False
        )
        assert response.status == 303
    assert SqliteLeadStore(conn).get(lead_id).status == "won"
    # The same request without the option: the forwarded host is not believed.
    async with serve(config, conn, dataclasses.replace(SETTINGS, public_url=PUBLIC)) as client:
        headers = _proxied(f"127.0.0.1:{client.port}")
        token = await _token(client, f"/leads/{lead_id}", headers)
        form = {"status": "lost", "csrf": token}
        response = await client.post(f"/leads/{lead_id}/status", data=form, headers=headers)
        assert response.status == 403
    assert SqliteLeadStore(conn).get(lead_id).status == "won"


async def test_a_trusted_proxy_cannot_smuggle_a_foreign_host(config, conn, sample):
    trusting = dataclasses.replace(SETTINGS, trusted_proxies=("127.0.0.0/8",))
    async with serve(config, conn, trusting) as client:
        headers = {**basic(), "X-Forwarded-Host": "evil.example"}
        assert (await client.get("/", headers=headers)).status == 421


async def test_logout_needs_the_form_token_then_forgets_the_login(client, sample):
    token = await _token(client, f"/leads/{sample.lead_ids[0]}", basic())
    refused = await client.post("/logout", data={}, headers=basic())
    assert refused.status == 403
    origin = f"http://{client.host}:{client.port}"
    response = await client.post("/logout", data={"csrf": token},
                                 headers={**basic(), "Origin": origin})  # fmt: skip
    assert response.status == 401
    assert response.headers["WWW-Authenticate"].startswith('Basic realm="decroche"')
    assert "Vous êtes déconnecté" in await response.text()
    _hardened(response)
    assert (await client.post("/logout", data={"csrf": token})).status == 401  # needs login


async def test_relative_recording_paths_are_read_from_the_config_folder(tmp_path, monkeypatch):
    etc = tmp_path / "etc"
    etc.mkdir()
    (etc / "decroche.toml").write_text('[store]\ndata_dir = "var"\n', encoding="utf-8")
    config = load_config(etc / "decroche.toml")
    assert config.call.recordings_dir == etc / "var" / "recordings"
    relative = Path("var/recordings/call-000001-chan-rel.wav")
    write_wav(etc / relative)
    elsewhere = tmp_path / "cwd"
    write_wav(elsewhere / relative, frames=10)  # what the working directory would give
    monkeypatch.chdir(elsewhere)
    conn = connect(config.database)
    try:
        call_id = CallStore(conn).create("chan-rel", "+33612345678")
        CallStore(conn).set_recording("chan-rel", str(relative))
        async with serve(config, conn, SETTINGS) as client:
            response = await client.get(f"/recordings/{call_id}.wav", headers=basic())
            assert response.status == 200
            assert await response.read() == (etc / relative).read_bytes()
    finally:
        conn.close()


def _free_port6() -> int:
    with socket.socket(socket.AF_INET6) as sock:
        sock.bind(("::1", 0))
        return int(sock.getsockname()[1])


def test_an_ipv6_loopback_bind_starts_and_asks_no_password(tmp_path):
    config = tmp_path / "decroche.toml"
    business = '[business]\nname = "X"\ntrade = "plombier"\nmobile = "+33612345678"\n'
    config.write_text(business + '[store]\ndata_dir = "var"\n', encoding="utf-8")
    port = _free_port6()
    code = "import sys; from agent.dashboard.cli import main; sys.exit(main(sys.argv[1:]))"
    process = subprocess.Popen(
        [sys.executable, "-c", code, "--config", str(config), "--bind", "[::1]", "--port",
         str(port)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"http://[::1]:{port}/", timeout=2) as response:
                    assert response.status == 200
                    break
            except OSError:
                assert process.poll() is None, process.stdout.read() if process.stdout else ""
                assert time.monotonic() < deadline
                time.sleep(0.1)
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=10)
    assert f"dashboard on http://[::1]:{port}/ (no login".encode() in output
    assert (tmp_path / "var" / "decroche.sqlite3").exists()  # from the config's folder
