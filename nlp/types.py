"""Typed results shared by the NLP package and the dialogue that consumes it."""

from __future__ import annotations

from dataclasses import dataclass, field

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
