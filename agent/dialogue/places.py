"""Reading an address answer: matched to the service area's streets and towns when there is
one (over Whisper's n-best), else the NLP's reading of the words, with a confidence each.

How sure a field is (0..1):
- a closed-set match (a street or a town of the area) is worth its match
  score, discounted by up to half when Whisper itself was unsure: `score x (0.5 + 0.5 x stt)`.
  Matching garbled words to the area's list is what works on the phone line (DESIGN §6: 12 of
  15 streets found from transcripts that were mostly wrong), so a low token probability alone
  must not condemn a good match;
- an open answer (a surname, a phone number: any ten digits make a valid one) is worth
  Whisper's token probability alone: nothing checks it but the caller (a second reading that
  agrees, or the read-back).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from nlp.text import fold
from nlp.types import AddressMatch, ServiceArea, TownMatch, Understanding

__all__ = [
    "NO_NUMBER",
    "OUTSIDE_AREA",
    "ROUND_NUMBER",
    "UNKNOWN_NUMBER",
    "Place",
    "PlaceReader",
    "matched",
    "renumbered",
]

# A street without its house number is not an address the artisan can go to: always below the
# default threshold, so the street is asked again once ("avec le numéro"), then flagged.
NO_NUMBER = 0.5
# A number the address base does not list for that street is often a misheard one ("12" heard
# "D'où" ...); a little less sure, not enough alone to re-ask a good street match.
UNKNOWN_NUMBER = 0.9
# A round ten ("40", "80", "130" heard "30") is often a compound number cut short by the
# line: "quarante-deux" heard "40 de", "quatre-vingt-dix" "80", "cinquante-deux" "50" (6 of
# the 15 house numbers missed in a `make eval-calls` run were round tens, and 0 of the 23
# right ones). Below the threshold, so the street is asked once more, "avec le numéro": a
# number that ends the answer ("Cours Vitton, au 90.") is heard right where the same number
# opening it is not (Pico through μ-law, 5 of 5 against 0 of 3).
ROUND_NUMBER = 0.55
# The score given to words kept as heard when the area has a list and nothing in it matched:
# below any sensible threshold, so the address is re-asked, then marked to check.
OUTSIDE_AREA = 0.5
_LEADING_NUMBER = re.compile(r"^\d+")
_HOUSE_NUMBER = re.compile(r"^(\d+)(?:\s+(?:bis|ter|quater)\b)?\s*", re.IGNORECASE)
_NUMBER_AND_WORD = re.compile(r"(?=.*\d)(?=.*[^\W\d_]{3})")
# "à" then one to three words ending the answer: where a caller says the town.
_SAID_TOWN = re.compile(r"(?:^|[\s,])a\s+[a-z][\w'-]*(?:\s+[\w'-]+){0,2}\W*$")


def matched(score: float, stt: float) -> float:
    """Confidence of a closed-set match (see the module docstring)."""
    return max(0.0, min(1.0, score * (0.5 + 0.5 * stt)))


@dataclass(frozen=True)
class Place:
    """What one answer said about the address. Confidences are 0.0 for what it did not say."""

    heard: str
    street: str | None = None  # the street line, number first: "12 Rue Garibaldi"
    postcode: str | None = None
    city: str | None = None
    street_confidence: float = 0.0
    town_confidence: float = 0.0


class PlaceReader:
    def __init__(self, area: ServiceArea | None, threshold: float) -> None:
        self.area = area
        self.threshold = threshold

    def address(
        self,
        hyps: Sequence[str],
        stt: float,
        u: Understanding,
        known_town: str | None,
        town_before: str | None = None,
    ) -> Place:
        """A whole address answer; `known_town` (already sure) restricts the street search
        unless the answer names a town of its own; `town_before` is the town kept so far,
        however unsure."""
        if self.area is None:
            return _from_nlp(hyps[0], stt, u, outside=False)
        any_town = self.area.match_town(hyps)
        heard_town = self._sure_town(any_town, stt)
        town = heard_town.city if heard_town else known_town
        match = self.area.match_address(hyps, town=town)
        # Nothing like an address of the area: the NLP or the matcher may still read one
        # as heard (kept, flagged).
        if match is None:
            place = _from_nlp(hyps[0], stt, u, outside=True)
        else:
            place = _from_match(match, stt, hyps[0])
        as_heard = match is None or not match.in_area
        named = any_town is not None and any_town.city == place.city
        if (known_town or town_before) and place.city and as_heard and not named:
            # A town no one knows, read in garbled words ("Gilles Orban", "Gleurban",
            # "Gilbert-Dan" for Villeurbanne in whole calls), does not replace the town the
            # caller gave, even heard unsure: it is no likelier to be right.
            place = replace(place, postcode=None, city=None, town_confidence=0.0)
        if heard_town is not None:
            conf = matched(heard_town.score, stt)
            return _with_town(place, heard_town.city, heard_town.postcode, conf)
        if not known_town and place.city and any_town is None and _town_unread(hyps):
            # The town was said ("..., à mes yeux." for Meyzieu) and read as none: the town
            # the street alone points to (Rue de la République: Lyon) is only a guess.
            doubt = matched(OUTSIDE_AREA, stt)
            place = replace(place, town_confidence=min(place.town_confidence, doubt))
        return place

    def street(self, hyps: Sequence[str], stt: float, u: Understanding, town: str | None) -> Place:
        """The answer to "Quelle est la rue, avec le numéro ?", within `town` when known."""
        if self.area is None:
            return _from_nlp(hyps[0], stt, u, outside=False, bare_street=True)
        match = self.area.match_street(hyps, town) or self.area.match_address(hyps, town=town)
        if match is None:
            return _from_nlp(hyps[0], stt, u, outside=True, bare_street=True)
        return _from_match(match, stt, hyps[0])

    def rematch(self, hyps: Sequence[str], stt: float, town: str) -> Place | None:
        """The street words heard before, matched again now that the town is known (a street
        that exists in two towns is resolved by the town)."""
        if self.area is None or not hyps:
            return None
        match = self.area.match_address(hyps, town=town)
        return None if match is None or not match.in_area else _from_match(match, stt, hyps[0])

    def town(self, hyps: Sequence[str], stt: float, u: Understanding) -> Place:
        """The answer to "Dans quelle ville ?"."""
        if self.area is None:
            conf = matched(0.0 if u.in_service_area is False and u.city else 1.0, stt)
            return Place(hyps[0], postcode=u.postcode, city=u.city, town_confidence=conf)
        found = self.area.match_town(hyps)
        if found is None:
            return Place(hyps[0])
        if not found.in_area:  # a neighbouring town, named right, not served: flagged
            return Place(hyps[0], city=found.city, town_confidence=matched(OUTSIDE_AREA, stt))
        return Place(hyps[0], postcode=found.postcode, city=found.city,
                     town_confidence=matched(found.score, stt))  # fmt: skip

    def _sure_town(self, found: TownMatch | None, stt: float) -> TownMatch | None:
        """`found` (the town the answer names, if any) when it is served and sure."""
        if found is None or not found.in_area or matched(found.score, stt) < self.threshold:
            return None
        return found


def _from_match(match: AddressMatch, stt: float, heard: str) -> Place:
    """`heard` is the transcript itself (the raw words), whichever hypothesis matched."""
    if not match.street:
        # A town (and maybe a number) but no street: a number alone is no street line.
        town_conf = matched(match.score, stt) if match.city and match.in_area else 0.0
        return Place(heard, None, match.postcode, match.city, 0.0, town_conf)
    conf = matched(match.score, stt)
    if not match.in_area:
        conf = min(conf, matched(OUTSIDE_AREA, stt))
    if match.number is None:
        conf *= NO_NUMBER
    elif match.in_area and not match.number_known:
        conf *= UNKNOWN_NUMBER
    conf *= _round_doubt(match.street_line)
    town_conf = matched(match.score, stt) if match.city and match.in_area else 0.0
    return Place(heard, match.street_line, match.postcode, match.city, conf, town_conf)


def _from_nlp(
    text: str, stt: float, u: Understanding, outside: bool, bare_street: bool = False
) -> Place:
    """The NLP's reading: the words as heard, sure only as far as Whisper was."""
    street = u.street
    if bare_street and not street:
        # "Garibaldi, au 12": the NLP wants a street type to see a street; a short answer to
        # the street question with a number and a word is kept as said (flagged, low score).
        short = len(text.split()) <= 6 and _NUMBER_AND_WORD.search(text) is not None
        street = text.strip(" .,!?") if short else None
    conf = 0.0
    if street:
        conf = matched(OUTSIDE_AREA if outside or (bare_street and not u.street) else 1.0, stt)
        conf *= _round_doubt(street) if _LEADING_NUMBER.match(street) else NO_NUMBER
    town_conf = 0.0
    if u.city:
        town_conf = matched(OUTSIDE_AREA if u.in_service_area is False else 1.0, stt)
    return Place(text, street, u.postcode, u.city, conf, town_conf)


