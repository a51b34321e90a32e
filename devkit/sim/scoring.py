"""Scores a simulated call (a `decroche simulate --json` report) against its persona's [expect].

Pure functions, no I/O. Text is compared normalised (case, accents, hyphens, punctuation), so
"Caluire et Cuire" matches "Caluire-et-Cuire" but "Léon" does not match "Lyon".
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["FIELDS", "Score", "Summary", "normalise", "score", "summarise"]

# The fields the artisan needs, in the order they are reported.
FIELDS = ("urgency", "town", "street", "surname", "callback", "row_closed")
TARGETS = {"urgency": 0.95, "town": 0.95, "street": 0.80, "surname": 0.70, "callback": 1.0}
MAX_ASKS = 2  # no question asked more than twice
# Asked while the artisan's mobile rings on urgent calls: reported apart for calls put through.
RINGING_FIELDS = ("street", "surname")


def normalise(text: str | None) -> str:
    """Lower case, no accents, hyphens and punctuation as spaces, single spaces."""
    if not text:
        return ""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch)).lower()
    plain = re.sub(r"[^a-z0-9]+", " ", plain)
    return " ".join(plain.split())


def _has_words(haystack: str | None, needle: str) -> bool:
    return f" {normalise(needle)} " in f" {normalise(haystack)} "


@dataclass(frozen=True)
class Score:
    persona: str
    fields: Mapping[str, bool | None]  # None: not scored for this persona
    max_asks: int
    turn_ms: tuple[int, ...]
    got: Mapping[str, Any]
    put_through: bool = False  # the lead's outcome is "transferred": the artisan took the call


def score(report: Mapping[str, Any], expect: Mapping[str, Any]) -> Score:
    lead: Mapping[str, Any] = report.get("lead") or {}
    fields: dict[str, bool | None] = dict.fromkeys(FIELDS)
    if "urgent" in expect:
        fields["urgency"] = bool(lead) and bool(lead.get("urgent")) == bool(expect["urgent"])
    if "town" in expect:
        fields["town"] = normalise(lead.get("city")) == normalise(expect["town"])
    # Street with its number, scored only where the street is in the area file (the
    # target's definition; one outside it is kept as heard and flagged). `in_file` is set by
    # the evaluation from the area file the calls ran with.
    if "street" in expect and expect.get("in_area", True) and expect.get("in_file", True):
        wanted = f"{expect.get('number', '')} {expect['street']}"
        fields["street"] = normalise(lead.get("street")) == normalise(wanted)
    if "surname" in expect:
        fields["surname"] = _has_words(lead.get("name"), str(expect["surname"]))
    if "phone" in expect:
        fields["callback"] = lead.get("caller_number") == expect["phone"]
    fields["row_closed"] = bool((report.get("call") or {}).get("ended_at"))
    asks = Counter(report.get("questions", ()))
    got = {k: lead.get(k) for k in ("urgent", "name", "street", "postcode", "city")}
    got["caller_number"] = lead.get("caller_number")
    return Score(
        persona=str(report.get("persona", "?")),
        fields=fields,
        max_asks=max(asks.values(), default=0),
        turn_ms=tuple(int(t) for t in report.get("turn_ms", ())),
        got=got,
        put_through=lead.get("outcome") == "transferred",
    )


@dataclass(frozen=True)
class Summary:
    rates: Mapping[str, tuple[int, int]]  # field -> (right, scored)
    max_asks: int
    over_asked: tuple[str, ...]  # personas asked one question more than MAX_ASKS times
    turn_ms_median: float | None
    calls: int
    # The fields urgent calls collect while the mobile rings, on calls put through and not.
    put_through: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    not_put_through: Mapping[str, tuple[int, int]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "calls": self.calls,
            "fields": {
                name: {"right": r, "scored": n, "rate": round(r / n, 3) if n else None}
                for name, (r, n) in self.rates.items()
            },
            "put_through": {k: list(v) for k, v in self.put_through.items()},
            "not_put_through": {k: list(v) for k, v in self.not_put_through.items()},
            "max_asks": self.max_asks,
            "over_asked": list(self.over_asked),
            "turn_ms_median": self.turn_ms_median,
        }


def _rates(scores: Sequence[Score], names: Sequence[str]) -> dict[str, tuple[int, int]]:
    """(right, scored) per field."""
    rates = {}
    for name in names:
        marks = [s.fields[name] for s in scores if s.fields[name] is not None]
        rates[name] = (sum(1 for m in marks if m), len(marks))
    return rates


def summarise(scores: Sequence[Score]) -> Summary:
    turns = [t for s in scores for t in s.turn_ms]
    through = [s for s in scores if s.put_through]
    return Summary(
        rates=_rates(scores, FIELDS),
        max_asks=max((s.max_asks for s in scores), default=0),
        over_asked=tuple(s.persona for s in scores if s.max_asks > MAX_ASKS),
        turn_ms_median=statistics.median(turns) if turns else None,
        calls=len(scores),
        put_through=_rates(through, RINGING_FIELDS),
        not_put_through=_rates([s for s in scores if not s.put_through], RINGING_FIELDS),
    )
