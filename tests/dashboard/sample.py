"""Sample calls, leads and SMS written through the project's real stores (tests, screenshot)."""

from __future__ import annotations

import sqlite3
import wave
from dataclasses import dataclass
from pathlib import Path

from agent.leads.model import Lead, Turn
from agent.leads.store import SqliteLeadStore
from agent.sms.outbox import SmsOutbox
from agent.sms.providers import LocalSender
from agent.store.calls import AudioTotals, CallStore

# 2026-07-14 10:30:00 UTC = 12:30 in Paris (summer time)
T0 = 1_784_025_000.0
EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@dataclass(frozen=True)
class Sample:
    call_ids: list[int]
    lead_ids: list[int]  # [urgent water leak (call 1), quote request (call 2), spam (no call)]
    recording: Path
    clips: list[Path]  # the first lead's: [name, address]


def write_wav(path: Path, frames: int = 8000) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x00\x00" * frames)
    return path.read_bytes()


def _call(calls: CallStore, channel: str, number: str, transcript: list[dict[str, object]]) -> int:
    call_id = calls.create(channel, number)
    calls.mark_answered(channel)
    calls.finish(channel, "callback_needed", AudioTotals(30_000, 12_000, 15_000), transcript)
    return call_id


async def fill(conn: sqlite3.Connection, recordings: Path, evil: bool = False) -> Sample:
    """Two calls with leads (the first recorded), one lead without a call, two SMS."""
    calls = CallStore(conn)
    said = EVIL if evil else "J'ai une fuite sous l'évier, ça coule partout"
    first = _call(calls, "chan-1", "+33612345678", [
        {"speaker": "agent", "text": "Plomberie Martin, bonjour, que puis-je faire ?", "at_ms": 0},
        {"speaker": "caller", "text": said, "at_ms": 4200, "confidence": 0.873},
    ])  # fmt: skip
    recording = recordings / f"call-{first:06d}-chan-1.wav"
    write_wav(recording)
    calls.set_recording("chan-1", str(recording))
    clips = [recordings / f"call-{first:06d}-{f}-1.wav" for f in ("name", "address")]
    for frames, clip in enumerate(clips, start=1600):
        write_wav(clip, frames)
    second = _call(calls, "chan-2", "+33478123456", [
        {"speaker": "caller", "text": "Je voudrais un devis pour une salle de bain", "at_ms": 900},
    ])  # fmt: skip
    clock = iter(T0 + 600 * i for i in range(100))
    leads = SqliteLeadStore(conn, clock=lambda: next(clock))
    ids = [
        leads.save(Lead(
            outcome="transferred", caller_number="+33612345678",
            name=EVIL if evil else "Marie Dupont", street="12 rue des Lilas", postcode="69500",
            city="Bron", problem="fuite d'eau sous l'évier", category="fuite", urgent=True,
            transcript=(Turn("agent", "Que puis-je faire ?"), Turn("caller", said)),
            call_id=first, recording_path=str(recording),
            address_heard=EVIL if evil else "douze rue des lilas a bronx",
            address_confidence=0.62, to_check=("address",),
            clips=(("name", str(clips[0])), ("address", str(clips[1]))),
        )),
        leads.save(Lead(
            outcome="callback_needed", caller_number="+33478123456", name="Jean Moreau",
            street="3 place Bellecour", postcode="69002", city="Lyon",
            problem="devis rénovation salle de bain", category="devis", call_id=second,
        )),
        leads.save(Lead(outcome="spam", problem="démarchage panneaux solaires")),
    ]  # fmt: skip
    outbox = SmsOutbox(conn, LocalSender())
    outbox.enqueue("1:a", "+33612345678", "Bonjour, votre demande est notée.", "caller_recap")
    await outbox.deliver_due()  # the first one is sent, the second stays pending
    outbox.enqueue("1:b", "+33698765432", EVIL if evil else "Fuite urgente à Bron", "artisan_recap")
    return Sample([first, second], ids, recording, clips)
