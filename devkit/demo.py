"""`decroche demo`: one whole call on the embedded defaults, then what happened, for a person.

Sandbox Asterisk + agent + a real SIP caller whose answers are spoken (TTS) and sent as μ-law
RTP. By default the caller answers whatever the agent asks, as a person would (the demo
persona below, the same machinery as `decroche simulate`); `--line` says fixed lines instead,
one after each agent turn. Prints the transcript, the lead and the SMS.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any

from agent.config import ConfigError
from devkit.caller.script import run_script
from devkit.sandbox.harness import Harness, running
from devkit.sandbox.pbx import SandboxError
from devkit.sim.persona import Persona
from devkit.sim.report import call_report, print_report, sandbox_config
from devkit.sim.simulate import simulate_call

CALLER_ID = "0698765432"
# A bathroom quote in Bron, on a street of the demo's area file (agent/area/data).
DEMO_PERSONA = Persona(
    id="demo",
    caller_id=CALLER_ID,
    answers={
        "problem": "Bonjour, je voudrais un devis pour refaire la salle de bain.",
        "name": "Martin, Sophie Martin.",
        "spell": "M, A, R, T, I, N.",
        "address": "C'est au 25 avenue Franklin Roosevelt, à Bron.",
        "street": "25 avenue Franklin Roosevelt.",
        "town": "Bron.",
        "phone_confirm": "Oui, c'est bien ça.",
        "phone": "Zéro six, quatre-vingt-dix-huit, soixante-seize, cinquante-quatre, trente-deux.",
        "readback": "Oui, c'est bien ça.",
        "yes": "Oui.",
        "other": "Je ne sais pas.",
    },
)


async def _scripted(harness: Harness, lines: list[str]) -> dict[str, Any]:
    call = await harness.dial(CALLER_ID)
    script = await run_script(call, harness.voice, lines)
    await call.hangup()
    return await call_report(harness, call, script)


async def _demo(config_path: Path | None, lines: list[str]) -> dict[str, Any]:
    config = sandbox_config(config_path)
    async with running(config) as harness:
        if lines:
            return await _scripted(harness, lines)
        return await simulate_call(harness, DEMO_PERSONA)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="decroche demo")
    parser.add_argument("--config", type=Path, default=None)
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout")
    parser.add_argument(
        "--line",
        action="append",
        default=None,
        help="a fixed caller line, said after each agent turn (repeat); default: a caller "
        "who answers each question (a bathroom quote request)",
    )
    args = parser.parse_args(argv)
    try:
        report = asyncio.run(_demo(args.config, args.line or []))
    except (ConfigError, SandboxError) as exc:
        print(f"decroche demo: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        print_report(report)
    return 0 if report["answered"] else 1
