"""The one thing the dialogue needs from the NLP package, as a narrow protocol."""

from __future__ import annotations

from typing import Literal, Protocol

from nlp.types import Understanding

__all__ = ["Expecting", "Understander"]

Expecting = Literal["problem", "name", "address", "phone"]


class Understander(Protocol):
    def understand(
        self, text: str, trade: str, expecting: Expecting | None = None
    ) -> Understanding: ...
