"""One agent of a bench fleet (`decroche bench --fleet N`), in its own process as on its own box.

`python -m devkit.bench_fleet_agent CONFIG_JSON` loads the config with the JSON overrides (its
ARI application, data folder, [stt] engine), connects, prints `{"ready": true}` on stdout,
answers calls until a line arrives on stdin, then prints one JSON line of what it measured
between ready and stop: CPU seconds (its threads and the Pico processes it waited for), peak
resident memory, the time each transcription took and its text. Its logs go to stderr.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import resource
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agent.config import load_config
from agent.service import build_agent
from agent.speech.audio import STT_RATE, Pcm
from agent.speech.hint import Hint
from agent.speech.stt import Transcriber, Transcript, WhisperTranscriber
from agent.wiring import build_transcriber, build_voice

CONNECT_S = 30.0
WARM_UP = "Bonjour, j'appelle pour une fuite sous mon évier."


@dataclass(frozen=True)
class Heard:
    at: float  # time.time() when the transcription ended
    stt_ms: float
    audio_s: float
    text: str


@dataclass
class TimedTranscriber:
    """The agent's transcriber, every turn's transcription time and text noted."""

    inner: Transcriber
    heard: list[Heard] = field(default_factory=list)

    async def transcribe(self, pcm16k: Pcm, hint: Hint | None = None) -> Transcript:
        started = time.perf_counter()
        transcript = await self.inner.transcribe(pcm16k, hint)
        elapsed_ms = (time.perf_counter() - started) * 1000
        self.heard.append(Heard(time.time(), elapsed_ms, transcript.seconds, transcript.text))
        return transcript


def peak_rss_mb(status: Path = Path("/proc/self/status")) -> float:
    """VmHWM: the most resident memory the process ever had (its model loaded included)."""
    for line in status.read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _say(payload: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(payload) + "\n")
    sys.stdout.flush()


async def serve(overrides: dict[str, Any], config_path: Path | None) -> dict[str, Any]:
    config = load_config(config_path, overrides)
    voice = build_voice(config)
    local = build_transcriber(config)
    # One turn heard before the calls, as a box has heard some before the bench's: the
    # first inference (and a server's first request) pays one-time costs.
    await local.transcribe(await voice.render(WARM_UP, STT_RATE))
    timed = TimedTranscriber(local)
    agent = await build_agent(config, voice=voice, transcriber=timed)
    task = asyncio.get_running_loop().create_task(agent.run(), name="agent")
    try:
        await asyncio.wait_for(agent.stream.connected.wait(), CONNECT_S)
        cpu_at_ready = cpu_seconds()
        _say({"ready": True, "app": config.ari.app})
        await asyncio.to_thread(sys.stdin.readline)  # the bench says stop (or goes away)
        cpu = cpu_seconds() - cpu_at_ready
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        if isinstance(local, WhisperTranscriber):
            local.engine.close()
    return {
        "app": config.ari.app,
        "cpu_s": round(cpu, 2),
        "rss_mb_peak": round(peak_rss_mb(), 1),
        "heard": [dataclasses.asdict(h) for h in timed.heard],
    }


def main(argv: list[str]) -> int:
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    config_path = Path(argv[1]) if len(argv) > 1 else None
    report = asyncio.run(serve(json.loads(argv[0]), config_path))
    _say(report)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
