"""`decroche dashboard caddyfile`: the Caddyfile that puts the dashboard behind TLS.

Caddy (Debian package `caddy`) terminates HTTPS for `[dashboard] public_url` (a certificate
from Let's Encrypt for a public name, or its own local CA with --tls-internal on a LAN) and
forwards to the dashboard on loopback. It rewrites `Host` to the dashboard's own address and
tells the original one in X-Forwarded-Host/-Proto/-For, which the dashboard believes only
from `[dashboard] trusted_proxies` (so that list must name the loopback address).
"""

from __future__ import annotations

import argparse
import ipaddress
import sys
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

from agent.config import load_config
from agent.config_reader import ConfigError
from agent.dashboard.settings import DashboardConfigError, DashboardSettings, Network

__all__ = ["main", "render_caddyfile", "upstream"]


def upstream(settings: DashboardSettings) -> str:
    """host:port Caddy dials: the bound address, loopback for a wildcard bind."""
    host = settings.listen_host
    if host in ("0.0.0.0", "", "::"):
        host = "127.0.0.1"
    return f"[{host}]:{settings.port}" if ":" in host else f"{host}:{settings.port}"


def site_address(settings: DashboardSettings) -> str:
    public = settings.public_url
    if public is None or urlsplit(public).scheme != "https":
        raise DashboardConfigError(
            "dashboard.public_url: set the https:// address phones will use"
            " (e.g. https://artisan.example.fr) to generate a Caddyfile"
        )
    parts = urlsplit(public)
    return f"https://{parts.netloc}"


def render_caddyfile(
    settings: DashboardSettings, tls_internal: bool = False, global_options: Sequence[str] = ()
) -> str:
    """The Caddyfile text; `global_options` go into the leading { } block."""
    lines = ["# decroche dashboard behind Caddy: `decroche dashboard caddyfile` wrote this."]
    if global_options:
        lines += ["{", *(f"\t{option}" for option in global_options), "}", ""]
    lines.append(f"{site_address(settings)} {{")
    if tls_internal:
        lines.append("\ttls internal")
    else:  # a public certificate: browsers may be told to never accept plain HTTP again
        lines.append('\theader Strict-Transport-Security "max-age=31536000"')
    lines += [
        f"\treverse_proxy {upstream(settings)} {{",
        "\t\theader_up Host {upstream_hostport}",
        "\t\theader_up X-Forwarded-Host {hostport}",
        "\t}",
        "}",
        "",
    ]
    return "\n".join(lines)


def proxy_warning(settings: DashboardSettings) -> str | None:
    """Why forms would fail behind this Caddyfile (Origin mismatch), or None."""
    host = upstream(settings).rsplit(":", 1)[0].strip("[]")
    networks = settings.proxy_networks()
    if any(_contains(network, host) for network in networks):
        return None
    return f'set [dashboard] trusted_proxies = ["{host}"]: Caddy connects from there'


def _contains(network: Network, host: str) -> bool:
    try:
        return ipaddress.ip_address(host) in network
    except ValueError:
        return False


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="decroche dashboard caddyfile", description="Print a Caddyfile for the dashboard."
    )
    parser.add_argument("--config", type=Path, help="decroche TOML file (default: sandbox)")
    parser.add_argument(
        "--tls-internal",
        action="store_true",
        help="Caddy's own CA (LAN, no public name) instead of Let's Encrypt",
    )
    args = parser.parse_args(argv)
    try:
        settings = load_config(args.config).dashboard
        text = render_caddyfile(settings, args.tls_internal)
    except ConfigError as exc:
        print(f"decroche dashboard caddyfile: {exc}", file=sys.stderr)
        return 2
    warning = proxy_warning(settings)
    if warning:
        print(f"decroche dashboard caddyfile: warning: {warning}", file=sys.stderr)
    print(text, end="")
    return 0
