"""`decroche demo`: one whole call on the embedded defaults, then what happened, for a person.

Sandbox Asterisk + agent + a real SIP caller whose lines are spoken (TTS, or your own audio
files with --caller-audio) and sent as μ-law RTP. Prints the transcript, the lead and the SMS.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any

from agent.config import PROJECT_ROOT, Config, ConfigError, load_config
from agent.harness import Harness, running
from agent.pbx.sandbox import SandboxError
from agent.store.calls import CallRecord
from agent.testing.caller import SipCaller
from agent.testing.script import ScriptResult, run_script

DEMO_LINES = (
    "Bonjour, je voudrais un devis pour refaire la salle de bain.",
    "Martin, Sophie Martin.",
    "Mon adresse, c'est 25 rue de la Gare, à Bron.",
    "Oui, c'est bien ça.",
    "Oui, c'est bien ça.",
)
CALLER_ID = "0698765432"


async def _call(harness: Harness, lines: list[str]) -> dict[str, Any]:
    call = await harness.dial(CALLER_ID)
    script = await run_script(call, harness.voice, lines)
    await call.hangup()
    return await call_report(harness, call, script)


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


def _print_report(report: dict[str, Any]) -> None:
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


async def _demo(config_path: Path | None, lines: list[str]) -> dict[str, Any]:
    config = sandbox_config(config_path)
    async with running(config) as harness:
        return await _call(harness, lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="decroche demo")
    parser.add_argument("--config", type=Path, default=None)
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout")
    parser.add_argument(
        "--line",
        action="append",
        default=None,
        help="a caller line (repeat); default: a bathroom quote request",
    )
    args = parser.parse_args(argv)
    try:
        report = asyncio.run(_demo(args.config, args.line or list(DEMO_LINES)))
    except (ConfigError, SandboxError) as exc:
        print(f"decroche demo: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        _print_report(report)
    return 0 if report["answered"] else 1
