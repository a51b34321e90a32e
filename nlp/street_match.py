"""Match heard addresses to the streets and towns of the service area (pure, no I/O).

Whisper base through a phone line garbles street names ("18 courremis de la Villeurbanne" for
"18 cours Émile Zola, Villeurbanne"), so each street is compared by sound (French phonetic
keys, squashed so that misplaced word cuts do not matter) and by spelling, with rapidfuzz.
Keys are computed once per street when the index is built; a query scores every street of the
town in C (rapidfuzz.process) and rescores only the best few dozen in Python.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from nlp.address import extract_address
from nlp.heard_address import (
    HEARD_TYPES,
    PARTICLES,
    HeardAddress,
    before_comma,
    parse_heard,
    street_corrected,
    street_kind,
    street_variants,
    street_windows,
)
from nlp.phonetic import squashed_key
from nlp.street_scoring import (
    SMALL_POOL,
    TINY_KEY,
    WINDOW_MIN,
    HeardKeys,
    Keyed,
    Pool,
    Scored,
    StreetEntry,
    accept_score,
    heard_spans,
    key_street,
    pick_best,
    shortlist_streets,
    street_score,
)
from nlp.text import fold
from nlp.towns import TownFound, TownIndex
from nlp.types import AddressMatch, TownMatch

__all__ = ["HasNumber", "StreetEntry", "StreetMatcher"]


HasNumber = Callable[[StreetEntry, str], bool]

# How much better words must name a neighbouring town than a served one to be read as it:
# a served town heard garbled keeps the benefit of the doubt.
OUTSIDE_LEAD = 0.05
# And how well at least: 98 towns said alone by Pico through μ-law (four areas, served and
# neighbouring): of the neighbours matched, the 4 wrong ones ("C'est très beau." as Bouaye
# for Orvault) scored 0.71-0.76, 18 of the 22 right ones 0.8 or more.
OUTSIDE_MIN = 0.78


class StreetMatcher:
    """The area's streets, keyed for matching; `has_number` tells whether a house number
    exists for a street (the caller keeps the numbers out of memory, e.g. in SQLite)."""

    def __init__(
        self,
        streets: Iterable[StreetEntry],
        towns: Sequence[str],
        has_number: HasNumber | None = None,
        neighbours: Sequence[str] = (),
    ) -> None:
        self._all = [key_street(s) for s in streets]
        self.towns = TownIndex(towns)
        # Towns around, not served: a served town is not taken from words that name one of
        # them better ("ville srange sur sonne" is Villefranche-sur-Saône, not Villeurbanne).
        self.outside = TownIndex(neighbours)
        self._has_number = has_number
        by_town: dict[str, list[Keyed]] = {}
        for k in self._all:
            by_town.setdefault(fold(k.entry.town), []).append(k)
        self._by_town = {town: Pool(keyed) for town, keyed in by_town.items()}
        self._everywhere = Pool(self._all)
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

    def _pool(self, town: str) -> Pool:
        return self._by_town.get(fold(town)) or Pool([])

    def match_town(self, hypotheses: Sequence[str]) -> TownMatch | None:
        best: TownMatch | None = None
        for rank, text in enumerate(hypotheses):
            heard = parse_heard(text)
            if rank and self.towns.named(heard.words) >= 2:
                continue  # a lower reading listing two towns is the prompt read back
            found = self.towns.find(heard.words, answer=True)
            other = self._nearer_outside(heard.words, found)
            if other is not None:
                found_match = TownMatch(other.town, None, other.score, text, in_area=False)
            elif found is None and heard.postcode in self._postcodes:
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

    def _towns_known(self, said: str | None, heard: Sequence[str] = ()) -> tuple[str, bool] | None:
        """The town of an address heard, as the area knows it: (name, served), or None when
        no town was said. A neighbour is named right ("le franche sur sonne" is
        Villefranche-sur-Saône); where the words read as the town name none, or none were
        read, a neighbour the answer's words `heard` end with ("..., Avile Srange sur
        Sonne."); any other town said is kept as heard."""
        if said:
            words = fold(said).split()
            served = self.towns.find(words, answer=True)
            other = self._nearer_outside(words, served)
            if other is not None:
                return other.town, False
            if served is not None and fold(served.town) == fold(said):
                return served.town, True
        last = self._outside_after_street(heard)
        if last is not None:
            return last, False
        return (said, False) if said else None

    def _outside_after_street(self, heard: Sequence[str]) -> str | None:
        """A neighbour named by the words `heard`, not as part of a street's name ("rue de
        Vienne")."""
        other = self._nearer_outside(heard, self.towns.find(heard)) if heard else None
        if other is None or not other.span:
            return None
        first = min(other.span)
        return other.town if first > 0 and heard[first - 1] not in PARTICLES else None

    def _nearer_outside(self, words: Sequence[str], served: TownFound | None) -> TownFound | None:
        """A neighbouring town said in `words` that they name better than `served` (which
        may be None: no served town at all)."""
        other = self.outside.find(words, answer=True)
        if other is None or other.score < OUTSIDE_MIN:
            return None
        # A neighbour said over the served town's words and more holds its name
        # ("Artigues-près-Bordeaux", "Sainte-Foy-lès-Lyon"): the longer name was said.
        holds = served is not None and served.span < other.span
        if served is not None and not holds and other.score <= served.score + OUTSIDE_LEAD:
            return None
        return other

    def _served_town(self, words: Sequence[str]) -> TownFound | None:
        """The served town said in an address, unless the words name a neighbour better."""
        found = self.towns.find(words)
        return None if found and self._nearer_outside(words, found) else found

    def match_address(
        self, hypotheses: Sequence[str], town: str | None = None, street_only: bool = False
    ) -> AddressMatch | None:
        parsed = [parse_heard(street_corrected(t)) for t in hypotheses if t.strip()]
        if not parsed:
            return None
        scored, windowed, heard_towns = self._candidates(parsed, town, street_only)
        number = next((h.number for h in parsed if h.number), None)
        said_town = town or _best_town(heard_towns) or self._postcode_town(parsed)
        if scored and (said_town or not self._outside_town(parsed)):
            # A name inside garbled words (`_windows`) is a last resort, within a known town.
            tries = [scored, scored + windowed] if said_town and windowed else [scored]
            for pool in tries:
                best = pick_best(pool, said_town, lambda s: self._known(s.keyed.entry, number))
                small = said_town is not None or len(self._everywhere.keyed) <= SMALL_POOL
                score = accept_score(best, pool, cued=number is not None, relative=small)
                if score is not None:
                    return self._matched(replace(best, score=score), number, said_town, pool)
        if street_only:
            # The answer to "quelle rue ?" with no street in it: a town alone is no street.
            found_heard = _as_heard(
                parsed, number, said_town, self.towns.names, self._towns_known, scored
            )
            return found_heard if found_heard and found_heard.street else None
        return _as_heard(parsed, number, said_town, self.towns.names, self._towns_known, scored)

    def _candidates(
        self, parsed: list[HeardAddress], town: str | None, street_only: bool
    ) -> tuple[list[Scored], list[Scored], list[tuple[str, float]]]:
        """The streets each reading of each hypothesis may name, then those of the windows
        of whole words (a fallback), and the towns heard."""
        scored: list[Scored] = []
        windowed: list[Scored] = []
        heard_towns: list[tuple[str, float]] = []
        seen: set[tuple[tuple[str, ...], str | None]] = set()
        for heard in parsed:
            found = None if (town or street_only) else self._served_town(heard.words)
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

    def _score(self, heard: HeardAddress, words: tuple[str, ...], town: str | None) -> list[Scored]:
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
        shortlist = shortlist_streets(
            pool, heard_core, heard_part, heard_full if kind is None else None
        )
        out: list[Scored] = []
        keys = HeardKeys(
            heard_full, heard_core, heard_part, " ".join(core_words), kind, heard_spans(words)
        )
        for k in shortlist:
            score = street_score(k, keys)
            if town and not in_town:
                score *= 0.95  # the town heard has no street list: any town's street, less sure
            out.append(Scored(score, k, heard, kind))
        return out

    def _matched(
        self, best: Scored, number: str | None, town: str | None, scored: list[Scored]
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
        without a town list; the area's towns are then compared here, by sound too.) The
        likeliest hypothesis that names a town decides: a lower one's garbled town ("59 500
        Ronde" under "59 500 rond", which sounds like Bron) does not veto the area's street."""
        for heard in parsed:
            addr = extract_address(heard.text, (), expecting_address=True)
            if not (addr and addr.city):
                continue
            words = fold(addr.city).split()
            served = self.towns.find(words, answer=True)
            return served is None or self._nearer_outside(words, served) is not None
        return False

    def _postcode_town(self, parsed: list[HeardAddress]) -> str | None:
        """The town of a postcode heard ("69007" -> Lyon), when it is one of the area's."""
        codes = (h.postcode for h in parsed if h.postcode in self._postcodes)
        code = next(codes, None)
        return self._postcodes[code] if code else None

    def _known(self, entry: StreetEntry, number: str | None) -> bool:
        return bool(number and self._has_number and self._has_number(entry, number))


def _best_town(found: list[tuple[str, float]]) -> str | None:
    return max(found, key=lambda f: f[1])[0] if found else None


def _as_heard(
    parsed: list[HeardAddress],
    number: str | None,
    town: str | None,
    towns: Sequence[str],
    known: Callable[[str | None, Sequence[str]], tuple[str, bool] | None],
    scored: list[Scored],
) -> AddressMatch | None:
    """Nothing in the list: the address as heard (nlp.address's parse), flagged; the town
    as `known` names it (a neighbouring town spelled right)."""
    best_score = max((s.score for s in scored), default=0.0)
    for heard in parsed:
        addr = extract_address(heard.text, towns, expecting_address=True)
        if addr is None:
            continue
        street = addr.street or ""
        if addr.number and street.startswith(addr.number + " "):
            street = street[len(addr.number) + 1 :]
        city, served = known(addr.city, heard.words) or (town, town is not None)
        in_area = bool(not street and city and served)
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
