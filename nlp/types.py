"""Typed results shared by the NLP package and the dialogue that consumes it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

TRADES: tuple[str, ...] = (
    "plombier",
    "serrurier",
    "electricien",
    "chauffagiste",
    "couvreur",
    "vitrier",
    "generique",
)


class UnknownTradeError(ValueError):
    """The trade named is not one the classifier knows."""


@dataclass(frozen=True)
class Understanding:
    """What one caller utterance (or a whole transcript) tells us.

    Every slot is None when the text does not contain it; `phone` is E.164 (+33...) when it
    could be normalised, else the national digits heard.
    """

    urgent: bool
    category: str
    confidence: float
    name: str | None = None
    street: str | None = None
    postcode: str | None = None
    city: str | None = None
    phone: str | None = None
    summary: str = ""
    reasons: tuple[str, ...] = field(default_factory=tuple)
    # True/False when a city was heard and a service-area town list is configured.
    in_service_area: bool | None = None
    # The model alone decided `urgent`, unsure either way: worth asking the caller.
    urgency_unsure: bool = False


@dataclass(frozen=True)
class AddressMatch:
    """A heard address matched to the service area's streets (BAN), or kept as heard.

    `street` is the canonical street name without number ("Rue Garibaldi"); `number` the house
    number with its suffix ("12", "12 bis") or None. `in_area` is False when nothing in the
    area file matched well enough: the fields are then the words heard, flagged for checking.
    """

    street: str
    number: str | None
    postcode: str | None
    city: str | None
    score: float  # 0..1: how well the heard words matched (1.0 = exact)
    heard: str  # the raw words the match was made from
    in_area: bool = True
    number_known: bool = False  # this house number exists for this street in the area file

    @property
    def street_line(self) -> str:
        """'12 bis Rue Garibaldi' (what the lead and the read-back show)."""
        return f"{self.number} {self.street}" if self.number else self.street


@dataclass(frozen=True)
class TownMatch:
    city: str
    postcode: str | None
    score: float  # 0..1
    heard: str
    in_area: bool = True  # False: a neighbouring town, not served (nlp.gazetteer)


class ServiceArea(Protocol):
    """The towns and streets served (from `[business] towns` and `[area] addresses`)."""

    def towns(self) -> tuple[str, ...]: ...

    def neighbour_towns(self) -> tuple[str, ...]:
        """The towns around the area, not served (nearest first); () when unknown."""
        ...

    def street_names(self, town: str | None = None) -> tuple[str, ...]:
        """Street names of `town` (all towns when None), for recognition hints."""
        ...

    def match_address(
        self, hypotheses: Sequence[str], town: str | None = None
    ) -> AddressMatch | None:
        """Best street (+ number, town) for what was heard, over Whisper's n-best; a known
        `town` restricts and disambiguates. None when nothing like an address was heard."""
        ...

    def match_street(self, hypotheses: Sequence[str], town: str | None) -> AddressMatch | None:
        """The street alone (answer to "quelle rue ?"), within `town` when known."""
        ...

    def match_town(self, hypotheses: Sequence[str]) -> TownMatch | None:
        """A town of the area heard in the hypotheses (answer to "dans quelle ville ?")."""
        ...

    def house_numbers(self, street: str, town: str | None) -> tuple[str, ...]:
        """The house numbers of a street of the area ("1", "3bis"...); () when unknown."""
        ...
