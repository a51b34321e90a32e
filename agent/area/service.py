"""`SqliteServiceArea`: the `nlp.types.ServiceArea` of the config, backed by the SQLite index
of the BAN file. Street names and their keys are in memory (a département: ~2·10^4 streets,
a few MB); house numbers stay in SQLite and are read for the one street matched."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from agent.area.index import ensure_index
from agent.area.neighbours import neighbour_towns
from agent.area.settings import DEMO_ADDRESSES, AreaSettings
from agent.config_core import DEMO_BUSINESS
from nlp.street_match import StreetEntry, StreetMatcher
from nlp.text import fold
from nlp.types import AddressMatch, ServiceArea, TownMatch

if TYPE_CHECKING:  # agent.config reads [area] with this package's settings
    from agent.config import Config


class SqliteServiceArea:
    """Towns served and, when an addresses file is given, their streets.

    The area is `towns` (`[business] towns`); the file's streets count only for those towns,
    or for all its towns when `towns` is empty. `neighbours` are towns not served that a
    caller may name (agent.area.neighbours): heard, they are named right and kept outside.
    """

    def __init__(
        self, towns: Sequence[str], db: Path | None = None, neighbours: Sequence[str] = ()
    ) -> None:
        self._db = db
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        streets = _load_streets(db, towns) if db else []
        served = tuple(towns) or tuple(dict.fromkeys(s.town for s in streets))
        self._towns = served
        self._matcher = StreetMatcher(streets, served, self._has_number, neighbours)

    def towns(self) -> tuple[str, ...]:
        return self._towns

    def neighbour_towns(self) -> tuple[str, ...]:
        return self._matcher.outside.names

    def street_names(self, town: str | None = None) -> tuple[str, ...]:
        return self._matcher.street_names(town)

    def match_address(
        self, hypotheses: Sequence[str], town: str | None = None
    ) -> AddressMatch | None:
        return self._matcher.match_address(hypotheses, town)

    def match_street(self, hypotheses: Sequence[str], town: str | None) -> AddressMatch | None:
        return self._matcher.match_address(hypotheses, town, street_only=True)

    def match_town(self, hypotheses: Sequence[str]) -> TownMatch | None:
        return self._matcher.match_town(hypotheses)

    def house_numbers(self, street: str, town: str | None) -> tuple[str, ...]:
        entry = self._matcher.entry(street, town)
        return self.numbers(entry) if entry is not None else ()

    def numbers(self, street: StreetEntry) -> tuple[str, ...]:
        """House numbers of one street ("1", "3bis"...), read from the index."""
        if self._db is None:
            return ()
        with self._lock:  # one connection, shared by the call threads
            if self._conn is None:
                uri = f"file:{self._db}?mode=ro"
                self._conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
            row = self._conn.execute(
                "SELECT numbers FROM streets WHERE id = ?", (street.id,)
            ).fetchone()
        return tuple(str(row[0]).split()) if row else ()

    def _has_number(self, street: StreetEntry, number: str) -> bool:
        wanted = number.replace(" ", "")
        short = wanted[: len(wanted) - len(wanted.lstrip("0123456789")) + 1]  # "12bis" -> "12b"
        known = self.numbers(street)
        return wanted in known or (wanted != short and short in known)


def _load_streets(db: Path, towns: Sequence[str]) -> list[StreetEntry]:
    wanted = {fold(t): t for t in towns}
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        rows = conn.execute("SELECT id, name, postcode, town FROM streets").fetchall()
    out: list[StreetEntry] = []
    for sid, name, postcode, town in rows:
        if wanted:
            served = wanted.get(fold(town))
            if served is None:
                continue
            town = served  # the spelling of the config ("Caluire-et-Cuire")
        out.append(StreetEntry(int(sid), str(name), str(town), str(postcode)))
    return out


def file_towns(db: Path) -> tuple[str, ...]:
    """Every town of the indexed file (a département file holds many not served)."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        rows = conn.execute("SELECT DISTINCT town FROM streets ORDER BY town").fetchall()
    return tuple(str(town) for (town,) in rows)


def area_settings(config: Config) -> AreaSettings:
    settings = config.area
    if settings.addresses is None and _is_demo_business(config):
        return AreaSettings(addresses=DEMO_ADDRESSES, cache_dir=settings.cache_dir)
    return settings


def _is_demo_business(config: Config) -> bool:
    """The embedded sandbox business (no `[business]` in the config): with no `[area]` of its
    own it gets the shipped extract of its towns' streets, so `decroche demo` matches streets."""
    business, demo = config.business, DEMO_BUSINESS
    return (business.name, business.mobile, list(business.towns)) == (
        demo["name"],
        demo["mobile"],
        list(demo["towns"]),
    )


def load_area(config: Config) -> ServiceArea:
    """The service area of `config`: always an area (towns only without an addresses file).
    The BAN file is indexed on first use and re-indexed when it changes (AreaFileError when
    it is malformed)."""
    settings = area_settings(config)
    towns = config.business.towns
    cache = settings.cache_dir or (config.data_dir / "area")
    if settings.addresses is None:
        return SqliteServiceArea(towns, None, neighbour_towns(towns, cache))
    stats = ensure_index(settings.addresses, cache)
    in_file = file_towns(stats.path)
    around = neighbour_towns(towns or in_file, cache, also=in_file)
    return SqliteServiceArea(towns, stats.path, around)