def _town_unread(hyps: Sequence[str]) -> bool:
    """A hypothesis ends with words said as a town ("..., à mes yeux.")."""
    return any(_SAID_TOWN.search(fold(h)) for h in hyps)


def _with_town(place: Place, city: str, postcode: str | None, conf: float) -> Place:
    # The matched street's own postcode (from the address base) beats one heard.
    own = place.postcode if place.city == city and place.street else None
    return Place(
        place.heard,
        place.street,
        own or postcode or place.postcode,
        city,
        place.street_confidence,
        max(conf, place.town_confidence if place.city == city else 0.0),
    )


def _round_doubt(street_line: str) -> float:
    """ROUND_NUMBER for a street line opening with a round ten from 20 ("40 Rue ..."), else 1."""
    found = _HOUSE_NUMBER.match(street_line)
    number = int(found.group(1)) if found else 0
    return ROUND_NUMBER if number >= 20 and number % 10 == 0 else 1.0


def renumbered(before: str, after: str) -> bool:
    """`after` is the street of `before` with a house number of its own: the answer to "Quelle
    est la rue, avec le numéro ?" naming the same street, whose number is then the one to
    keep (said when asked for, often at the end of the answer, where the line garbles it
    less)."""
    found = _HOUSE_NUMBER.match(after)
    if found is None:
        return False
    return _HOUSE_NUMBER.sub("", before).casefold() == _HOUSE_NUMBER.sub("", after).casefold()
