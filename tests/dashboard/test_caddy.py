"""The documented TLS set-up, for real: Debian's caddy (`tls internal`, high ports) in front of
the dashboard, with the Caddyfile `decroche dashboard caddyfile` writes; a status change made
through it, verified against Caddy's own CA."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import re
import shutil
import socket
import ssl
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web

from agent.dashboard.app import build_app
from agent.dashboard.caddy import proxy_warning, render_caddyfile
from agent.dashboard.cli import main
from agent.leads.store import SqliteLeadStore
from tests.dashboard.conftest import SETTINGS, basic

CADDY = shutil.which("caddy")
pytestmark = pytest.mark.skipif(CADDY is None, reason="caddy not installed (apt install caddy)")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _wait_for(path: Path, process: subprocess.Popen[bytes]) -> None:
    for _ in range(200):
        if path.exists():
            return
        assert process.poll() is None, "caddy stopped"
        await asyncio.sleep(0.05)
    raise AssertionError(f"caddy never wrote {path}")


@pytest.fixture(params=[True, False], ids=["trusted", "untrusted"])
async def behind_caddy(request, config, conn, sample, tmp_path) -> AsyncIterator[tuple[str, Path]]:
    https_port = _free_port()
    public = f"https://localhost:{https_port}"
    proxies = ("127.0.0.1",) if request.param else ()
    settings = dataclasses.replace(SETTINGS, port=_free_port(), public_url=public,
                                   trusted_proxies=proxies)  # fmt: skip
    assert (proxy_warning(settings) is None) == request.param
    runner = web.AppRunner(build_app(config, conn, settings))
    await runner.setup()
    await web.TCPSite(runner, settings.listen_host, settings.port).start()
    storage = tmp_path / "caddy"
    caddyfile = tmp_path / "Caddyfile"
    caddyfile.write_text(render_caddyfile(settings, tls_internal=True, global_options=[
        "admin off", f"storage file_system {storage}", "skip_install_trust",
        f"https_port {https_port}", f"http_port {_free_port()}", "auto_https disable_redirects",
    ]), encoding="utf-8")  # fmt: skip
    env = {**os.environ, "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data"),
           "XDG_CONFIG_HOME": str(tmp_path / "config")}  # fmt: skip
    assert CADDY is not None
    process = subprocess.Popen([CADDY, "run", "--config", str(caddyfile), "--adapter",
                                "caddyfile"], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)  # fmt: skip
    try:
        root = storage / "pki" / "authorities" / "local" / "root.crt"
        await _wait_for(root, process)
        yield public, root
    finally:
        process.terminate()
        process.communicate(timeout=10)
        await runner.cleanup()


async def _through(public: str, root: Path, lead_id: int) -> int:
    tls = ssl.create_default_context(cafile=str(root))  # Caddy's CA, verified
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=tls)) as session:
        for _ in range(100):  # the site certificate is issued just after the CA
            try:
                async with session.get(f"{public}/leads/{lead_id}", headers=basic()) as page:
                    html = await page.text()
                    assert page.status == 200
                    break
            except aiohttp.ClientConnectorError:
                await asyncio.sleep(0.1)
        token = re.search(r'name="csrf" value="([0-9a-f]+)"', html)
        assert token
        async with session.post(f"{public}/leads/{lead_id}/status",
                                data={"status": "called_back", "csrf": token.group(1)},
                                headers={**basic(), "Origin": public},
                                allow_redirects=False) as answer:  # fmt: skip
            assert answer.headers["X-Frame-Options"] == "DENY"  # the dashboard's, passed on
            return answer.status


async def test_a_status_change_through_caddy_with_tls(behind_caddy, conn, sample, request):
    """Caddy hands the dashboard its own address as Host: the phone's origin is only known
    from X-Forwarded-Host, believed with `trusted_proxies` alone (else: 403, unchanged)."""
    public, root = behind_caddy
    lead_id = sample.lead_ids[1]
    trusted = request.node.callspec.params["behind_caddy"]
    assert await _through(public, root, lead_id) == (303 if trusted else 403)
    expected = "called_back" if trusted else "new"
    assert SqliteLeadStore(conn).get(lead_id).status == expected


def test_the_caddyfile_command(tmp_path, capsys):
    config = tmp_path / "decroche.toml"
    config.write_text('[dashboard]\npassword = "douze-caracteres"\n', encoding="utf-8")
    assert main(["caddyfile", "--config", str(config)]) == 2
    assert "dashboard.public_url" in capsys.readouterr().err
    with config.open("a", encoding="utf-8") as out:
        out.write('public_url = "https://artisan.example.fr"\n')
    assert main(["caddyfile", "--config", str(config)]) == 0
    printed = capsys.readouterr()
    assert 'trusted_proxies = ["127.0.0.1"]' in printed.err  # forms would fail without it
    assert printed.out.startswith("# decroche dashboard behind Caddy")
    assert "https://artisan.example.fr {" in printed.out and "tls internal" not in printed.out
    assert "reverse_proxy 127.0.0.1:8080 {" in printed.out
    caddyfile = tmp_path / "Caddyfile"
    caddyfile.write_text(printed.out, encoding="utf-8")
    assert CADDY is not None
    adapted = subprocess.run([CADDY, "adapt", "--config", str(caddyfile), "--adapter",
                              "caddyfile"], capture_output=True, text=True, timeout=30)  # fmt: skip
    assert adapted.returncode == 0, adapted.stderr
    assert '"Strict-Transport-Security"' in adapted.stdout
