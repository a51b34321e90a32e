"""`decroche simulate`: whole calls on the sandbox with callers that answer what they are asked.

Each persona (devkit.sim.persona) places one real call exactly as `decroche demo` does: real
SIP, every answer spoken by the TTS voice and sent as μ-law RTP, real Whisper in the agent. The
agent runs in process, so the simulated caller learns which question was asked the way a person
would, from the agent itself (`Dialogue.hint.question` once the agent's turn is over); what it
answers still travels only as audio. The artisan's mobile is a sipp UAS that answers and
presses 1, so urgent calls go through a real attended transfer.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agent.call.receptionist import Receptionist
from agent.config import ConfigError
from agent.dialogue import Stage
from devkit.caller.caller import SipCaller
from devkit.caller.mobile import start_mobile
from devkit.caller.script import Exchange, ScriptResult
from devkit.caller.sip import SipError
from devkit.sandbox.harness import Harness, running
from devkit.sandbox.pbx import SandboxError
from devkit.sim.persona import Persona, PersonaError, load_persona
from devkit.sim.report import call_report, sandbox_config

__all__ = ["SimulationError", "main", "simulate_call", "simulate_many"]

MAX_TURNS = 16  # a dialogue that loops is cut here (and shows as questions asked too often)
QUIET_S = 1.2  # the agent's turn is over after this much silence
REPLY_TIMEOUT_S = 30.0
TRANSFER_TIMEOUT_S = 90.0  # ring + summary + the artisan's key press, with margin
HIDDEN = "anonymous"  # what French networks present for a withheld number


class SimulationError(RuntimeError):
    """The simulated call could not be run (no agent conversation appeared, no sipp)."""


@dataclass
class Talk:
    """What the simulated caller was asked and said."""

    script: ScriptResult
    questions: list[str] = field(default_factory=list)


async def _receptionist(harness: Harness, timeout_s: float = 10.0) -> tuple[int, Receptionist]:
    """The live call's receptionist (one call at a time in a simulation) and its call row."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for session in reversed(harness.agent.manager.sessions):
            if isinstance(session.conversation, Receptionist):
                return session.call_id, session.conversation
        await asyncio.sleep(0.05)
    raise SimulationError("no conversation started on the agent for this call")


async def _through_transfer(
    call: SipCaller, harness: Harness, receptionist: Receptionist, persona: Persona, talk: Talk
) -> bool:
    """Wait while the mobile rings, answering what the agent asks meanwhile (the street);
    True when the caller was put through to the artisan."""
    deadline = time.monotonic() + TRANSFER_TIMEOUT_S
    while receptionist.dialogue.stage is Stage.TRANSFERRING and time.monotonic() < deadline:
        if call.hung_up_by_remote.is_set():
            return False
        dialogue = receptionist.dialogue  # replaced when an answer is heard in two halves
        if dialogue.asking_while_ringing:
            question = dialogue.hint.question
            talk.questions.append(question)
            await _say(call, harness, persona.answer(question), talk.script)
            continue
        await asyncio.sleep(0.2)
    return receptionist.dialogue.stage is Stage.DONE


async def converse(
    call: SipCaller,
    harness: Harness,
    persona: Persona,
    max_turns: int = MAX_TURNS,
    until: Callable[[], bool] | None = None,
) -> tuple[int, Talk]:
    """Answer each question the agent asks with the persona's line, until it hangs up or
    transfers (or `until()` holds before a turn); returns the call row id and what was
    said."""
    first = await call.wait_for_agent_turn(call.answered_at, QUIET_S, REPLY_TIMEOUT_S)
    row, receptionist = await _receptionist(harness)
    talk = Talk(ScriptResult(None if first is None else (first - call.invite_at) * 1000))
    for _ in range(max_turns):
        # Read afresh each turn: an answer said in two halves replaces the dialogue object
        # (the receptionist takes the first reading back, agent.call.continuation).
        dialogue = receptionist.dialogue
        if call.hung_up_by_remote.is_set() or (until is not None and until()):
            break
        if dialogue.stage is Stage.TRANSFERRING:
            if await _through_transfer(call, harness, receptionist, persona, talk):
                await asyncio.sleep(1.0)  # caller and artisan talk, then the caller hangs up
                break
            # The mobile did not take it: the agent apologises, then asks its next question.
            # The caller waits for both, timed from now: "Ne quittez pas" was heard before the
            # ringing, and waiting from then answered at once, over the apology (the answer
            # was lost and the question counted once more).
            await call.wait_for_agent_turn(time.monotonic(), QUIET_S, REPLY_TIMEOUT_S)
            continue
        if dialogue.stage is Stage.DONE:
            await _wait_hangup(call, 10.0)
            break
        if dialogue.stage in (Stage.SLOT_SEARCH, Stage.BOOKING):
            # The agent is reading the calendar: its offer (or goodbye) comes next.
            await call.wait_for_agent_turn(time.monotonic(), QUIET_S, REPLY_TIMEOUT_S)
            continue
        question = dialogue.hint.question
        talk.questions.append(question)
        await _say(call, harness, persona.answer(question), talk.script)
    talk.script.hung_up_by_agent = call.hung_up_by_remote.is_set()
    return row, talk


