"""Corrections said at the read-back: 'non, c'est 16 rue Victor Hugo', 'le nom c'est Durand',
'le numéro c'est le 07...': applied to what was collected, with the new value's confidence."""

from __future__ import annotations

from collections.abc import Sequence

from agent.dialogue import lexicon
from agent.dialogue.messages import Collected
from agent.dialogue.naming import heard_name, spelled_name, with_spelling
from agent.dialogue.places import PlaceReader
from nlp.phone_numbers import as_e164
from nlp.types import Understanding

__all__ = ["Corrector"]


class Corrector:
    def __init__(self, collected: Collected, places: PlaceReader, threshold: float) -> None:
        self.c = collected
        self.places = places
        self.threshold = threshold

    def sure(self, field: lexicon.Field) -> bool:
        c = self.c
        confidence = {"name": c.name_confidence, "phone": c.phone_confidence}.get(
            field, c.address_confidence or 0.0
        )
        return confidence >= self.threshold

    def apply(
        self,
        u: Understanding,
        text: str,
        hyps: Sequence[str],
        stt: float,
        field: lexicon.Field | None,
        confirmed: bool,
    ) -> lexicon.Field | None:
        """The field `text` corrected (None when it changed nothing). After a yes
        (`confirmed`) only a clear new value counts: "oui c'est bien mon nom" changes nothing."""
        if field == "name" or (field is None and u.name and not (u.street or u.phone)):
            return "name" if self._name(u, text, stt, confirmed) else None
        if u.street or (field == "address" and u.city):
            known = self.c.city
            place = self.places.address(hyps, stt, u, known)
            c = self.c
            if place.street:
                c.street, c.street_confidence = place.street, place.street_confidence
            if place.city:
                c.city, c.town_confidence = place.city, place.town_confidence
            c.postcode = place.postcode or c.postcode
            c.address_heard = " / ".join(p for p in (c.address_heard, place.heard) if p)
            return "address"
        phone = as_e164(u.phone)
        if phone and phone != self.c.phone:
            self.c.phone, self.c.phone_confidence = phone, stt
            return "phone"
        return None

    def _name(self, u: Understanding, text: str, stt: float, confirmed: bool) -> bool:
        c = self.c
        spelled = None if confirmed else spelled_name(text)
        if spelled:
            name: str | None = with_spelling(c.name, spelled)
        else:
            name = u.name if confirmed else heard_name(u, text)
            name = name if name and lexicon.plausible_name(name) else None
        if not name or name == c.name:
            return False
        c.name, c.name_confidence = name, stt
        return True
