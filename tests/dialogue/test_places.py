"""PlaceReader on matches the area can return: a town with a number but no street."""

from __future__ import annotations

from collections.abc import Sequence

from agent.dialogue.places import PlaceReader
from nlp.types import AddressMatch, TownMatch, Understanding


class _TownOnlyArea:
    """An area whose street matcher finds only the town (Whisper lost the street name)."""

    def towns(self) -> tuple[str, ...]:
        return ("Villeurbanne",)

    def street_names(self, town: str | None = None) -> tuple[str, ...]:
        return ("Cours Émile Zola",)

    def match_address(
        self, hypotheses: Sequence[str], town: str | None = None
    ) -> AddressMatch | None:
        return AddressMatch("", "40", None, "Villeurbanne", 1.0, hypotheses[0], True, False)

    def match_street(self, hypotheses: Sequence[str], town: str | None) -> AddressMatch | None:
        return None

    def match_town(self, hypotheses: Sequence[str]) -> TownMatch | None:
        return None


def test_a_number_alone_is_not_stored_as_the_street() -> None:
    reader = PlaceReader(_TownOnlyArea(), threshold=0.7)
    heard = ["40 de cour et mise là."]
    for place in (
        reader.street(heard, 0.9, Understanding(False, "other", 0.5), "Villeurbanne"),
        reader.address(heard, 0.9, Understanding(False, "other", 0.5), "Villeurbanne"),
    ):
        assert place.street is None and place.street_confidence == 0.0
        assert place.city == "Villeurbanne"
