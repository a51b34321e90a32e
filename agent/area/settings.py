"""`[area]` table of the TOML config: where the streets of the service area come from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self

from agent.config_reader import TableReader

DEMO_ADDRESSES = Path(__file__).resolve().parent / "data" / "demo-area.csv"


@dataclass(frozen=True)
class AreaSettings:
    # BAN "adresses" CSV (plain or .gz), relative to the config file. None: towns only.
    addresses: Path | None = None
    # Where the SQLite index of the file is kept. None: <store.data_dir>/area.
    cache_dir: Path | None = None

    @classmethod
    def from_table(cls, table: Mapping[str, Any] | None, base: Path) -> Self:
        r = TableReader("area", table)
        addresses = r.optional_text("addresses")
        cache_dir = r.optional_text("cache_dir")
        settings = cls(
            addresses=_resolve(addresses, base),
            cache_dir=_resolve(cache_dir, base),
        )
        r.finish()
        return settings


def _resolve(value: str | None, base: Path) -> Path | None:
    if value is None:
        return None
    path = Path(value).expanduser()
    return path if path.is_absolute() else base / path
