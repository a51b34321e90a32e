"""Scoring heard street words against the area's streets (pure, no I/O): the keys of each
street, built once, and how one reading of the heard words scores against them. The matcher
(nlp.street_match) chooses readings and towns; this module says how close a street is."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from nlp.address import STREET_TYPES
from nlp.heard_address import HEARD_TYPES, PARTICLES, HeardAddress, street_kind
from nlp.phonetic import squashed_key
from nlp.text import fold

# Below this a street is not taken as the one heard: the address is kept as heard, flagged.
STREET_THRESHOLD = 0.72
# Names whose key is shorter than SHORT_KEY letters need SHORT_THRESHOLD.
SHORT_KEY = 7
SHORT_THRESHOLD = 0.8
# A different street type said ("avenue" for a "cours") costs this much.
KIND_PENALTY = 0.12
# A street name found inside longer words counts only when (almost) exactly there.
INSIDE_MIN = 0.9
# Candidates rescored in Python after rapidfuzz's C pass.
SHORTLIST = 40
# Relative acceptance: with the town known (or few streets to choose from), a best street
# below the threshold is still taken when it is this far ahead of the next different street,
# if it scores at least RELATIVE_FLOOR; its score is then capped at RELATIVE_SCORE, so the
# dialogue re-asks the street or marks it to check (measured: tests/area/garbles.py).
RELATIVE_MARGIN = 0.2
RELATIVE_FLOOR = 0.6
RELATIVE_SCORE = 0.6
SMALL_POOL = 60
# Between the threshold and SURE, a best street this close to a different one is a coin toss.
SURE = 0.85
GRAY_MARGIN = 0.08
# No street type and no house number heard: the words may be anything (a name, "non"),
# so the threshold is raised by this much.
NO_CUE = 0.1
# A heard name whose sound key is shorter than this matches only its exact key.
TINY_KEY = 4
# Scores of the street names heard whole inside garbled words, on the eval runs' answers:
# 0.97-1.0; a name in words that were no address ("Sophie Martin" for Rue Saint-Martin,
# "ne marche plus" for Place du Marché) 0.84-0.92.
WINDOW_MIN = 0.95


@dataclass(frozen=True)
class StreetEntry:
    """One street of the area: canonical name (BAN `nom_voie`), town and postcode."""

    id: int
    name: str
    town: str
    postcode: str


@dataclass(frozen=True)
class Keyed:
    entry: StreetEntry
    kind: str | None
    core: str  # folded name without type word and particles: "emile zola"
    core_key: str  # squashed phonetic key of `core`
    bare_key: str  # `core_key` without a trailing year: "Rue du 4 Août 1789" is "rue du 4 août"
    full_key: str  # squashed phonetic key of the whole name
    part_key: str  # key of the name with its particles, without the type: "DLAREPUBLIK"


def key_street(entry: StreetEntry) -> Keyed:
    words = tuple(fold(entry.name.replace("'", "' ")).split())
    kind = street_kind(words)
    named = [w for w in words if fold(STREET_TYPES.get(w, "")) != kind]
    rest = [w for w in named if w not in PARTICLES]
    core = " ".join(rest) or " ".join(words)
    bare = rest[:-1] if len(rest) > 1 and rest[-1].isdigit() and len(rest[-1]) == 4 else rest
    return Keyed(
        entry,
        kind,
        core,
        squashed_key(core),
        squashed_key(" ".join(bare)) if bare else squashed_key(core),
        squashed_key(" ".join(words)),
        squashed_key(" ".join(named)),
    )


class Pool:
    """Streets of one town (or all), with their keys in lists for rapidfuzz.process."""

    def __init__(self, keyed: list[Keyed]) -> None:
        self.keyed = keyed
        self.full_keys = [k.full_key for k in keyed]
        self.core_keys = [k.core_key for k in keyed]
        self.part_keys = [k.part_key for k in keyed]


@dataclass(frozen=True)
class Scored:
    score: float
    keyed: Keyed
    heard: HeardAddress
    kind: str | None  # the street type heard in the words scored


def shortlist_streets(
    pool: Pool, heard_core: str, heard_part: str, heard_full: str | None
) -> list[Keyed]:
    """The few dozen streets worth rescoring, found by rapidfuzz in C. With a street type
    heard the name is compared alone; without one (`heard_full`), the type may be fused into
    the name or the name buried in other words: two more passes look for those."""
    passes: list[tuple[str, list[str], Callable[..., float]]] = [
        (heard_core, pool.core_keys, fuzz.ratio),
        (heard_part, pool.part_keys, fuzz.ratio),
    ]
    if heard_full is not None:
        passes += [
            (heard_full, pool.full_keys, fuzz.ratio),
            (heard_full, pool.core_keys, fuzz.partial_ratio),
        ]
    picked: dict[int, Keyed] = {}
    for query, keys, scorer in passes:
        for _, _, idx in process.extract(
            query, keys, scorer=scorer, limit=SHORTLIST, score_cutoff=45
        ):
            picked[idx] = pool.keyed[idx]
    return list(picked.values())


def heard_spans(words: tuple[str, ...]) -> list[tuple[str, int]]:
    """Keys of the runs of up to 4 heard words, each with the number of other name words
    around it (neither particles nor type words)."""
    named = [w not in PARTICLES and w not in HEARD_TYPES for w in words]
    out = []
    for start in range(len(words)):
        for end in range(start + 1, min(start + 4, len(words)) + 1):
            others = sum(named[:start]) + sum(named[end:])
            out.append((squashed_key(" ".join(words[start:end])), others))
    return out


@dataclass(frozen=True)
class HeardKeys:
    """The keys of one reading of the heard street words."""

    full: str  # all the words
    core: str  # without particles and type words
    part: str  # without type words
    text: str  # folded words of `core`
    kind: str | None  # the street type heard
    spans: list[tuple[str, int]]  # see `_spans`


def street_score(k: Keyed, heard: HeardKeys) -> float:
    heard_full, heard_core, kind, spans = heard.full, heard.core, heard.kind, heard.spans
    core = fuzz.ratio(k.core_key, heard_core) / 100
    if k.bare_key != k.core_key:
        core = max(core, fuzz.ratio(k.bare_key, heard_core) / 100)
    core = max(core, fuzz.ratio(k.part_key, heard.part) / 100)
    text = fuzz.ratio(k.core, heard.text) / 100
    # With no street type heard, the type may be fused into the name ("courremis" for
    # "cours Émile"): compare the whole sound string. With one heard, the type words would
    # only inflate every street's score alike.
    full = fuzz.ratio(k.full_key, heard_full) / 100 if kind is None else 0.0
    # The name inside other words ("prendre garibaldi"): only a near-exact find of whole
    # heard words, beside at most one other word ("le chauffe-eau ne marche plus" is not
    # Place du Marché), and only for names long enough not to be found by chance.
    inside = 0.0
    if len(k.core_key) >= 5:
        found = max((fuzz.ratio(k.core_key, key) / 100 for key, n in spans if n <= 1), default=0)
        inside = found * 0.92 if found >= INSIDE_MIN else 0.0
    score = max(full, core, text, inside)
    if kind and k.kind and kind != k.kind:
        score -= KIND_PENALTY
    elif kind and kind == k.kind:
        score = min(1.0, score + 0.03)
    return score


def accept_score(best: Scored, scored: list[Scored], cued: bool, relative: bool) -> float | None:
    """The score `best` is taken with, or None. Above the threshold it must not be a coin
    toss with a different street; below it, with the town known (`relative`) and a type or
    number heard, it is taken if clearly ahead of the next different street, with a lower
    score (to be checked)."""
    cued = cued or best.heard.postcode is not None or best.kind is not None
    rival = max((s.score for s in scored if s.keyed.core != best.keyed.core), default=0.0)
    margin = best.score - rival
    threshold = threshold_for(best.keyed) + (0.0 if cued else NO_CUE)
    if best.score >= threshold and (best.score >= SURE or margin >= GRAY_MARGIN):
        return best.score
    if relative and cued and best.score >= RELATIVE_FLOOR and margin >= RELATIVE_MARGIN:
        return min(best.score, RELATIVE_SCORE)
    return None


def threshold_for(k: Keyed) -> float:
    """Short names are matched by chance more easily ("moulin" ~ "Colin"): they need more."""
    return STREET_THRESHOLD if len(k.core_key) >= SHORT_KEY else SHORT_THRESHOLD


def pick_best(
    scored: list[Scored], town: str | None, has_number: Callable[[Scored], bool]
) -> Scored:
    """Best street; among equal scores, the one in the town known, then the one with the
    postcode heard, then the one where the house number exists (Rue de la République runs
    through Lyon 1er and 2e)."""
    top = max(s.score for s in scored)
    tied = [s for s in scored if s.score >= top - 0.005]

    def rank(s: Scored) -> tuple[bool, bool, float, bool]:
        entry = s.keyed.entry
        in_town = town is not None and fold(entry.town) == fold(town)
        return (in_town, s.heard.postcode == entry.postcode, s.score, has_number(s))

    return max(tied, key=rank)
