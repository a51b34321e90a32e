"""`[dashboard]` configuration: where the artisan's web dashboard listens and who may see it.

[dashboard]
enabled = true
bind = "127.0.0.1"      # loopback by default; any other address needs a password
port = 8080
username = "artisan"
password = "..."        # HTTP basic auth, 12 characters at least; empty on loopback = no login
public_url = "https://artisan.example.fr"   # how phones reach it (reverse proxy); webhook links
allowed_hosts = []      # extra names the browser may use (beyond bind, localhost, public_url)
trusted_proxies = []    # e.g. ["127.0.0.1"]: only these peers' X-Forwarded-* are believed
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from agent.config_reader import ConfigError, TableReader

__all__ = [
    "MIN_PASSWORD_LENGTH",
    "DashboardConfigError",
    "DashboardSettings",
    "host_name",
    "is_loopback",
]

# Guessing is throttled (10 tries a minute per client), so 12 characters of any kind put a
# password far beyond reach; one character fell in a second before the throttle (issue 14).
MIN_PASSWORD_LENGTH = 12

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class DashboardConfigError(ConfigError):
    """The dashboard settings are unsafe or invalid (e.g. a public bind without a password)."""


@dataclass(frozen=True)
class DashboardSettings:
    enabled: bool = True
    bind: str = "127.0.0.1"
    port: int = 8080
    username: str = "artisan"
    password: str = field(default="", repr=False)
    public_url: str | None = None
    allowed_hosts: tuple[str, ...] = ()
    trusted_proxies: tuple[str, ...] = ()

    @classmethod
    def from_table(cls, table: Mapping[str, Any] | None, base: Path) -> DashboardSettings:
        """Read and validate `[dashboard]`; `base` is unused (no paths yet), kept for symmetry."""
        del base
        r = TableReader("dashboard", table)
        d = cls()
        settings = cls(
            enabled=r.flag("enabled", d.enabled),
            bind=r.text("bind", d.bind),
            port=r.integer("port", d.port, low=1, high=65535),
            username=r.text("username", d.username),
            password=r.optional_text("password") or "",
            public_url=r.optional_text("public_url"),
            allowed_hosts=r.texts("allowed_hosts"),
            trusted_proxies=r.texts("trusted_proxies"),
        )
        r.finish()
        settings.check()
        return settings

    @property
    def auth_required(self) -> bool:
        return bool(self.password)

    @property
    def listen_host(self) -> str:
        """The bind address as a socket takes it: '[::1]' (URL form) becomes '::1'."""
        return self.bind.strip().removeprefix("[").removesuffix("]")

    @property
    def local_url(self) -> str:
        host = self.listen_host
        return f"http://{f'[{host}]' if ':' in host else host}:{self.port}/"

    def check(self) -> None:
        """Raise DashboardConfigError when the settings would expose calls to the network."""
        if not self.username or ":" in self.username:
            raise DashboardConfigError("dashboard.username: must be non-empty, without ':'")
        if not self.password and not is_loopback(self.bind):
            raise DashboardConfigError(
                f"dashboard.bind = {self.bind!r} is reachable from the network: set"
                " dashboard.password (HTTP basic auth), or bind to 127.0.0.1"
            )
        if self.password and len(self.password) < MIN_PASSWORD_LENGTH:
            raise DashboardConfigError(
                f"dashboard.password: {len(self.password)} characters; use at least"
                f" {MIN_PASSWORD_LENGTH} (or none at all on a loopback bind)"
            )
        if self.public_url is not None:
            parts = urlsplit(self.public_url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise DashboardConfigError(
                    f"dashboard.public_url: {self.public_url!r} must be an http(s):// address"
                )
        self.proxy_networks()  # raises on a malformed entry

    def proxy_networks(self) -> tuple[Network, ...]:
        """`trusted_proxies` parsed: addresses ("127.0.0.1") or networks ("10.0.0.0/8")."""
        networks = []
        for entry in self.trusted_proxies:
            try:
                networks.append(ipaddress.ip_network(entry.strip("[]"), strict=False))
            except ValueError:
                raise DashboardConfigError(
                    f"dashboard.trusted_proxies: {entry!r} is not an IP address or network"
                ) from None
        return tuple(networks)

    def hosts(self) -> frozenset[str]:
        """Host names a browser may use to reach the dashboard (DNS-rebinding defence): the
        bound address, localhost, the public URL's host and `allowed_hosts`, lower-cased."""
        names = {"localhost", self.listen_host.lower()}
        if is_loopback(self.bind):
            names |= {"127.0.0.1", "::1"}
        if self.public_url is not None:
            public = urlsplit(self.public_url).hostname
            if public:
                names.add(public.lower())
        names.update(host_name(h) or h.lower() for h in self.allowed_hosts)
        return frozenset(names)


def host_name(header: str) -> str | None:
    """The name in a `Host` header, without port or brackets, lower-cased; None if unreadable."""
    try:
        parts = urlsplit(f"//{header.strip()}")
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError:
        return None
    name = parts.hostname
    return name.rstrip(".") if name else None


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and 'localhost'; False for 0.0.0.0, '' and any other name."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
