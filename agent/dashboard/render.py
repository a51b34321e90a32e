"""What the templates print: French labels, dates in the artisan's zone, relative times, links.

No HTML is built here: the templates (agent/dashboard/templates) escape every value by default.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote_plus
from zoneinfo import ZoneInfo

from agent.calendar.model import Slot
from agent.dialogue.slot_words import say_slot
from agent.leads.model import Lead
from nlp.phone_numbers import read_back

__all__ = [
    "CALL_OUTCOMES",
    "LEAD_OUTCOMES",
    "SMS_KINDS",
    "SMS_STATUSES",
    "SPEAKERS",
    "STATUS_LABELS",
    "duration",
    "french_number",
    "local_time",
    "map_url",
    "parse_stamp",
    "relative_time",
    "strip_bidi",
    "tel_target",
    "turn_sure",
    "turn_when",
    "visit_label",
]

STATUS_LABELS = {"new": "Nouveau", "called_back": "Rappelé", "won": "Gagné", "lost": "Perdu"}
LEAD_OUTCOMES = {
    "transferred": "Transféré au mobile",
    "callback_needed": "À rappeler",
    "spam": "Démarchage / spam",
    "no_info": "Sans information",
}
CALL_OUTCOMES = {
    **LEAD_OUTCOMES,
    "in_progress": "En cours",
    "completed": "Terminé",
    "caller_hangup": "Raccroché par l'appelant",
    "agent_error": "Erreur de l'agent",
}
SPEAKERS = {"caller": "Client", "agent": "Standard", "system": "Système"}
SMS_STATUSES = {"pending": "En attente", "sent": "Envoyé", "failed": "Échec"}
SMS_KINDS = {
    "caller_recap": "Récap. client",
    "artisan_recap": "Récap. artisan",
    "caller_missed": "Appel manqué (client)",
    "artisan_missed": "Appel manqué (artisan)",
}
DAY_NAMES = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")

# Embeddings, overrides and isolates (and the marks): a caller's name holding U+202E would
# otherwise flip the page title or the text around it. Callers never need them in a name.
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def strip_bidi(text: str) -> str:
    return _BIDI.sub("", text)


def parse_stamp(stamp: str | None) -> datetime | None:
    """An aware datetime from a stored ISO-8601 stamp; None when missing, naive or malformed."""
    if not stamp:
        return None
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def local_time(stamp: str | None, zone: ZoneInfo) -> str:
    """'23/11/2026 14:57' in the business time zone, from a stored ISO-8601 UTC stamp."""
    moment = parse_stamp(stamp)
    if moment is None:
        return stamp or "—"
    return moment.astimezone(zone).strftime("%d/%m/%Y %H:%M")


def relative_time(stamp: str | None, zone: ZoneInfo, now: datetime) -> str:
    """'à l'instant', 'il y a 5 min', 'il y a 2 h', 'hier à 14:30', 'mardi à 09:10',
    'le 14/07/2026 à 12:30': how an artisan says it, in the business zone."""
    moment = parse_stamp(stamp)
    if moment is None:
        return stamp or "—"
    seconds = (now - moment).total_seconds()
    local, today = moment.astimezone(zone), now.astimezone(zone).date()
    if -60 < seconds < 60:
        return "à l'instant"
    if 0 < seconds < 3600:
        return f"il y a {int(seconds // 60)} min"
    if 0 < seconds < 6 * 3600 or (seconds > 0 and local.date() == today):
        return f"il y a {int(seconds // 3600)} h"
    clock = local.strftime("%H:%M")
    if local.date() == today - timedelta(days=1):
        return f"hier à {clock}"
    if today - timedelta(days=6) <= local.date() < today:
        return f"{DAY_NAMES[local.weekday()]} à {clock}"
    return f"le {local.strftime('%d/%m/%Y')} à {clock}"


def duration(start: str | None, end: str | None) -> str:
    """'2 min 05 s' between two ISO stamps; '—' when either is missing."""
    if not start or not end:
        return "—"
    try:
        delta = datetime.fromisoformat(end) - datetime.fromisoformat(start)
        seconds = round(delta.total_seconds())
    except (ValueError, TypeError):
        return "—"
    minutes, rest = divmod(max(0, seconds), 60)
    return f"{minutes} min {rest:02d} s" if minutes else f"{rest} s"


def tel_target(number: str) -> str:
    """What a tel: link dials: digits and a leading +, nothing a caller ID could smuggle in."""
    return "".join(ch for ch in number if ch.isdigit() or ch == "+")


def french_number(number: str) -> str:
    """'+33612345678' -> '06 12 34 56 78' (how the artisan reads it); others unchanged."""
    return read_back(number) if number.startswith("+33") else number


def map_url(address: str) -> str:
    """An OpenStreetMap search for the address (opens the map app or the site on a phone)."""
    return "https://www.openstreetmap.org/search?query=" + quote_plus(strip_bidi(address))


def visit_label(lead: Lead) -> str:
    """'mardi 3 décembre à 14 h' for the visit booked during the call ('' when none)."""
    if lead.visit_start is None:
        return ""
    return say_slot(Slot(lead.visit_start, lead.visit_end or lead.visit_start))


def turn_when(turn: Mapping[str, Any]) -> str:
    """'4.2 s · ': when in the call a transcript turn was said (the call layer notes it)."""
    at_ms = turn.get("at_ms")
    if isinstance(at_ms, bool) or not isinstance(at_ms, int | float):
        return ""
    return f"{at_ms / 1000:.1f} s · "


def turn_sure(turn: Mapping[str, Any]) -> str:
    """' · compris à 42 %' for a caller turn the recognizer scored."""
    confidence = turn.get("confidence")
    if isinstance(confidence, bool) or not isinstance(confidence, int | float):
        return ""
    if not 0 <= confidence <= 1:
        return ""
    return f" · compris à {round(confidence * 100)} %"
