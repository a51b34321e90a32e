"""`[metrics]`: where the agent serves /metrics (Prometheus) and /health.

[metrics]
enabled = true
bind = "127.0.0.1"   # loopback only unless you say otherwise: call counts are business data
port = 9464          # 0: any free port (tests)

On by default, on loopback: nothing reaches the network, while the health endpoint is there
for the container's HEALTHCHECK and a local Prometheus or node exporter's textfile scraper
without a config change; it costs one socket and a few counters.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from agent.config_reader import TableReader

__all__ = ["MetricsSettings"]


@dataclass(frozen=True)
class MetricsSettings:
    enabled: bool = True
    bind: str = "127.0.0.1"
    port: int = 9464

    @classmethod
    def from_table(cls, table: Mapping[str, Any] | None) -> MetricsSettings:
        r = TableReader("metrics", table)
        d = cls()
        settings = cls(
            enabled=r.flag("enabled", d.enabled),
            bind=r.text("bind", d.bind),
            port=r.integer("port", d.port, low=0, high=65535),
        )
        r.finish()
        return settings
