"""`decroche bench --fleet N`: N agents answering calls at once, each its own process.

As on N boxes, except that here they share this machine's CPU (and the sandbox Asterisk):
every agent registers its own ARI application (`<app>-fleetK`, routed by the sandbox-only
dialplan/extensions-sandbox.conf) and hears with the local Whisper or with one shared speech
server (`--engine wyoming|openai --uri ...`, or `--serve` to start it here). Each agent takes
`--calls` calls one after the other, the agents at the same time; the caller says one line of
bench_common.LINES and waits for the answer. Reports medians and p95, never pass/fail.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agent.config import Config, ConfigError, load_config
from agent.voice import SpeechVoice
from agent.wiring import build_voice
from devkit.bench_common import LINES, percentile
from devkit.bench_fleet_server import ServerError, SpeechServer, process_cpu_s, process_peak_rss_mb
from devkit.caller.caller import SipCaller
from devkit.caller.script import run_script
from devkit.eval.wer import edit_distance, normalize
from devkit.sandbox.pbx import Sandbox, SandboxError

READY_S = 180.0  # N agents loading N Whisper models on a shared 2-core box
STOP_S = 60.0
# Beside this module, wherever the package that holds both is (agent/ today, devkit/ later).
AGENT_MODULE = f"{__package__}.bench_fleet_agent"


class FleetError(RuntimeError):
    """An agent of the fleet did not start or did not report."""


@dataclass(frozen=True)
class FleetPlan:
    agents: int = 3
    calls: int = 3  # per agent
    engine: str = "whisper"
    uri: str | None = None
    serve: bool = False
    server_pid: int | None = None  # a server started elsewhere on this machine, to measure
    timeout_ms: int = 30000  # per remote turn: the bench measures the server, not its timeout
    config: Path | None = None
    work: Path = Path(".var/bench-fleet")  # logs, data folders, last-run.json


def _stt(plan: FleetPlan, uri: str | None) -> dict[str, Any]:
    if plan.engine in ("whisper", "local"):
        return {"engine": plan.engine}
    # A remote engine is measured alone: a turn it fails counts as failed, not heard locally.
    return {"engine": plan.engine, "uri": uri, "fallback": "none", "timeout_ms": plan.timeout_ms}


class FleetAgent:
    """One `python -m devkit.bench_fleet_agent` process."""

    def __init__(self, index: int, app: str, process: asyncio.subprocess.Process, log: Path):
        self.index, self.app, self.process, self.log = index, app, process, log

    @classmethod
    async def start(
        cls, index: int, overrides: dict[str, Any], config: Path | None, log: Path
    ) -> FleetAgent:
        where = [str(config)] if config is not None else []
        with log.open("wb") as err:
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", AGENT_MODULE, json.dumps(overrides), *where,
                stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=err,
            )  # fmt: skip
        return cls(index, overrides["ari"]["app"], process, log)

    async def _line(self, timeout_s: float) -> dict[str, Any]:
        assert self.process.stdout is not None
        try:
            line = await asyncio.wait_for(self.process.stdout.readline(), timeout_s)
        except TimeoutError:
            line = b""
        if not line:
            tail = self.log.read_text(errors="replace")[-1500:]
            raise FleetError(f"agent {self.app} said nothing (log {self.log}):\n{tail}")
        payload: dict[str, Any] = json.loads(line)
        return payload

    async def ready(self) -> None:
        await self._line(READY_S)

    async def stop(self) -> dict[str, Any]:
        assert self.process.stdin is not None
        try:
            self.process.stdin.write(b"stop\n")
            await self.process.stdin.drain()
        except ConnectionError:  # it died during the calls: _line says so, with its log
            pass
        report = await self._line(STOP_S)
        await self.process.wait()
        return report

    def kill(self) -> None:
        if self.process.returncode is None:
            self.process.kill()


async def _one_call(config: Config, voice: SpeechVoice, agent: int, line: str) -> dict[str, Any]:
    pbx = config.pbx
    started = time.time()
    call = await SipCaller.dial(
        pbx.bind_address, pbx.sip_port, to_user=f"fleet{agent}", caller_id=f"06{agent:08d}"
    )
    try:
        script = await run_script(call, voice, [line])
    finally:
        await call.hangup()
    turns = script.turn_ms
    return {
        "agent": agent,
        "line": line,
        "start": started,
        "end": time.time(),
        "answer_ms": (call.answered_at - call.invite_at) * 1000,
        "greeting_ms": script.greeting_ms,
        "turn_ms": turns[0] if turns else None,
    }


async def _agent_calls(
    config: Config, voice: SpeechVoice, agent: int, calls: int
) -> tuple[list[dict[str, Any]], int]:
    results, failed = [], 0
    for i in range(calls):
        line = LINES[(agent + i) % len(LINES)]
        try:
            results.append(await _one_call(config, voice, agent, line))
        except (OSError, TimeoutError) as exc:
            print(f"fleet{agent} call {i} failed: {exc!r}", file=sys.stderr)
            failed += 1
    return results, failed


def _call_wer(calls: list[dict[str, Any]], heard: list[dict[str, Any]]) -> tuple[int, int]:
    """Word errors and reference words over the calls: what the call's agent transcribed
    while it lasted against the line the caller said."""
    errors = words = 0
    for call in calls:
        said = " ".join(
            h["text"]
            for h in heard
            if h["agent"] == call["agent"] and call["start"] <= h["at"] <= call["end"]
        )
        reference = normalize(call["line"])
        errors += edit_distance(reference, normalize(said))
        words += len(reference)
    return errors, words


def _figures(calls: list[dict[str, Any]], heard: list[dict[str, Any]]) -> dict[str, Any]:
    turns = [c["turn_ms"] for c in calls if c["turn_ms"] is not None]
    stt = [h["stt_ms"] for h in heard]
    errors, words = _call_wer(calls, heard)
    return {
        "calls": len(calls),
        "no_reply_turns": len(calls) - len(turns),
        "turn_ms_p50": percentile(turns, 0.5),
        "turn_ms_p95": percentile(turns, 0.95),
        "turn_ms_max": percentile(turns, 1.0),
        "stt_ms_p50": percentile(stt, 0.5),
        "stt_ms_p95": percentile(stt, 0.95),
        "greeting_ms_p50": percentile([c["greeting_ms"] for c in calls if c["greeting_ms"]], 0.5),
        "wer_calls": round(errors / words, 3) if words else None,
    }


def fleet_report(
    plan: FleetPlan,
    calls: dict[int, list[dict[str, Any]]],
    agents: dict[int, dict[str, Any]],
    failed: int,
) -> dict[str, Any]:
    """The whole fleet's figures first, then each agent's (`agents`)."""
    everything = [c for k in sorted(calls) for c in calls[k]]
    heard = {k: [{**h, "agent": k} for h in agents[k]["heard"]] for k in agents}
    per_agent = []
    for k in sorted(agents):
        figures = _figures(calls.get(k, []), heard[k])
        per_agent.append(
            {"app": agents[k]["app"], **figures, "cpu_s": agents[k]["cpu_s"],
             "rss_mb_peak": agents[k]["rss_mb_peak"]}
        )  # fmt: skip
    return {
        "fleet": plan.agents,
        "engine": plan.engine,
        "calls_per_agent": plan.calls,
        "failed": failed,
        **_figures(everything, [h for k in sorted(heard) for h in heard[k]]),
        "agents_cpu_s": round(sum(a["cpu_s"] for a in per_agent), 2),
        "agents_rss_mb_peak_sum": round(sum(a["rss_mb_peak"] for a in per_agent), 1),
        "agents": per_agent,
    }


def _overrides(config: Config, plan: FleetPlan, k: int, uri: str | None) -> dict[str, Any]:
    return {
        "ari": {"app": f"{config.ari.app}-fleet{k}"},
        "store": {"data_dir": str((plan.work / f"agent{k}").resolve())},
        "missed": {"enabled": False},
        "stt": _stt(plan, uri),
    }


async def _measure(
    plan: FleetPlan, config: Config, uri: str | None, server_pid: int | None
) -> dict[str, Any]:
    voice = build_voice(config)
    for line in LINES:  # the callers' speech rendered before the clock starts
        await voice.render(line, 8000)
    agents = [
        await FleetAgent.start(k, _overrides(config, plan, k, uri), plan.config,
                               plan.work / f"agent{k}.log")
        for k in range(1, plan.agents + 1)
    ]  # fmt: skip
    try:
        await asyncio.gather(*(a.ready() for a in agents))
        load = os.getloadavg()[0]
        server_cpu = process_cpu_s(server_pid) if server_pid else 0.0
        started = time.monotonic()
        runs = await asyncio.gather(
            *(_agent_calls(config, voice, a.index, plan.calls) for a in agents)
        )
        wall = time.monotonic() - started
        server_cpu = process_cpu_s(server_pid) - server_cpu if server_pid else 0.0
        reports = await asyncio.gather(*(a.stop() for a in agents))
    finally:
        for agent in agents:
            agent.kill()
    calls = {a.index: run[0] for a, run in zip(agents, runs, strict=True)}
    heard = {a.index: r for a, r in zip(agents, reports, strict=True)}
    # Every call and transcript kept beside the figures, to look at what was heard.
    raw = {"calls": calls, "agents": heard}
    (plan.work / "last-run.json").write_text(json.dumps(raw, ensure_ascii=False, indent=1))
    report = fleet_report(plan, calls, heard, sum(run[1] for run in runs))
    report["wall_s"] = round(wall, 1)
    report["load_1min_at_start"] = round(load, 2)
    if server_pid:
        report["server_cpu_s"] = round(server_cpu, 2)
        report["server_rss_mb_peak"] = round(process_peak_rss_mb(server_pid), 1)
    return report


async def run_fleet(plan: FleetPlan) -> dict[str, Any]:
    """Sandbox up, the server started if `plan.serve`, the fleet measured, all stopped."""
    overrides = {"store": {"data_dir": str(plan.work)}, "missed": {"enabled": False}}
    config = load_config(plan.config, None if plan.config else overrides)
    plan.work.mkdir(parents=True, exist_ok=True)
    await asyncio.to_thread(Sandbox(config).start)
    server: SpeechServer | None = None
    if plan.serve:
        server = SpeechServer.for_engine(plan.engine, config.stt, plan.work)
        await asyncio.to_thread(server.start)
    try:
        uri = server.uri if server else plan.uri
        report = await _measure(plan, config, uri, server.pid if server else plan.server_pid)
    finally:
        if server is not None:
            server.stop()
    report["uri"] = None if server else plan.uri
    report["served_here"] = server is not None
    return report


def plan_of(args: argparse.Namespace) -> FleetPlan:
    """The plan from `decroche bench`'s arguments (devkit.bench parses them)."""
    engine = args.engine or "whisper"
    if args.serve == bool(args.uri) and engine not in ("whisper", "local"):
        raise FleetError(f"--engine {engine} needs --uri URI or --serve (not both)")
    return FleetPlan(
        agents=max(1, args.fleet or 3),
        calls=max(1, args.calls),
        engine=engine,
        uri=args.uri,
        serve=args.serve,
        server_pid=args.server_pid,
        timeout_ms=args.timeout_ms,
        config=args.config,
    )


def main(args: argparse.Namespace) -> int:
    try:
        report = asyncio.run(run_fleet(plan_of(args)))
    except (ConfigError, SandboxError, FleetError, ServerError) as exc:
        print(f"decroche bench: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(report))
        return 0
    for key, value in report.items():
        if key != "agents":
            print(f"{key:<26}  {value}")
    for agent in report["agents"]:
        print(json.dumps(agent))
    return 0
