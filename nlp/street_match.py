"""Match heard addresses to the streets and towns of the service area (pure, no I/O).

Whisper base through a phone line garbles street names ("18 courremis de la Villeurbanne" for
"18 cours Émile Zola, Villeurbanne"), so each street is compared by sound (French phonetic
keys, squashed so that misplaced word cuts do not matter) and by spelling, with rapidfuzz.
Keys are computed once per street when the index is built; a query scores every street of the
town in C (rapidfuzz.process) and rescores only the best few dozen in Python.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

from rapidfuzz import fuzz, process

from nlp.address import STREET_TYPES, extract_address
from nlp.heard_address import (
    HEARD_TYPES,
    PARTICLES,
    HeardAddress,
    before_comma,
    parse_heard,
    street_kind,
    street_variants,
    street_windows,
)
from nlp.phonetic import squashed_key
from nlp.text import fold
from nlp.towns import TownIndex
from nlp.types import AddressMatch, TownMatch

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


@dataclass(frozen=True)
class StreetEntry:
    """One street of the area: canonical name (BAN `nom_voie`), town and postcode."""

    id: int
    name: str
    town: str
    postcode: str


@dataclass(frozen=True)
class _Keyed:
    entry: StreetEntry
    kind: str | None
    core: str  # folded name without type word and particles: "emile zola"
    core_key: str  # squashed phonetic key of `core`
    bare_key: str  # `core_key` without a trailing year: "Rue du 4 Août 1789" is "rue du 4 août"
    full_key: str  # squashed phonetic key of the whole name
    part_key: str  # key of the name with its particles, without the type: "DLAREPUBLIK"


def _keyed(entry: StreetEntry) -> _Keyed:
    words = tuple(fold(entry.name.replace("'", "' ")).split())
    kind = street_kind(words)
    named = [w for w in words if fold(STREET_TYPES.get(w, "")) != kind]
    rest = [w for w in named if w not in PARTICLES]
    core = " ".join(rest) or " ".join(words)
    bare = rest[:-1] if len(rest) > 1 and rest[-1].isdigit() and len(rest[-1]) == 4 else rest
    return _Keyed(
        entry,
        kind,
        core,
        squashed_key(core),
        squashed_key(" ".join(bare)) if bare else squashed_key(core),
        squashed_key(" ".join(words)),
        squashed_key(" ".join(named)),
    )


class _Pool:
    """Streets of one town (or all), with their keys in lists for rapidfuzz.process."""

    def __init__(self, keyed: list[_Keyed]) -> None:
        self.keyed = keyed
        self.full_keys = [k.full_key for k in keyed]
        self.core_keys = [k.core_key for k in keyed]
        self.part_keys = [k.part_key for k in keyed]


@dataclass(frozen=True)
class _Scored:
    score: float
    keyed: _Keyed
    heard: HeardAddress
    kind: str | None  # the street type heard in the words scored


HasNumber = Callable[[StreetEntry, str], bool]


class StreetMatcher:
    """The area's streets, keyed for matching; `has_number` tells whether a house number
    exists for a street (the caller keeps the numbers out of memory, e.g. in SQLite)."""

    def __init__(
        self,
        streets: Iterable[StreetEntry],
        towns: Sequence[str],
        has_number: HasNumber | None = None,
    ) -> None:
        self._all = [_keyed(s) for s in streets]
        self.towns = TownIndex(towns)
        self._has_number = has_number
        by_town: dict[str, list[_Keyed]] = {}
        for k in self._all:
            by_town.setdefault(fold(k.entry.town), []).append(k)
        self._by_town = {town: _Pool(keyed) for town, keyed in by_town.items()}
        self._everywhere = _Pool(self._all)
        self._postcodes = {k.entry.postcode: k.entry.town for k in self._all}
        # Sorted once per town: the dialogue asks for them at every turn (the hint).
        self._names: dict[str | None, tuple[str, ...]] = {}

    def street_names(self, town: str | None = None) -> tuple[str, ...]:
        key = fold(town) if town else None
        if key not in self._names:
            pool = self._pool(town) if town else self._everywhere
            self._names[key] = tuple(sorted({k.entry.name for k in pool.keyed}))
        return self._names[key]

    def entry(self, name: str, town: str | None) -> StreetEntry | None:
        """The street called `name` in `town` (the first of that name when no town)."""
        wanted = fold(name)
        pool = self._pool(town) if town else self._everywhere
        return next((k.entry for k in pool.keyed if fold(k.entry.name) == wanted), None)

    def _pool(self, town: str) -> _Pool:
        return self._by_town.get(fold(town)) or _Pool([])

    def match_town(self, hypotheses: Sequence[str]) -> TownMatch | None:
        best: TownMatch | None = None
        for text in hypotheses:
            heard = parse_heard(text)
            found = self.towns.find(heard.words, answer=True)
            if found is None and heard.postcode in self._postcodes:
                town = self._postcodes[heard.postcode]
                found_match = TownMatch(town, heard.postcode, 0.9, text)
            elif found is None:
                continue
            else:
                # A postcode of another town is misheard ("79 000" for 69100): not kept.
                own = self._postcodes.get(heard.postcode or "") == found.town
                postcode = heard.postcode if own else None
                found_match = TownMatch(found.town, postcode, found.score, text)
            if best is None or found_match.score > best.score:
                best = found_match
        return best

    def match_address(
        self, hypotheses: Sequence[str], town: str | None = None, street_only: bool = False
    ) -> AddressMatch | None:
        parsed = [parse_heard(t) for t in hypotheses if t.strip()]
        if not parsed:
            return None
        scored, windowed, heard_towns = self._candidates(parsed, town, street_only)
        number = next((h.number for h in parsed if h.number), None)
        said_town = town or _best_town(heard_towns) or self._postcode_town(parsed)
        if scored and (said_town or not self._outside_town(parsed)):
            # A name inside garbled words (`_windows`) is a last resort, within a known town.
            tries = [scored, scored + windowed] if said_town and windowed else [scored]
            for pool in tries:
                best = _pick(pool, said_town, lambda s: self._known(s.keyed.entry, number))
                small = said_town is not None or len(self._everywhere.keyed) <= SMALL_POOL
                score = _accepted(best, pool, cued=number is not None, relative=small)
                if score is not None:
                    return self._matched(replace(best, score=score), number, said_town, pool)
        if street_only:
            # The answer to "quelle rue ?" with no street in it: a town alone is no street.
            found_heard = _as_heard(parsed, number, said_town, self.towns.names, scored)
            return found_heard if found_heard and found_heard.street else None
        return _as_heard(parsed, number, said_town, self.towns.names, scored)

    def _candidates(
        self, parsed: list[HeardAddress], town: str | None, street_only: bool
    ) -> tuple[list[_Scored], list[_Scored], list[tuple[str, float]]]:
        """The streets each reading of each hypothesis may name, then those of the windows
        of whole words (a fallback), and the towns heard."""
        scored: list[_Scored] = []
        windowed: list[_Scored] = []
        heard_towns: list[tuple[str, float]] = []
        seen: set[tuple[tuple[str, ...], str | None]] = set()
        for heard in parsed:
            found = None if (town or street_only) else self.towns.find(heard.words)
            skips = [heard.used | (found.span if found else frozenset())]
            if found:
                heard_towns.append((found.town, found.score))
            if town is not None:
                skips.append(heard.used | self._town_words(heard, town))
            where = town or (found.town if found else None)
            readings = [v for skip in skips for v in street_variants(heard.words, skip)]
            readings += before_comma(heard.text)
            # (Within a town only: over a whole département's streets they cost and mislead.)
            windows = street_windows(heard.words, skips[-1]) if where else ()
            for sink, group in ((scored, readings), (windowed, windows)):
                for words in group:
                    if (words, where) in seen:  # n-best often differ only in a number or comma
                        continue
                    seen.add((words, where))
                    sink.extend(self._score(heard, words, where))
        # A window is a guess: only a name of two words or more, heard almost exactly.
        windowed = [w for w in windowed if w.score >= WINDOW_MIN and " " in w.keyed.core]
        return scored, windowed, heard_towns

    def _score(
        self, heard: HeardAddress, words: tuple[str, ...], town: str | None
    ) -> list[_Scored]:
        if not any(len(w) > 2 for w in words):
            return []
        kind = street_kind(words)
        core_words = [w for w in words if w not in PARTICLES and w not in HEARD_TYPES]
        heard_full = squashed_key(" ".join(words))
        heard_core = squashed_key(" ".join(core_words)) or heard_full
        # The particles kept as well: Whisper cuts names into small words ("et mise là" for
        # "Émile Zola"), which the particle list would otherwise drop.
        heard_part = squashed_key(" ".join(w for w in words if w not in HEARD_TYPES))
        if kind is None and len(heard_core) < TINY_KEY:
            return []  # "non", "ben oui": too little sound to be told from a short name
        pool = self._pool(town) if town else self._everywhere
        in_town = town is not None and bool(pool.keyed)
        if not pool.keyed:
            pool = self._everywhere
        shortlist = _shortlist(pool, heard_core, heard_part, heard_full if kind is None else None)
        out: list[_Scored] = []
        keys = _Heard(heard_full, heard_core, heard_part, " ".join(core_words), kind, _spans(words))
        for k in shortlist:
            score = _street_score(k, keys)
            if town and not in_town:
                score *= 0.95  # the town heard has no street list: any town's street, less sure
            out.append(_Scored(score, k, heard, kind))
        return out

    def _matched(
        self, best: _Scored, number: str | None, town: str | None, scored: list[_Scored]
    ) -> AddressMatch:
        entry = best.keyed.entry
        score = best.score
        city: str | None = entry.town
        postcode: str | None = entry.postcode
        rivals = {
            s.keyed.entry.town
            for s in scored
            if s.keyed.core == best.keyed.core and s.score >= best.score - 0.02
        }
        if town is None and len(rivals) > 1:
            # The same street in two towns and no town heard: do not guess the town.
            city = postcode = None
            score *= 0.8
        elif best.heard.postcode and best.heard.postcode != entry.postcode:
            score *= 0.95  # postcode heard differs (often misheard): keep the street's own
        known = self._known(entry, number)
        return AddressMatch(
            street=entry.name,
            number=number,
            postcode=postcode,
            city=city,
            score=round(min(score, 1.0), 3),
            heard=best.heard.text,
            in_area=True,
            number_known=known,
        )

    def _town_words(self, heard: HeardAddress, town: str) -> frozenset[int]:
        """Where the town already known is said again, garbled as it may be ("..., Allion"
        for "à Lyon"): read also without those words, which else stick to the street name
        (the street is read both ways: "rue de Lyon" keeps its "Lyon")."""
        found = self.towns.find(heard.words)
        return found.span if found is not None and found.town == town else frozenset()

    def _outside_town(self, parsed: list[HeardAddress]) -> bool:
        """A town said that is not one of the area's ("... à Grenoble"): the street, even if
        its name is in the list, is not the area's. (nlp.address reads the words after "à"
        without a town list; the area's towns are then compared here, by sound too.)"""
        for heard in parsed:
            addr = extract_address(heard.text, (), expecting_address=True)
            if addr and addr.city and not self.towns.find(fold(addr.city).split(), answer=True):
                return True
        return False

    def _postcode_town(self, parsed: list[HeardAddress]) -> str | None:
        """The town of a postcode heard ("69007" -> Lyon), when it is one of the area's."""
        codes = (h.postcode for h in parsed if h.postcode in self._postcodes)
        code = next(codes, None)
        return self._postcodes[code] if code else None

    def _known(self, entry: StreetEntry, number: str | None) -> bool:
        return bool(number and self._has_number and self._has_number(entry, number))


