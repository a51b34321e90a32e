"""`decroche bench`: latency, speech accuracy and memory measured from the caller's side.

Real SIP calls into the sandbox Asterisk with an in-process agent. Reports medians and p95,
never pass/fail: the machine is shared and noisy. `--json` prints one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path
from typing import Any

from agent.config import ConfigError, load_config
from agent.speech import stt_engines
from agent.speech.remote import SpeechUnavailableError
from devkit.bench_common import LINES, percentile
from devkit.caller.ring_probe import RingProbe, start_ring_probe
from devkit.caller.script import run_script
from devkit.eval.wer import evaluate
from devkit.sandbox.harness import Harness, running
from devkit.sandbox.pbx import SandboxError
from devkit.sim.persona import Persona
from devkit.sim.simulate import HIDDEN, converse


def _urgent_caller(ident: str, caller_id: str, problem: str, name: str, town: str) -> Persona:
    answers = {"problem": problem, "name": name, "town": town, "phone": "06 51 42 89 73."}
    return Persona(ident, caller_id, {**answers, "phone_confirm": "Oui.", "other": "Oui."})


# Urgent callers, varied, most of them plain (a gas smell and a hidden number are the rarer
# cases, each a required step longer: the safety advice said first, the number asked): a
# burst water heater, a gas smell, a hidden number at a flooding cellar, a hesitant
# overflowing toilet, a leak running down the stairs.
URGENT = (
    _urgent_caller("chauffe-eau", "0687234519",
                   "Au secours, le chauffe-eau a lâché, il y a de l'eau partout dans la cuisine !",
                   "Nathalie Girard.", "Villeurbanne."),
    _urgent_caller("gaz", "0698431275",
                   "Ça sent le gaz très fort dans mon entrée, qu'est-ce que je dois faire ?",
                   "Henri Marchand.", "À Lyon."),
    _urgent_caller("cave-masque", "",
                   "C'est urgent, une canalisation a éclaté dans la cave, ça inonde tout.",
                   "Karim Benali.", "Vénissieux."),
    _urgent_caller("wc", "0645902213",
                   "Euh bonjour, c'est une urgence, mes toilettes débordent et ça coule chez "
                   "le voisin du dessous.", "Rousseau, Claire Rousseau.", "C'est à Bron."),
    _urgent_caller("escalier", "0611223344",
                   "Vite, le ballon d'eau chaude fuit et l'eau descend dans l'escalier.",
                   "Monsieur Petit, Alain Petit.", "Caluire-et-Cuire."),
)  # fmt: skip
RING_WAIT_S = 120.0  # an urgent call whose mobile has not rung by then counts as failed


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class RssSampler:
    """Peak resident memory of this process (agent + callers) while calls run."""

    def __init__(self) -> None:
        self.peak = 0.0
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        while True:
            self.peak = max(self.peak, rss_mb())
            await asyncio.sleep(0.1)

    def __enter__(self) -> RssSampler:
        self.peak = rss_mb()
        self._task = asyncio.get_running_loop().create_task(self._run())
        return self

    def __exit__(self, *_: object) -> None:
        if self._task is not None:
            self._task.cancel()


async def one_call(harness: Harness, index: int) -> dict[str, float | None]:
    call = await harness.dial(f"06{10000000 + index:08d}")
    try:
        script = await run_script(call, harness.voice, [LINES[index % len(LINES)]])
    finally:
        await call.hangup()
    turns = script.turn_ms
    # No acknowledgement is played before the answer today, so the first audio the caller
    # hears is the answer itself: turn_ms_first_audio equals turn_ms until one is.
    return {
        "answer_ms": (call.answered_at - call.invite_at) * 1000,
        "greeting_ms": script.greeting_ms,
        "turn_ms": turns[0] if turns else None,
        "first_audio_ms": turns[0] if turns else None,
    }


async def urgent_call(harness: Harness, probe: RingProbe, persona: Persona) -> float:
    """End of the caller's urgent sentence to the INVITE reaching the artisan's mobile (ms);
    the caller answers what is asked until the mobile has rung."""
    call = await harness.dial(persona.caller_id or HIDDEN)
    started = time.monotonic()
    try:
        async with asyncio.timeout(RING_WAIT_S):
            _, talk = await converse(
                call, harness, persona, until=lambda: probe.rang_since(started) is not None
            )
    finally:
        await call.hangup()
    rang = probe.rang_since(started)
    if rang is None or not talk.script.exchanges:
        raise TimeoutError(f"{persona.id}: the mobile never rang")
    return (rang - talk.script.exchanges[0].ended_at) * 1000


async def _urgent(harness: Harness) -> tuple[list[float], int]:
    trunk = harness.config.trunk
    probe = await start_ring_probe(trunk.host, trunk.port)
    rings: list[float] = []
    try:
        for persona in URGENT:
            try:
                rings.append(await urgent_call(harness, probe, persona))
                print(f"urgent call {persona.id}: rang after {rings[-1]:.0f} ms", file=sys.stderr)
            except (OSError, TimeoutError) as exc:
                print(f"urgent call {persona.id} failed: {exc!r}", file=sys.stderr)
    finally:
        probe.close()
    return rings, len(URGENT) - len(rings)


async def _bench(
    calls: int, config_path: Path | None, stt: dict[str, Any] | None = None
) -> dict[str, Any]:
    overrides: dict[str, Any] = {"store": {"data_dir": ".var/bench"}, "missed": {"enabled": False}}
    if config_path is not None:
        overrides = {}
    if stt:
        overrides["stt"] = stt
    config = load_config(config_path, overrides or None)
    async with running(config) as harness:
        results: list[dict[str, float | None]] = []
        failed = 0
        with RssSampler() as one:
            for index in range(calls):
                try:
                    results.append(await one_call(harness, index))
                except (OSError, TimeoutError) as exc:
                    print(f"call {index} failed: {exc}", file=sys.stderr)
                    failed += 1
        with RssSampler() as four:
            parallel = await asyncio.gather(
                *(one_call(harness, 100 + i) for i in range(4)), return_exceptions=True
            )
        rings, failed_urgent = await _urgent(harness)
        # The agent's own transcriber: the model is shared, not loaded twice.
        try:
            wer: Any = await evaluate(harness.transcriber, phone=True)
        except SpeechUnavailableError as exc:  # a remote engine without fallback failed a file
            print(f"speech-fr evaluation failed: {exc}", file=sys.stderr)
            wer = None
    ok4 = [r for r in parallel if isinstance(r, dict)]
    failed += len(parallel) - len(ok4) + failed_urgent
    report = _report(calls, results, failed, ok4, one.peak, four.peak, wer)
    report["urgent_to_ring_ms_p50"] = percentile(rings, 0.5)
    report["urgent_to_ring_ms_max"] = percentile(rings, 1.0)
    return report


def _values(results: list[dict[str, float | None]], key: str) -> list[float]:
    return [v for r in results if (v := r.get(key)) is not None]


def _report(
    calls: int,
    results: list[dict[str, float | None]],
    failed: int,
    parallel: list[dict[str, float | None]],
    rss_one: float,
    rss_four: float,
    wer: Any,
) -> dict[str, Any]:
    answer, greeting = _values(results, "answer_ms"), _values(results, "greeting_ms")
    turns, turns4 = _values(results, "turn_ms"), _values(parallel, "turn_ms")
    return {
        "calls": calls,
        "failed": failed,
        "answer_ms_p50": percentile(answer, 0.5),
        "answer_ms_p95": percentile(answer, 0.95),
        "greeting_ms_p50": percentile(greeting, 0.5),
        "greeting_ms_p95": percentile(greeting, 0.95),
        "turn_ms_p50": percentile(turns, 0.5),
        "turn_ms_p95": percentile(turns, 0.95),
        "turn_ms_first_audio_p50": percentile(_values(results, "first_audio_ms"), 0.5),
        "turn_ms_max_4calls": percentile(turns4, 1.0),
        "turn_ms_p50_4calls": percentile(turns4, 0.5),
        "stt_rtf": round(wer.rtf, 3) if wer else None,
        "wer_speech_fr_phone": round(wer.wer, 3) if wer else None,
        "rss_mb_1call": round(rss_one, 1),
        "rss_mb_4calls": round(rss_four, 1),
        "no_reply_turns": len(results) - len(turns),
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="decroche bench")
    parser.add_argument(
        "--calls", type=int, default=20, help="sequential calls (>= 1; per agent with --fleet)"
    )
    parser.add_argument("--config", type=Path, default=None)
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout")
    parser.add_argument(
        "--engine", choices=tuple(stt_engines.ENGINES), help="[stt] engine for this run"
    )
    parser.add_argument("--uri", help="the speech server of a remote --engine")
    # The production timeout (2.5 s) would fail a slow server's turns: the bench measures them.
    parser.add_argument("--timeout-ms", type=int, default=30000, help="per remote turn")
    parser.add_argument("--fleet", type=int, default=0, help="N agents, each its own process")
    parser.add_argument("--serve", action="store_true", help="--fleet: start --engine's server")
    parser.add_argument("--server-pid", type=int, help="--fleet: measure this server's CPU/RSS")
    args = parser.parse_args(argv)
    if args.fleet or args.serve:
        from devkit.bench_fleet import main as fleet

        return fleet(args)
    # A remote engine is measured alone: a turn it fails counts as failed, not heard locally.
    stt = None
    if args.uri:
        stt = {"engine": args.engine, "uri": args.uri, "fallback": "none"}
        stt["timeout_ms"] = args.timeout_ms
    if args.engine and not args.uri:
        stt = {"engine": args.engine}
    try:
        report = asyncio.run(_bench(max(1, args.calls), args.config, stt))
    except (ConfigError, SandboxError) as exc:
        print(f"decroche bench: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(report))
    else:
        width = max(len(k) for k in report)
        for key, value in report.items():
            print(f"{key:<{width}}  {value}")
    return 0
