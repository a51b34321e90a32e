"""HTML building blocks: the page layout, escaping, French labels, dates in the artisan's zone.

Every value that reaches the page goes through `esc` (transcripts hold what callers said).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from html import escape
from zoneinfo import ZoneInfo

from nlp.phone_numbers import read_back

__all__ = [
    "CALL_OUTCOMES",
    "LEAD_OUTCOMES",
    "SMS_KINDS",
    "SMS_STATUSES",
    "SPEAKERS",
    "STATUS_LABELS",
    "duration",
    "esc",
    "french_number",
    "label",
    "local_time",
    "page",
    "phone_link",
    "table",
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

_CSS = """
*{box-sizing:border-box}
body{margin:0;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
color:#1f2328;background:#f4f5f7}
header{background:#143d59;color:#fff;padding:.6rem 1rem;display:flex;flex-wrap:wrap;
align-items:center;gap:.4rem 1.2rem}
header strong{font-size:1.1rem;margin-right:auto}
header a{color:#fff;text-decoration:none;padding:.3rem .1rem;border-bottom:2px solid transparent}
header a.on{border-bottom-color:#f4b400}
main{max-width:1100px;margin:0 auto;padding:1rem}
h1{font-size:1.3rem;margin:.2rem 0 1rem}
h2{font-size:1.1rem;margin:1.4rem 0 .6rem}
a{color:#0b5cad}
.muted{color:#656d76}
.cards{display:grid;gap:.8rem;grid-template-columns:repeat(auto-fill,minmax(320px,1fr))}
.card{background:#fff;border:1px solid #d8dee4;border-radius:8px;padding:.8rem 1rem}
.card.urgent{border-left:5px solid #c62828}
.card h3{margin:0 0 .3rem;font-size:1.05rem}
.card p{margin:.25rem 0}
.meta{display:flex;flex-wrap:wrap;gap:.3rem .5rem;align-items:center;font-size:.9rem}
.badge{display:inline-block;border-radius:999px;padding:.05rem .55rem;font-size:.8rem;
font-weight:600;background:#e7ecf0;color:#32383f;white-space:nowrap}
.badge.urgent{background:#c62828;color:#fff}
.badge.new{background:#dbeafe;color:#1e40af}
.badge.called_back{background:#fef3c7;color:#92400e}
.badge.won{background:#dcfce7;color:#166534}
.badge.lost{background:#eceff1;color:#546e7a}
.badge.failed{background:#fde2e1;color:#9b1c1c}
.badge.sent{background:#dcfce7;color:#166534}
.tel{font-weight:600;white-space:nowrap}
form.filters{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;margin-bottom:1rem}
select,button{font:inherit;padding:.35rem .6rem;border-radius:6px;border:1px solid #afb8c1;
background:#fff}
button{background:#143d59;color:#fff;border-color:#143d59;cursor:pointer}
.scroll{overflow-x:auto;background:#fff;border:1px solid #d8dee4;border-radius:8px}
table{border-collapse:collapse;width:100%;font-size:.93rem}
th,td{text-align:left;padding:.45rem .6rem;border-bottom:1px solid #eaeef2;vertical-align:top}
th{background:#f6f8fa;white-space:nowrap}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem;margin:0}
dt{color:#656d76}dd{margin:0}
.turns{list-style:none;padding:0;margin:0}
.turns li{background:#fff;border:1px solid #d8dee4;border-radius:8px;padding:.4rem .7rem;
margin:.35rem 0;max-width:46rem}
.turns li.caller{border-left:4px solid #0b5cad}
.turns li.agent{border-left:4px solid #2e7d32;margin-left:1.5rem}
.turns li.system{border-style:dashed;color:#656d76;font-size:.9rem}
.who{font-weight:600;font-size:.85rem;color:#656d76;margin-right:.4rem}
.flash{background:#dcfce7;border:1px solid #86efac;border-radius:6px;padding:.4rem .8rem}
audio{width:100%;max-width:32rem}
pre{white-space:pre-wrap;margin:0;font:inherit}
.badge.cat{font-weight:400;background:#eef1f4}
.badge.check{background:#fff4d6;color:#8a5300}
.heard{color:#656d76;font-size:.9rem}
audio.clip{display:block;height:2.2rem;margin:.25rem 0}
@media (max-width:640px){
header strong{flex-basis:100%}
main{padding:.7rem}
.scroll{overflow:visible;background:none;border:0}
table,tbody,tr,td{display:block}
thead{display:none}
tr{background:#fff;border:1px solid #d8dee4;border-radius:8px;margin-bottom:.6rem;padding:.3rem 0}
td{border:0;padding:.2rem .8rem;display:grid;grid-template-columns:7.5rem 1fr;gap:.5rem}
td::before{content:attr(data-label);color:#656d76;font-size:.85rem}
}
"""

_NAV = (("/", "Demandes"), ("/calls", "Appels"), ("/sms", "SMS"))


def esc(value: object) -> str:
    """Escaped text for HTML content and quoted attributes; None shows as an empty string."""
    return "" if value is None else escape(str(value), quote=True)


def label(labels: dict[str, str], value: str | None) -> str:
    return esc(labels.get(value or "", value or "—"))


def local_time(stamp: str | None, zone: ZoneInfo) -> str:
    """'23/11/2026 14:57' in the business time zone, from a stored ISO-8601 UTC stamp."""
    if not stamp:
        return "—"
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return esc(stamp)
    if moment.tzinfo is None:
        return esc(stamp)
    return moment.astimezone(zone).strftime("%d/%m/%Y %H:%M")


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


def phone_link(number: str | None) -> str:
    if not number:
        return '<span class="muted">numéro masqué</span>'
    target = "".join(ch for ch in number if ch.isdigit() or ch == "+")
    return f'<a class="tel" href="tel:{esc(target)}">{esc(french_number(number))}</a>'


def french_number(number: str) -> str:
    """'+33612345678' -> '06 12 34 56 78' (how the artisan reads it); others unchanged."""
    return read_back(number) if number.startswith("+33") else number


def table(headers: Iterable[str], rows: Iterable[Iterable[str]], empty: str) -> str:
    """A scrollable table; cells are HTML already escaped by the caller."""
    names = [esc(h) for h in headers]
    body = "".join(
        "<tr>"
        + "".join(f'<td data-label="{n}">{c}</td>' for n, c in zip(names, row, strict=True))
        + "</tr>"
        for row in rows
    )
    if not body:
        return f'<p class="muted">{esc(empty)}</p>'
    head = "".join(f"<th>{n}</th>" for n in names)
    return (
        f'<div class="scroll"><table><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )


def page(title: str, business: str, active: str, body: str) -> str:
    nav = "".join(
        f'<a href="{href}"{" class=on" if href == active else ""}>{esc(name)}</a>'
        for href, name in _NAV
    )
    return (
        '<!doctype html><html lang="fr"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{esc(title)} · {esc(business)}</title><style>{_CSS}</style></head>"
        f"<body><header><strong>{esc(business)}</strong>{nav}</header>"
        f"<main>{body}</main></body></html>"
    )
