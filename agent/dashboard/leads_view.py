"""The leads pages: the list (newest first, filterable) and one lead with its status form."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any
from zoneinfo import ZoneInfo

from agent.calendar.model import Slot
from agent.dashboard.data import LeadFilter
from agent.dashboard.render import (
    LEAD_OUTCOMES,
    SPEAKERS,
    STATUS_LABELS,
    esc,
    label,
    local_time,
    phone_link,
)
from agent.dialogue.slot_words import say_slot
from agent.leads.model import STATUSES, StoredLead

__all__ = ["ClipUrl", "lead_detail", "lead_list", "transcript"]

# The URL of a lead's `index`-th clip when its file can be served, else None.
ClipUrl = Callable[[int], str | None]
FIELD_LABELS = {"name": "nom", "address": "adresse", "phone": "numéro"}
_CHECK = '<span class="badge check">à vérifier</span>'


def _badges(stored: StoredLead) -> str:
    urgent = '<span class="badge urgent">URGENT</span>' if stored.lead.urgent else ""
    text = label(STATUS_LABELS, stored.status)
    status = f'<span class="badge {esc(stored.status)}">{text}</span>'
    return urgent + status


def _card(stored: StoredLead, zone: ZoneInfo) -> str:
    lead = stored.lead
    name = esc(lead.name) if lead.name else '<span class="muted">nom inconnu</span>'
    address = esc(lead.address) if lead.address else '<span class="muted">adresse inconnue</span>'
    problem = esc(lead.problem) if lead.problem else '<span class="muted">—</span>'
    urgent = " urgent" if lead.urgent else ""
    checks = "".join(
        f'<span class="badge check">{esc(FIELD_LABELS.get(f, f))} à vérifier</span>'
        for f in lead.to_check
    )
    return (
        f'<article class="card{urgent}">'
        f'<div class="meta"><span class="muted">{local_time(stored.created_at, zone)}</span>'
        f"{_badges(stored)}{checks}</div>"
        f'<h3><a href="/leads/{stored.id}">{name}</a></h3>'
        f"<p>{phone_link(lead.caller_number)}</p>"
        f"<p>{address}</p>"
        f"<p>{problem}</p>"
        f'<p class="meta"><span class="badge cat">{esc(lead.category)}</span>'
        f'<span class="muted">{label(LEAD_OUTCOMES, lead.outcome)}</span></p>'
        "</article>"
    )


def _filters(wanted: LeadFilter) -> str:
    options = ['<option value="">Tous les statuts</option>'] + [
        f'<option value="{s}"{" selected" if s == wanted.status else ""}>'
        f"{esc(STATUS_LABELS[s])}</option>"
        for s in STATUSES
    ]
    checked = " checked" if wanted.urgent_only else ""
    return (
        '<form class="filters" method="get" action="/">'
        f'<label>Statut <select name="status">{"".join(options)}</select></label>'
        f'<label><input type="checkbox" name="urgent" value="1"{checked}> Urgences seulement'
        '</label><button type="submit">Filtrer</button></form>'
    )


def lead_list(leads: list[StoredLead], wanted: LeadFilter, zone: ZoneInfo) -> str:
    cards = "".join(_card(s, zone) for s in leads)
    if not cards:
        cards = '<p class="muted">Aucune demande pour ces critères.</p>'
    else:
        cards = f'<div class="cards">{cards}</div>'
    return f"<h1>Demandes des clients ({len(leads)})</h1>{_filters(wanted)}{cards}"


def _sure(confidence: object) -> str:
    """' · compris à 42 %' for a caller turn the recognizer scored (the call layer notes it)."""
    if isinstance(confidence, bool) or not isinstance(confidence, int | float):
        return ""
    if not 0 <= confidence <= 1:
        return ""
    return f" · compris à {round(confidence * 100)} %"


def transcript(turns: Iterable[Mapping[str, Any]]) -> str:
    items = []
    for turn in turns:
        speaker = str(turn.get("speaker", ""))
        css = speaker if speaker in SPEAKERS else "system"
        at_ms = turn.get("at_ms")
        when = f"{at_ms / 1000:.1f} s · " if isinstance(at_ms, int | float) else ""
        sure = _sure(turn.get("confidence"))
        items.append(
            f'<li class="{css}"><span class="who">{esc(when)}{label(SPEAKERS, speaker)}'
            f"{esc(sure)}</span>{esc(turn.get('text', ''))}</li>"
        )
    if not items:
        return '<p class="muted">Pas de transcription.</p>'
    return f'<ul class="turns">{"".join(items)}</ul>'


def _status_form(stored: StoredLead, token: str) -> str:
    buttons = "".join(
        f'<option value="{s}"{" selected" if s == stored.status else ""}>'
        f"{esc(STATUS_LABELS[s])}</option>"
        for s in STATUSES
    )
    return (
        f'<form class="filters" method="post" action="/leads/{stored.id}/status">'
        f'<input type="hidden" name="csrf" value="{esc(token)}">'
        f'<label>Statut <select name="status">{buttons}</select></label>'
        '<button type="submit">Enregistrer</button></form>'
    )


def _heard(stored: StoredLead) -> str:
    """The address words as the ear heard them, and how sure the match to the area is."""
    lead = stored.lead
    if not lead.address_heard:
        return ""
    sure = ""
    if lead.address_confidence is not None:
        sure = f" (confiance {round(lead.address_confidence * 100)} %)"
    return f'<div class="heard">entendu : « {esc(lead.address_heard)} »{esc(sure)}</div>'


def _visit(stored: StoredLead) -> str:
    """The visit booked in the calendar, or why none was (a calendar fault shows here)."""
    lead = stored.lead
    if lead.visit_start is not None:
        slot = Slot(lead.visit_start, lead.visit_end or lead.visit_start)
        return f"<strong>{esc(say_slot(slot))}</strong>"
    return f"aucun ({esc(lead.booking_note)})" if lead.booking_note else "—"


def _field(stored: StoredLead, field: str, value: str, clip_url: ClipUrl) -> str:
    """A lead field's value, its "à vérifier" badge and the caller's own words for it."""
    lead = stored.lead
    badge = _CHECK if field in lead.to_check else ""
    players = []
    for index, (name, _) in enumerate(lead.clips):
        url = clip_url(index) if name == field else None
        if url is not None:
            players.append(
                f'<audio class="clip" controls preload="none" src="{esc(url)}"'
                f' aria-label="{esc(FIELD_LABELS.get(field, field))} dit par le client"></audio>'
            )
    return f"{value} {badge}{''.join(players)}".strip()


def lead_detail(
    stored: StoredLead,
    zone: ZoneInfo,
    token: str,
    recording: str | None,
    flash: bool,
    clip_url: ClipUrl = lambda _index: None,
) -> str:
    """`recording` is the URL of the call's audio when the file can be served."""
    lead = stored.lead
    call = f'<a href="/calls/{lead.call_id}">appel n° {lead.call_id}</a>' if lead.call_id else "—"
    street = (esc(lead.street) or "—") + _heard(stored)
    fields = [
        ("Reçue le", local_time(stored.created_at, zone)),
        ("Mise à jour", local_time(stored.updated_at, zone)),
        ("Statut", _badges(stored)),
        ("Nom", _field(stored, "name", esc(lead.name) or "—", clip_url)),
        ("Téléphone", _field(stored, "phone", phone_link(lead.caller_number), clip_url)),
        ("Adresse", _field(stored, "address", street, clip_url)),
        ("Code postal", esc(lead.postcode) or "—"),
        ("Ville", esc(lead.city) or "—"),
        ("Problème", f"<pre>{esc(lead.problem)}</pre>" if lead.problem else "—"),
        ("Catégorie", esc(lead.category)),
        ("Issue de l'appel", label(LEAD_OUTCOMES, lead.outcome)),
        ("Rendez-vous", _visit(stored)),
        ("Appel", call),
    ]
    rows = "".join(f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in fields)
    audio = (
        f'<audio controls preload="none" src="{esc(recording)}"></audio>'
        if recording
        else '<p class="muted">Pas d\'enregistrement disponible.</p>'
    )
    notice = '<p class="flash">Statut mis à jour.</p>' if flash else ""
    title = esc(lead.name) or "Demande"
    turns = [{"speaker": t.speaker, "text": t.text} for t in lead.transcript]
    return (
        f'<p><a href="/">← Toutes les demandes</a></p>{notice}'
        f"<h1>{title} <span class=muted>n° {stored.id}</span></h1>"
        f'<div class="card"><dl>{rows}</dl></div>'
        f"<h2>Changer le statut</h2>{_status_form(stored, token)}"
        f"<h2>Enregistrement</h2>{audio}<h2>Transcription</h2>{transcript(turns)}"
    )
