"""A small in-memory ServiceArea for dialogue tests (the real one, agent/area, reads BAN).

Matching is deliberately simple and predictable: a street or town whose name appears in a
hypothesis (accents and case folded) matches with score 1.0; `garbled` maps words Whisper is
known to make of them to a match with a chosen score, so tests decide how sure the ear is.
A street found in several towns, with no town given, comes back without a town.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from nlp.text import fold
from nlp.types import AddressMatch, TownMatch

_NUMBER = re.compile(r"\b(\d+)(?: (bis|ter))?\b")


@dataclass
class FakeArea:
    streets: Mapping[str, tuple[str, ...]]  # town -> street names
    postcodes: Mapping[str, str]
    # folded words heard -> (street, score) / (town, score)
    garbled_streets: Mapping[str, tuple[str, float]] = field(default_factory=dict)
    garbled_towns: Mapping[str, tuple[str, float]] = field(default_factory=dict)
    calls: list[tuple[str, tuple[str, ...], str | None]] = field(default_factory=list)

    def towns(self) -> tuple[str, ...]:
        return tuple(self.streets)

    def neighbour_towns(self) -> tuple[str, ...]:
        return ()

    def street_names(self, town: str | None = None) -> tuple[str, ...]:
        if town is None:
            return tuple(dict.fromkeys(s for names in self.streets.values() for s in names))
        return self.streets.get(town, ())

    def house_numbers(self, street: str, town: str | None) -> tuple[str, ...]:
        return ()

    def match_town(self, hypotheses: Sequence[str]) -> TownMatch | None:
        self.calls.append(("town", tuple(hypotheses), None))
        for hyp in hypotheses:
            folded = f" {fold(hyp, keep_apostrophes=True)} "
            for town in self.streets:
                if f" {fold(town, keep_apostrophes=True)} " in folded:
                    return TownMatch(town, self.postcodes[town], 1.0, hyp)
            for heard, (town, score) in self.garbled_towns.items():
                if heard in folded:
                    return TownMatch(town, self.postcodes[town], score, hyp)
        return None

    def match_address(
        self, hypotheses: Sequence[str], town: str | None = None
    ) -> AddressMatch | None:
        self.calls.append(("address", tuple(hypotheses), town))
        return self._match(hypotheses, town)

    def match_street(self, hypotheses: Sequence[str], town: str | None) -> AddressMatch | None:
        self.calls.append(("street", tuple(hypotheses), town))
        return self._match(hypotheses, town)

    def _match(self, hypotheses: Sequence[str], town: str | None) -> AddressMatch | None:
        for hyp in hypotheses:
            folded = fold(hyp, keep_apostrophes=True)
            number = _NUMBER.search(folded)
            said = " ".join(p for p in (number.groups() if number else ()) if p) or None
            found = self._street_in(folded, town)
            if found is None:
                continue
            street, score, towns = found
            city = town or (towns[0] if len(towns) == 1 else None)
            postcode = self.postcodes[city] if city else None
            return AddressMatch(street, said, postcode, city, score, hyp, True, said is not None)
        return None

    def _street_in(self, folded: str, town: str | None) -> tuple[str, float, list[str]] | None:
        towns = [town] if town else list(self.streets)
        for street in self.street_names(town):
            if fold(street, keep_apostrophes=True) in folded:
                return street, 1.0, [t for t in towns if street in self.streets.get(t, ())]
        for heard, (street, score) in self.garbled_streets.items():
            if heard in folded:
                return street, score, [t for t in towns if street in self.streets.get(t, ())]
        return None


def lyon_area(**changes: object) -> FakeArea:
    values: dict[str, object] = {
        "streets": {
            "Lyon": ("Rue Garibaldi", "Rue de la République", "Place Bellecour"),
            "Villeurbanne": ("Avenue Jean Jaurès", "Rue de la République", "Cours Émile Zola"),
            "Bron": ("Rue des Lilas", "Avenue Franklin Roosevelt"),
        },
        "postcodes": {"Lyon": "69003", "Villeurbanne": "69100", "Bron": "69500"},
    }
    values.update(changes)
    return FakeArea(**values)  # type: ignore[arg-type]
