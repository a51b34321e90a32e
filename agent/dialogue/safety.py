"""Dangers the caller must be told how to face before anything else: gas, carbon monoxide,
fire or smoke, sparks, water on the wiring. The NLP's safety rules detect them; this says
which advice applies.

Each advice is a DialogueSettings phrase (safety_gas, safety_co, safety_fire, safety_sparks),
said at most once a call. Flooding and a person locked in make the call urgent (the NLP does
that) but need no instruction the caller does not already know.
"""

from __future__ import annotations

import re

from nlp.rules import safety_reasons
from nlp.text import fold

__all__ = ["SAFETY_KEYS", "advice_keys"]

SAFETY_KEYS = ("safety_gas", "safety_co", "safety_fire", "safety_sparks")
_BY_REASON = {
    "gas smell": "safety_gas",
    "carbon monoxide": "safety_co",
    "fire or smoke": "safety_fire",
    "sparks or electric shock": "safety_sparks",
    # Water on the wiring: the same first step, cut the main breaker without touching anything.
    "water on electrics": "safety_sparks",
}
# A burning smell or smoke at the fuse box is the electrical case: cut the main breaker first.
_ELECTRICAL = re.compile(
    r"\b(?:tableau|disjoncteur|fusibles?|prises?|compteur|electrique|interrupteur|fils?)\b"
)
_FLAMES = re.compile(r"\b(?:flammes?|en feu|pris feu|prend feu|incendie)\b")


def advice_keys(text: str) -> tuple[str, ...]:
    """The safety phrases `text` calls for, most urgent first (gas before anything)."""
    reasons = {rule.reason for rule in safety_reasons(text)}
    keys = [_BY_REASON[r] for r in _BY_REASON if r in reasons]
    folded = fold(text, keep_apostrophes=True)
    if "safety_fire" in keys and _ELECTRICAL.search(folded) and not _FLAMES.search(folded):
        # "ça sent le brûlé dans le tableau électrique": smoke of wiring, not a house fire.
        keys.remove("safety_fire")
        keys.append("safety_sparks")
    if "safety_co" in keys and "safety_gas" in keys:
        keys.remove("safety_co")  # the gas advice already says leave; one exit message is enough
    return tuple(dict.fromkeys(keys))
