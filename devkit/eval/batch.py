"""`python -m devkit.eval.batch`: four callers' answers at once, batched against queued.

Each round gives the same four answers (Pico through the phone channel, 2-6 s with the
pauses the endpointing keeps) to one transcriber at the same instant, as four calls ending
their turns together would, and times each answer from that instant. Variants, interleaved
round by round on one loaded model:
- queued: one turn at a time, shortest first (`max_batch=1`);
- batched: equal windows encoded one by one, then one generate call per set of options
  (the default);
- batched-encode: the same with one encoder call for the equal windows too.
Two sets: four answers to the same question (all short: one window) and four answers to
different questions (a yes, a name, a phone number, a problem: windows and options differ).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import statistics
import sys
import time
from dataclasses import dataclass, field

import numpy as np

from agent.speech.audio import Pcm, phone_channel, resample
from agent.speech.hint import Hint
from agent.speech.paths import PROJECT_ROOT
from agent.speech.settings import SttSettings, TtsSettings
from agent.speech.stt import WhisperTranscriber
from agent.speech.whisper_engine import WhisperEngine, load_model

_CACHE = PROJECT_ROOT / ".var" / "batch_eval"
_TOWNS = ("Blagnac", "Tournefeuille", "Colomiers", "Balma", "Muret", "Cugnaux")

SAME_QUESTION: tuple[tuple[str, Hint], ...] = tuple(
    (said, Hint("town", "town", _TOWNS))
    for said in (
        "À Blagnac.",
        "Euh, c'est à Tournefeuille.",
        "J'habite à Colomiers, près de la gare.",
        "Balma, voilà.",
    )
)
MIXED: tuple[tuple[str, Hint], ...] = (
    ("Oui, c'est bien ça, merci.", Hint("yes_no", "readback")),
    ("Alors je m'appelle Nathalie Lefèvre.", Hint("name", "name")),
    ("Zéro six, douze, trente-quatre, cinquante-six, soixante-dix-huit.", Hint("phone", "phone")),
    (
        "Bonjour, j'ai une fuite sous l'évier de la cuisine depuis hier soir, ça coule partout.",
        Hint("problem", "problem"),
    ),
)


def _speak(text: str) -> Pcm:
    path = _CACHE / (hashlib.sha1(text.encode()).hexdigest()[:16] + ".npy")
    if path.exists():
        cached: Pcm = np.load(path)
        return cached
    from agent.speech.tts_engines import create

    pico = create("pico", TtsSettings())
    speech = resample(pico.synthesize_sync(text), pico.sample_rate, 16000)
    pause = np.zeros(4800, dtype=np.int16)  # endpointing keeps ~0.3 s around the words
    line = phone_channel(np.concatenate([pause, speech, pause]))
    _CACHE.mkdir(parents=True, exist_ok=True)
    np.save(path, line)
    return line


@dataclass
class Timings:
    latency_ms: list[float] = field(default_factory=list)  # every answer of every round
    wall_ms: list[float] = field(default_factory=list)  # the last answer of each round
    texts: set[tuple[str, ...]] = field(default_factory=set)


async def _round(
    transcriber: WhisperTranscriber, clips: list[tuple[Pcm, Hint]], into: Timings
) -> None:
    started = time.perf_counter()

    async def one(pcm: Pcm, hint: Hint) -> tuple[float, str]:
        text = (await transcriber.transcribe(pcm, hint)).text
        return (time.perf_counter() - started) * 1000, text

    done = await asyncio.gather(*(one(pcm, hint) for pcm, hint in clips))
    into.latency_ms.extend(ms for ms, _ in done)
    into.wall_ms.append(max(ms for ms, _ in done))
    into.texts.add(tuple(text for _, text in done))


async def _compare(rounds: int) -> None:
    settings = SttSettings()
    model = load_model(settings)
    variants = {
        "queued": WhisperEngine(settings, model, max_batch=1),
        "batched": WhisperEngine(settings, model),
        "batched-encode": WhisperEngine(settings, model, batch_encode=True),
    }
    for name, answers in (("same question", SAME_QUESTION), ("mixed", MIXED)):
        clips = [(_speak(said), hint) for said, hint in answers]
        seconds = ", ".join(f"{pcm.size / 16000:.1f}" for pcm, _ in clips)
        print(f"{name}: answers of {seconds} s")
        timings = {v: Timings() for v in variants}
        for _ in range(rounds):
            for variant, engine in variants.items():
                await _round(WhisperTranscriber(settings, engine), clips, timings[variant])
        for variant, t in timings.items():
            print(
                f"  {variant:<17} per answer median {statistics.median(t.latency_ms):5.0f} ms"
                f" mean {statistics.fmean(t.latency_ms):5.0f}"
                f" | last answer median {statistics.median(t.wall_ms):5.0f} ms"
                f" | readings {'stable' if len(t.texts) == 1 else 'VARY'}"
            )
    for engine in variants.values():
        engine.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devkit.eval.batch")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    asyncio.run(_compare(max(1, args.rounds)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