# Scores of the street names heard whole inside garbled words, on the eval runs' answers:
# 0.97-1.0; a name in words that were no address ("Sophie Martin" for Rue Saint-Martin,
# "ne marche plus" for Place du Marché) 0.84-0.92.
WINDOW_MIN = 0.95


def _shortlist(
    pool: _Pool, heard_core: str, heard_part: str, heard_full: str | None
) -> list[_Keyed]:
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
    picked: dict[int, _Keyed] = {}
    for query, keys, scorer in passes:
        for _, _, idx in process.extract(
            query, keys, scorer=scorer, limit=SHORTLIST, score_cutoff=45
        ):
            picked[idx] = pool.keyed[idx]
    return list(picked.values())


def _spans(words: tuple[str, ...]) -> list[tuple[str, int]]:
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
class _Heard:
    """The keys of one reading of the heard street words."""

    full: str  # all the words
    core: str  # without particles and type words
    part: str  # without type words
    text: str  # folded words of `core`
    kind: str | None  # the street type heard
    spans: list[tuple[str, int]]  # see `_spans`


def _street_score(k: _Keyed, heard: _Heard) -> float:
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


def _accepted(best: _Scored, scored: list[_Scored], cued: bool, relative: bool) -> float | None:
    """The score `best` is taken with, or None. Above the threshold it must not be a coin
    toss with a different street; below it, with the town known (`relative`) and a type or
    number heard, it is taken if clearly ahead of the next different street, with a lower
    score (to be checked)."""
    cued = cued or best.heard.postcode is not None or best.kind is not None
    rival = max((s.score for s in scored if s.keyed.core != best.keyed.core), default=0.0)
    margin = best.score - rival
    threshold = _threshold(best.keyed) + (0.0 if cued else NO_CUE)
    if best.score >= threshold and (best.score >= SURE or margin >= GRAY_MARGIN):
        return best.score
    if relative and cued and best.score >= RELATIVE_FLOOR and margin >= RELATIVE_MARGIN:
        return min(best.score, RELATIVE_SCORE)
    return None


