"""The calls pages (list and one call with its transcript) and the SMS outbox page."""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo

from agent.dashboard.data import CallRow, SmsRow
from agent.dashboard.leads_view import transcript
from agent.dashboard.render import (
    CALL_OUTCOMES,
    SMS_KINDS,
    SMS_STATUSES,
    duration,
    esc,
    label,
    local_time,
    phone_link,
    table,
)

__all__ = ["call_detail", "call_list", "sms_list"]

# call id -> URL of its recording when the file can be served, else None
RecordingUrl = Callable[[int], str | None]


def _lead_link(row: CallRow) -> str:
    return f'<a href="/leads/{row.lead_id}">demande n° {row.lead_id}</a>' if row.lead_id else "—"


def _audio_link(url: str | None) -> str:
    return f'<a href="{esc(url)}">écouter</a>' if url else '<span class="muted">—</span>'


def call_list(rows: list[CallRow], zone: ZoneInfo, recording_url: RecordingUrl) -> str:
    cells = [
        (
            f'<a href="/calls/{r.call.id}">{local_time(r.call.started_at, zone)}</a>',
            phone_link(r.call.caller_number),
            label(CALL_OUTCOMES, r.call.outcome),
            duration(r.call.started_at, r.call.ended_at),
            _lead_link(r),
            _audio_link(recording_url(r.call.id)),
        )
        for r in rows
    ]
    headers = ("Date", "Appelant", "Issue", "Durée", "Demande", "Enregistrement")
    return f"<h1>Appels ({len(rows)})</h1>" + table(headers, cells, "Aucun appel pour l'instant.")


def call_detail(row: CallRow, zone: ZoneInfo, recording: str | None) -> str:
    call = row.call
    fields = [
        ("Début", local_time(call.started_at, zone)),
        ("Décroché", local_time(call.answered_at, zone)),
        ("Fin", local_time(call.ended_at, zone)),
        ("Durée", duration(call.started_at, call.ended_at)),
        ("Appelant", phone_link(call.caller_number)),
        ("Issue", label(CALL_OUTCOMES, call.outcome)),
        ("Demande", _lead_link(row)),
        ("Canal", f'<span class="muted">{esc(call.channel_id)}</span>'),
    ]
    rows = "".join(f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in fields)
    audio = (
        f'<audio controls preload="none" src="{esc(recording)}"></audio>'
        if recording
        else '<p class="muted">Pas d\'enregistrement disponible.</p>'
    )
    return (
        '<p><a href="/calls">← Tous les appels</a></p>'
        f"<h1>Appel n° {call.id}</h1>"
        f'<div class="card"><dl>{rows}</dl></div>'
        f"<h2>Enregistrement</h2>{audio}<h2>Transcription</h2>{transcript(call.transcript)}"
    )


def sms_list(rows: list[SmsRow], zone: ZoneInfo) -> str:
    cells = [
        (
            local_time(r.created_at, zone),
            phone_link(r.recipient),
            label(SMS_KINDS, r.kind),
            f'<span class="badge {esc(r.status)}">{label(SMS_STATUSES, r.status)}</span>',
            str(r.attempts),
            esc(r.last_error) or "—",
            f"<pre>{esc(r.body)}</pre>",
        )
        for r in rows
    ]
    headers = ("Créé le", "Destinataire", "Type", "État", "Essais", "Dernière erreur", "Message")
    return f"<h1>SMS ({len(rows)})</h1>" + table(headers, cells, "Aucun SMS pour l'instant.")
