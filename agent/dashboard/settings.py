"""`[dashboard]` configuration: where the artisan's web dashboard listens and who may see it.

[dashboard]
enabled = true
bind = "127.0.0.1"      # loopback by default; any other address needs a password
port = 8080
username = "artisan"
password = "..."        # HTTP basic auth; empty on loopback = no login asked
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agent.config_reader import ConfigError, TableReader

__all__ = ["DashboardConfigError", "DashboardSettings", "is_loopback"]


class DashboardConfigError(ConfigError):
    """The dashboard settings are unsafe or invalid (e.g. a public bind without a password)."""


@dataclass(frozen=True)
class DashboardSettings:
    enabled: bool = True
    bind: str = "127.0.0.1"
    port: int = 8080
    username: str = "artisan"
    password: str = field(default="", repr=False)

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
        )
        r.finish()
        settings.check()
        return settings

    @property
    def auth_required(self) -> bool:
        return bool(self.password)

    def check(self) -> None:
        """Raise DashboardConfigError when the settings would expose calls to the network."""
        if not self.username or ":" in self.username:
            raise DashboardConfigError("dashboard.username: must be non-empty, without ':'")
        if not self.password and not is_loopback(self.bind):
            raise DashboardConfigError(
                f"dashboard.bind = {self.bind!r} is reachable from the network: set"
                " dashboard.password (HTTP basic auth), or bind to 127.0.0.1"
            )


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and 'localhost'; False for 0.0.0.0, '' and any other name."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
