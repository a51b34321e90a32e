"""The towns around the service area (nlp.gazetteer), cached beside the area index: the
gazetteer takes ~0.6 s and ~150 MB to read, once per set of served towns, not at every start."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from pathlib import Path

from nlp.gazetteer import RADIUS_KM, towns_near
from nlp.text import fold

__all__ = ["neighbour_towns"]

log = logging.getLogger(__name__)


def neighbour_towns(
    served: Sequence[str], cache_dir: Path | None, also: Sequence[str] = ()
) -> tuple[str, ...]:
    """Towns near `served` (not served), then `also` (the address file's other towns), each
    once; read from `cache_dir` when computed before (no cache dir: computed each time)."""
    if not served:
        return ()
    near = _cached(served, cache_dir)
    served_keys = {fold(t) for t in served}
    merged = dict.fromkeys(t for t in (*near, *also) if fold(t) not in served_keys)
    return tuple(merged)


def _cached(served: Sequence[str], cache_dir: Path | None) -> tuple[str, ...]:
    key = json.dumps([sorted(fold(t) for t in served), RADIUS_KM])
    path = None
    if cache_dir is not None:
        path = cache_dir / f"neighbours-{hashlib.sha1(key.encode()).hexdigest()[:12]}.json"
        try:
            return tuple(json.loads(path.read_text("utf-8")))
        except (OSError, ValueError):
            pass  # not computed yet (or unreadable): computed again below
    near = towns_near(served)
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(near, ensure_ascii=False), "utf-8")
        except OSError as exc:  # a read-only cache: the towns are still used this time
            log.warning("neighbouring towns not cached in %s: %s", path, exc)
    return near
