"""The towns around the service area (nlp.gazetteer), cached beside the area index. Reading
the gazetteer takes ~0.6 s and leaves a process ~100 MB bigger (measured: 11 -> 113 MB RSS,
malloc_trim gives back 6): it runs in a child process, once per set of served towns."""

from __future__ import annotations

import hashlib
import json
import logging
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from nlp.gazetteer import RADIUS_KM
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
    try:
        near = towns_near(served)
    except (OSError, subprocess.SubprocessError, ValueError) as exc:
        # An aid to matching, not a need: the area works without its neighbours.
        log.warning("towns around the area not read: %s", exc)
        return ()
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(near, ensure_ascii=False), "utf-8")
        except OSError as exc:  # a read-only cache: the towns are still used this time
            log.warning("neighbouring towns not cached in %s: %s", path, exc)
    return near


def towns_near(served: Sequence[str]) -> tuple[str, ...]:
    """nlp.gazetteer.towns_near in a child process (see the module docstring)."""
    command = [sys.executable, "-m", "nlp.gazetteer", *served]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)
    return tuple(str(town) for town in json.loads(done.stdout))