def _threshold(k: _Keyed) -> float:
    """Short names are matched by chance more easily ("moulin" ~ "Colin"): they need more."""
    return STREET_THRESHOLD if len(k.core_key) >= SHORT_KEY else SHORT_THRESHOLD


def _best_town(found: list[tuple[str, float]]) -> str | None:
    return max(found, key=lambda f: f[1])[0] if found else None


def _pick(
    scored: list[_Scored], town: str | None, has_number: Callable[[_Scored], bool]
) -> _Scored:
    """Best street; among equal scores, the one in the town known, then the one with the
    postcode heard, then the one where the house number exists (Rue de la République runs
    through Lyon 1er and 2e)."""
    top = max(s.score for s in scored)
    tied = [s for s in scored if s.score >= top - 0.005]

    def rank(s: _Scored) -> tuple[bool, bool, float, bool]:
        entry = s.keyed.entry
        in_town = town is not None and fold(entry.town) == fold(town)
        return (in_town, s.heard.postcode == entry.postcode, s.score, has_number(s))

    return max(tied, key=rank)


def _as_heard(
    parsed: list[HeardAddress],
    number: str | None,
    town: str | None,
    towns: Sequence[str],
    scored: list[_Scored],
) -> AddressMatch | None:
    """Nothing in the list: the address as heard (nlp.address's parse), flagged."""
    best_score = max((s.score for s in scored), default=0.0)
    for heard in parsed:
        addr = extract_address(heard.text, towns, expecting_address=True)
        if addr is None:
            continue
        street = addr.street or ""
        if addr.number and street.startswith(addr.number + " "):
            street = street[len(addr.number) + 1 :]
        city = addr.city or town
        in_area = bool(not street and city and _known(city, towns))
        return AddressMatch(
            street=street,
            number=addr.number or number,
            postcode=addr.postcode or heard.postcode,
            city=city,
            score=round(best_score if street else (1.0 if in_area else 0.0), 3),
            heard=heard.text,
            in_area=in_area,
            number_known=False,
        )
    if town:
        return AddressMatch("", number, None, town, 1.0, parsed[0].text, True, False)
    return None


def _known(city: str, towns: Sequence[str]) -> bool:
    return fold(city) in {fold(t) for t in towns}
