"""Agents sharing one speech server against agents with their own Whisper (issue 12 item 7).

`python -m devkit.eval.remote --agents 3 [--engine wyoming --uri tcp://HOST:PORT]`

Each agent is a transcriber answering the same caller turns one after the other, as during
calls that keep it busy; the agents run at once. Local: each agent loads its own Whisper (as
separate boxes or processes would). Remote: every agent is a client of the one server.
Turns: varied French answers (not the demo's) spoken by Pico, through the phone channel.
Prints one JSON object: turn latency p50/p95/max over all agents, and this process's RSS.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import time
from collections.abc import Sequence
from typing import Any

from agent.speech.audio import STT_RATE, Pcm, phone_channel, resample
from agent.speech.hint import Hint
from agent.speech.settings import SttSettings, TtsSettings
from agent.speech.stt import Transcriber
from agent.speech.stt_engines import ENGINES, make_transcriber

# (what the caller says, the question it answers): short and long, hesitant, corrected.
TURNS: tuple[tuple[str, Hint], ...] = (
    ("Euh, oui bonjour, mon chauffe-eau fuit depuis ce matin.", Hint("problem", "problem")),
    ("Je m'appelle Claire Dubois.", Hint("name", "name")),
    ("Oui.", Hint("yes_no", "readback")),
    ("C'est au 12 rue Victor Hugo, à Villeurbanne.", Hint("address", "address")),
    ("Non, plutôt le zéro six, douze, trente-quatre, cinquante-six, soixante-dix-huit.",
     Hint("phone", "phone")),
    ("La porte d'entrée est bloquée, la clé a cassé dans la serrure, je suis dehors.",
     Hint("problem", "problem")),
    ("Vénissieux.", Hint("town", "town", ("Vénissieux", "Vaulx-en-Velin", "Villeurbanne"))),
    ("Non, attendez, c'est Dubois avec un S à la fin.", Hint("name", "name")),
)  # fmt: skip


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def _speak() -> list[tuple[Pcm, Hint]]:
    from agent.speech.tts_engines import create

    pico = create("pico", TtsSettings())
    turns = []
    for text, hint in TURNS:
        pcm = resample(await pico.synthesize(text), pico.sample_rate, STT_RATE)
        turns.append((phone_channel(pcm), hint))
    return turns


async def _agent(stt: Transcriber, turns: list[tuple[Pcm, Hint]], rounds: int) -> list[float]:
    latencies = []
    for _ in range(rounds):
        for pcm, hint in turns:
            started = time.perf_counter()
            await stt.transcribe(pcm, hint)
            latencies.append((time.perf_counter() - started) * 1000)
    return latencies


async def run(settings: SttSettings, agents: int, rounds: int) -> dict[str, Any]:
    turns = await _speak()
    transcribers = [make_transcriber(settings) for _ in range(agents)]
    await transcribers[0].transcribe(*turns[0])  # a cold server loads its model here
    started = time.perf_counter()
    results = await asyncio.gather(*(_agent(t, turns, rounds) for t in transcribers))
    wall = time.perf_counter() - started
    latencies = [ms for agent in results for ms in agent]
    return {
        "engine": settings.engine,
        "agents": agents,
        "turns": len(latencies),
        "turn_ms_p50": round(percentile(latencies, 0.5)),
        "turn_ms_p95": round(percentile(latencies, 0.95)),
        "turn_ms_max": round(max(latencies)),
        "wall_s": round(wall, 1),
        "rss_mb_peak": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devkit.eval.remote")
    parser.add_argument("--agents", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=2, help="times each agent hears the set")
    parser.add_argument("--engine", choices=tuple(ENGINES), default="whisper")
    parser.add_argument("--uri", default=None)
    parser.add_argument("--timeout-ms", type=int, default=60000)
    args = parser.parse_args(argv)
    settings = SttSettings(
        engine=args.engine, uri=args.uri, timeout_ms=args.timeout_ms, fallback="none"
    )
    print(json.dumps(asyncio.run(run(settings, max(1, args.agents), max(1, args.rounds)))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
