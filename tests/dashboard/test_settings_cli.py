"""[dashboard] settings, the bind/password rule, and `decroche dashboard` serving for real."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from agent.config_reader import ConfigError
from agent.dashboard import DashboardConfigError, DashboardSettings
from agent.dashboard.app import build_app
from agent.dashboard.cli import main
from agent.dashboard.settings import is_loopback
from tests.dashboard.conftest import basic

ROOT = Path(__file__).resolve().parents[2]


def test_defaults_and_full_table():
    assert DashboardSettings.from_table(None, Path(".")) == DashboardSettings()
    table = {"enabled": False, "bind": "0.0.0.0", "port": 9000, "username": "bob",
             "password": "douze-caracteres"}  # fmt: skip
    settings = DashboardSettings.from_table(table, Path("."))
    assert (settings.enabled, settings.bind, settings.port, settings.username) == (
        False, "0.0.0.0", 9000, "bob",
    )  # fmt: skip
    assert settings.auth_required and "douze" not in repr(settings)


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"bind": "0.0.0.0"}, "dashboard.password"),
        ({"bind": "192.168.1.20", "password": ""}, "dashboard.password"),
        ({"port": 0}, "dashboard.port"),
        ({"port": "80"}, "dashboard.port"),
        ({"username": "a:b", "password": "x" * 12}, "dashboard.username"),
        ({"password": "x" * 11}, "dashboard.password: 11 characters; use at least 12"),
        ({"password": "x" * 12, "public_url": "artisan.example.fr"}, "dashboard.public_url"),
        ({"trusted_proxies": ["caddy"]}, "dashboard.trusted_proxies"),
        ({"pasword": "typo"}, "unknown key"),
    ],
)
def test_invalid_tables_are_refused(table, message):
    with pytest.raises(ConfigError, match=message):
        DashboardSettings.from_table(table, Path("."))


def test_public_bind_without_password_refused_by_build_app(config, conn):
    with pytest.raises(DashboardConfigError, match="password"):
        build_app(config, conn, DashboardSettings(bind="0.0.0.0"))


def test_loopback_detection():
    for host in ("127.0.0.1", "127.8.0.1", "::1", "[::1]", "localhost"):
        assert is_loopback(host), host
    for host in ("0.0.0.0", "::", "", "192.168.1.2", "box.local"):
        assert not is_loopback(host), host


def test_cli_refuses_public_bind_without_password(capsys):
    assert main(["--bind", "0.0.0.0"]) == 2
    assert "dashboard.password" in capsys.readouterr().err
    assert main(["--config", "/nonexistent/decroche.toml"]) == 2


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str, headers: dict[str, str]) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=2) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""


def test_cli_serves_the_dashboard(tmp_path):
    config = tmp_path / "decroche.toml"
    business = '[business]\nname = "X"\ntrade = "plombier"\nmobile = "+33612345678"\n'
    config.write_text(business + f'[store]\ndata_dir = "{tmp_path / "var"}"\n', encoding="utf-8")
    port = _free_port()
    code = "import sys; from agent.dashboard.cli import main; sys.exit(main(sys.argv[1:]))"
    process = subprocess.Popen(
        [sys.executable, "-c", code, "--config", str(config), "--port", str(port)],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                status, body = _get(f"http://127.0.0.1:{port}/healthz", {})
                break
            except OSError:
                assert process.poll() is None, process.stdout.read() if process.stdout else ""
                assert time.monotonic() < deadline
                time.sleep(0.1)
        assert status == 200 and json.loads(body) == {"status": "ok", "calls": 0, "leads": 0}
        status, body = _get(f"http://127.0.0.1:{port}/", basic())
        assert status == 200 and "Aucune demande" in body.decode()
        assert (tmp_path / "var" / "decroche.sqlite3").exists()
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=10)
    assert process.returncode == 0, output  # SIGTERM: a clean stop
    assert b"dashboard on http://127.0.0.1:" in output
