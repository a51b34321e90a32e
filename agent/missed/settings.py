"""`[missed]`: finding calls the agent never saw (it was down) in Asterisk's CDR file."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agent.config_reader import TableReader

__all__ = ["PRODUCTION_CDR_PATH", "MissedSettings", "default_cdr_path", "sandbox_cdr_path"]

# Debian's Asterisk with cdr_csv (asterisk-conf/cdr.conf) writes here.
PRODUCTION_CDR_PATH = Path("/var/log/asterisk/cdr-csv/Master.csv")


def sandbox_cdr_path(sandbox_dir: Path) -> Path:
    """Where the sandbox Asterisk (devkit.sandbox.pbx, chrooted in <sandbox_dir>/root) writes."""
    return sandbox_dir / "root/var/log/asterisk/cdr-csv/Master.csv"


def default_cdr_path(source: Path | None, sandbox_dir: Path) -> Path:
    """No config file (`source`) means the embedded sandbox defaults: read the sandbox's CDR."""
    return sandbox_cdr_path(sandbox_dir) if source is None else PRODUCTION_CDR_PATH


@dataclass(frozen=True)
class MissedSettings:
    enabled: bool = True
    cdr_path: Path = PRODUCTION_CDR_PATH
    scan_interval_s: float = 60.0  # also catches calls the running agent handed back
    # A call older than this is recorded but nobody is texted: on a first start against a
    # months-old Master.csv, "we missed your call" would be absurd.
    max_age_h: float = 24.0

    @classmethod
    def from_table(
        cls,
        table: Mapping[str, Any] | None,
        base: Path,
        default_path: Path = PRODUCTION_CDR_PATH,
    ) -> MissedSettings:
        r = TableReader("missed", table)
        d = cls
        settings = cls(
            enabled=r.flag("enabled", d.enabled),
            cdr_path=r.path("cdr_path", default_path, base),
            scan_interval_s=r.number("scan_interval_s", d.scan_interval_s, low=1.0, high=3600.0),
            max_age_h=r.number("max_age_h", d.max_age_h, low=0.1, high=24.0 * 30),
        )
        r.finish()
        return settings
