"""`decroche dashboard [--config PATH] [--bind HOST] [--port N]`: serve the web dashboard;
`decroche dashboard caddyfile [--config PATH] [--tls-internal]`: print its Caddy front."""

from __future__ import annotations

import argparse
import dataclasses
import sqlite3
import sys
from pathlib import Path

from aiohttp import web

from agent.config import load_config
from agent.config_reader import ConfigError
from agent.dashboard.app import build_app
from agent.dashboard.settings import DashboardSettings
from agent.logs import add_log_options, configure_logging
from agent.store.db import MigrationError, connect

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="decroche dashboard",
        description="Web dashboard: leads, calls, transcripts, recordings, SMS.",
    )
    parser.add_argument("--config", type=Path, help="decroche TOML file (default: sandbox)")
    parser.add_argument("--bind", help="override [dashboard] bind")
    parser.add_argument("--port", type=int, help="override [dashboard] port")
    add_log_options(parser)
    return parser


def _settings(base: DashboardSettings, bind: str | None, port: int | None) -> DashboardSettings:
    changes: dict[str, object] = {}
    if bind is not None:
        changes["bind"] = bind
    if port is not None:
        if not 1 <= port <= 65535:
            raise ConfigError(f"--port {port}: expected 1..65535")
        changes["port"] = port
    settings = dataclasses.replace(base, **changes)  # type: ignore[arg-type]
    settings.check()
    return settings


def main(argv: list[str]) -> int:
    if argv[:1] == ["caddyfile"]:
        from agent.dashboard.caddy import main as caddyfile

        return caddyfile(argv[1:])
    args = _parser().parse_args(argv)
    configure_logging(args.verbose, args.log_format)
    try:
        config = load_config(args.config, require_business=True)
        settings = _settings(config.dashboard, args.bind, args.port)
    except ConfigError as exc:
        print(f"decroche dashboard: {exc}", file=sys.stderr)
        return 2
    if not settings.enabled:
        print("decroche dashboard: disabled ([dashboard] enabled = false)", file=sys.stderr)
        return 2
    try:
        conn = connect(config.database)
    except (OSError, sqlite3.Error, MigrationError) as exc:  # read-only or full data dir
        print(f"decroche dashboard: cannot open {config.database}: {exc}", file=sys.stderr)
        return 1
    try:
        app = build_app(config, conn, settings)
        login = "basic auth" if settings.auth_required else "no login (loopback only)"
        hosts = ", ".join(sorted(settings.hosts()))
        print(f"dashboard on {settings.local_url} ({login}; host names: {hosts})", flush=True)
        web.run_app(app, host=settings.listen_host, port=settings.port, print=None,
                    access_log=None)  # fmt: skip
    except OSError as exc:  # port taken, address not on this machine
        print(f"decroche dashboard: cannot listen on {settings.bind}:{settings.port}: {exc}",
              file=sys.stderr)  # fmt: skip
        return 1
    finally:
        conn.close()
    return 0