async def _say(call: SipCaller, harness: Harness, line: str, script: ScriptResult) -> None:
    speech = await harness.voice.render(line, 8000)
    spoke_at = time.monotonic()
    await call.say(speech).done
    exchange = Exchange(line, spoke_at, time.monotonic())
    script.exchanges.append(exchange)
    exchange.agent_replied_at = await call.wait_for_agent_turn(
        exchange.ended_at, QUIET_S, REPLY_TIMEOUT_S
    )


async def _wait_hangup(call: SipCaller, timeout_s: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(call.hung_up_by_remote.wait(), timeout_s)


def _mobile(harness: Harness) -> subprocess.Popen[bytes]:
    try:
        return start_mobile("accept", harness.config.trunk.port, timeout_s=240)
    except FileNotFoundError:
        raise SimulationError("sipp not found (the sandbox mobile): run `make deps`") from None


def _stop(mobile: subprocess.Popen[bytes]) -> None:
    if mobile.poll() is None:
        mobile.kill()
    mobile.communicate()


async def simulate_call(harness: Harness, persona: Persona) -> dict[str, Any]:
    """One whole call for `persona`: `decroche demo --json`'s report, plus the persona, the
    questions the agent asked (`Hint.question`, in order) and the lines said in answer."""
    mobile = _mobile(harness)
    try:
        call = await harness.dial(persona.caller_id or HIDDEN)
        try:
            row, talk = await converse(call, harness, persona)
        finally:
            await call.hangup()
        report = await call_report(harness, call, talk.script, row)
    finally:
        await asyncio.to_thread(_stop, mobile)
    said = [exchange.said for exchange in talk.script.exchanges]
    return {"persona": persona.id, **report, "questions": talk.questions, "answers": said}


async def simulate_many(
    config_path: Path | None, personas: Sequence[Persona], json_lines: bool
) -> list[dict[str, Any]]:
    config = sandbox_config(config_path, data_dir=".var/simulate")
    reports = []
    async with running(config) as harness:
        for persona in personas:
            try:
                report = await simulate_call(harness, persona)
            except (SipError, SimulationError, TimeoutError, OSError) as exc:
                # One failed call must not cost the other personas their run.
                print(f"decroche simulate: {persona.id}: {exc!r}", file=sys.stderr, flush=True)
                continue
            reports.append(report)
            _print(report, json_lines)
    return reports


def _print(report: dict[str, Any], json_lines: bool) -> None:
    if json_lines:
        print(json.dumps(report, ensure_ascii=False), flush=True)
        return
    lead = report["lead"] or {}
    print(f"== {report['persona']}: call #{report['call']['id']} {report['call']['outcome']}")
    print(f"   questions: {', '.join(report['questions'])}")
    for turn in report["transcript"]:
        print(f"   {turn['at_ms'] / 1000:6.1f}s {turn['speaker']:>17}: {turn['text']}")
    fields = ("urgent", "name", "street", "postcode", "city", "caller_number")
    print("   lead: " + "; ".join(f"{k}={lead.get(k)}" for k in fields) if lead else "   no lead")
    print(f"   turn ms: {report['turn_ms']}", flush=True)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="decroche simulate")
    parser.add_argument("--config", type=Path, default=None)
    parser.add_argument("--json", action="store_true", help="one JSON object a persona a line")
    parser.add_argument("personas", type=Path, nargs="+", metavar="PERSONA.toml")
    args = parser.parse_args(argv)
    try:
        personas = [load_persona(path) for path in args.personas]
        reports = asyncio.run(simulate_many(args.config, personas, args.json))
    except (PersonaError, ConfigError, SandboxError, SimulationError) as exc:
        print(f"decroche simulate: {exc}", file=sys.stderr)
        return 2 if isinstance(exc, PersonaError) else 1
    answered = [r for r in reports if r["answered"]]
    return 0 if len(answered) == len(personas) else 1
