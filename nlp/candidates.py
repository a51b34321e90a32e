"""The few closed-set names closest to what was first heard, for a second, narrowed hearing.

Keys are French sound keys with spaces squashed (nlp.phonetic.squashed_key): Whisper cuts and
glues street names freely ("Rubigeaux" for "Rue Bugeaud"). The partial ratio finds a name
inside a longer answer ("J'habite au 7 ...") and a cut name inside a hypothesis.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from rapidfuzz import fuzz, process

from nlp.phonetic import squashed_key

__all__ = ["closest_names"]

# Below this partial ratio (0..100) a name shares too little sound with the answer to be worth
# a second hearing (measured: the right street scored >= 60 in 34 of 36 answers).
MIN_SCORE = 50.0
# A shorter answer ("oui", "euh") is found inside any long name: too little sound to narrow on.
MIN_KEY = 4


@lru_cache(maxsize=32)
def _keys(names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(squashed_key(n) for n in names)


def closest_names(hypotheses: Sequence[str], names: tuple[str, ...], limit: int) -> tuple[str, ...]:
    """Up to `limit` of `names`, closest first, over every hypothesis."""
    keys = _keys(names)
    best: dict[int, float] = {}
    for text in hypotheses:
        heard = squashed_key(text)
        if len(heard) < MIN_KEY:
            continue
        found = process.extract(
            heard, keys, scorer=fuzz.partial_ratio, limit=limit, score_cutoff=MIN_SCORE
        )
        for _key, score, index in found:
            best[index] = max(best.get(index, 0.0), score)
    ranked = sorted(best, key=lambda i: -best[i])[:limit]
    return tuple(names[i] for i in ranked)
