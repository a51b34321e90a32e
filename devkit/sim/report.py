"""What a sandbox call did, as `decroche demo` and `decroche simulate` report it, and the
config those sandbox runs use."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from agent.config import PROJECT_ROOT, Config, load_config
from agent.store.calls import CallRecord
from devkit.caller.caller import SipCaller
from devkit.caller.script import ScriptResult
from devkit.sandbox.harness import Harness
from devkit.sandbox.pbx import SandboxError

__all__ = ["call_report", "print_report", "sandbox_config"]


async def call_report(
    harness: Harness, call: SipCaller, script: ScriptResult, call_row: int | None = None
) -> dict[str, Any]:
    """What happened on a call that just ended (`call_row`: its id; default the latest)."""
    agent = harness.agent
    store = agent.manager.deps.store

    def row_of() -> CallRecord | None:
        rows = store.recent(20)
        return next((r for r in rows if call_row in (None, r.id)), None)

    for _ in range(100):  # the call row closes once Asterisk reports the hangup
        found = row_of()
        if found is not None and found.ended_at:
            break
        await asyncio.sleep(0.1)
    await asyncio.sleep(1.0)  # let the outbox deliver to the local SMS folder
    row = row_of()
    if row is None:
        raise SandboxError("the agent recorded no row for the call")
    leads = [s.lead for s in agent.services.leads.recent(20) if s.lead.call_id == row.id]
    return {
        "answered": row.answered_at is not None,
        "answer_ms": round((call.answered_at - call.invite_at) * 1000, 1),
        "greeting_ms": None if script.greeting_ms is None else round(script.greeting_ms, 1),
        "audio_received_ms": row.voice_in_ms,
        "call": {
            "id": row.id,
            "caller_number": row.caller_number,
            "outcome": row.outcome,
            "started_at": row.started_at,
            "ended_at": row.ended_at,
            "recording": row.recording_path,
        },
        "transcript": row.transcript,
        "turn_ms": [round(t) for t in script.turn_ms],
        "lead": _lead(leads[0]) if leads else None,
        "sms": [
            {"recipient": s.recipient, "kind": s.kind, "status": s.status, "text": s.body}
            for s in agent.services.outbox.rows()
            if s.idem_key.startswith(f"{row.id}:")
        ],
    }


def _lead(lead: Any) -> dict[str, Any]:
    fields = (
        "outcome",
        "urgent",
        "category",
        "name",
        "street",
        "postcode",
        "city",
        "caller_number",
        "problem",
    )
    return {name: getattr(lead, name) for name in fields}


def print_report(report: dict[str, Any]) -> None:
    print(
        f"Call answered: {report['answered']} in {report['answer_ms']} ms; "
        f"first greeting audio at {report['greeting_ms']} ms"
    )
    print(f"Caller audio received by the agent: {report['audio_received_ms']} ms of voice")
    print(f"Turn latencies (end of caller speech -> agent audio): {report['turn_ms']} ms")
    print("\nTranscript:")
    for turn in report["transcript"]:
        print(f"  {turn['at_ms'] / 1000:6.1f}s {turn['speaker']:>17}: {turn['text']}")
    print("\nLead:" if report["lead"] else "\nNo lead.")
    for key, value in (report["lead"] or {}).items():
        print(f"  {key:>13}: {value}")
    print("\nSMS:")
    for sms in report["sms"]:
        print(f"  to {sms['recipient']} ({sms['kind']}, {sms['status']}): {sms['text']}")
    call = report["call"]
    print(f"\nCall row #{call['id']}: {call['outcome']}, recording {call['recording']}")


def sandbox_config(config_path: Path | None, data_dir: str = ".var/demo") -> Config:
    """The config for a sandbox run: what `config_path` leaves out falls back to the sandbox
    defaults (the project's own sandbox; data kept apart in `data_dir`, under the project;
    the sandbox's CDR history of earlier runs not replayed as missed calls)."""
    defaults: dict[str, dict[str, Any]] = {
        "store": {"data_dir": str(PROJECT_ROOT / data_dir)},
        "missed": {"enabled": False},
    }
    return load_config(config_path, defaults=defaults)
