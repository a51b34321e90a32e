"""The few closed-set names closest to what was first heard, for a second, narrowed hearing.

Keys are French sound keys with spaces squashed (nlp.phonetic.squashed_key): Whisper cuts and
glues street names freely ("Rubigeaux" for "Rue Bugeaud"). The partial ratio finds a name
inside a longer answer ("J'habite au 7 ...") and a cut name inside a hypothesis.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache

from rapidfuzz import fuzz, process

from nlp.phonetic import squashed_key

__all__ = ["closest_names", "closest_words"]

# Below this partial ratio (0..100) a name shares too little sound with the answer to be worth
# a second hearing (measured: the right street scored >= 60 in 34 of 36 answers).
MIN_SCORE = 50.0
# Names against heard words: a whole-word ratio, on keys of at least 3 sounds.
MIN_WORD_SCORE = 60.0
MIN_NAME_KEY = 3
# A shorter answer ("oui", "euh") is found inside any long name: too little sound to narrow on.
MIN_KEY = 4


@lru_cache(maxsize=32)
def _keys(names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(squashed_key(n) for n in names)


def closest_names(hypotheses: Sequence[str], names: tuple[str, ...], limit: int) -> tuple[str, ...]:
    """Up to `limit` of `names`, closest first, over every hypothesis."""
    heard = (squashed_key(text) for text in hypotheses)
    return _ranked(heard, names, limit, fuzz.partial_ratio, MIN_KEY, MIN_SCORE)


def closest_words(hypotheses: Sequence[str], names: tuple[str, ...], limit: int) -> tuple[str, ...]:
    """Up to `limit` of `names` (one or two words each: surnames), closest first, compared
    with every window of one or two heard words: a whole-answer partial ratio would find a
    two-letter name ("Ly") inside any answer."""
    windows: set[str] = set()
    for text in hypotheses:
        words = text.replace(",", " ").replace(".", " ").split()
        windows.update(" ".join(words[i : i + n]) for n in (1, 2) for i in range(len(words)))
    heard = (squashed_key(w) for w in windows)
    return _ranked(heard, names, limit, fuzz.ratio, MIN_NAME_KEY, MIN_WORD_SCORE)


def _ranked(
    heard_keys: Iterable[str],
    names: tuple[str, ...],
    limit: int,
    scorer: Callable[..., float],
    min_key: int,
    min_score: float,
) -> tuple[str, ...]:
    keys = _keys(names)
    best: dict[int, float] = {}
    for heard in heard_keys:
        if len(heard) < min_key:
            continue
        found = process.extract(heard, keys, scorer=scorer, limit=limit, score_cutoff=min_score)
        for _key, score, index in found:
            best[index] = max(best.get(index, 0.0), score)
    ranked = sorted(best, key=lambda i: -best[i])[:limit]
    return tuple(names[i] for i in ranked)
