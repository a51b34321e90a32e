"""Readings weighed against the audio: for an answer the dialogue can write out in full once
it knows part of it (the street matched, so only the house number is open), the likeliest of
those readings under Whisper replaces what free decoding guessed.

Free decoding through the phone line drops or bends the numbers of compound French words
("quarante-deux" -> "40 de", "quatre-vingt-dix" -> "80", "sept avenue" -> "C'est avenue");
the same model, asked how likely "Au 42 cours Émile Zola" is against "Au 40 cours Émile
Zola", tells them apart (teacher-forced log-probability, `DirectWhisper.score`). The
dialogue proposes (`Hint.rescore`), the ear disposes. Engine-agnostic on the inside: it
wraps any Transcriber, and scores with any `Scorer` (the local Whisper).
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from agent.speech.audio import Pcm
from agent.speech.hint import Hint
from agent.speech.stt import Transcriber, Transcript

__all__ = ["RescoringTranscriber", "Scorer", "chosen"]

log = logging.getLogger(__name__)

# Log-probability by which the likeliest reading must beat the next one to be taken. On the
# 36 weighed answers of `make eval-hearing` (Pico through μ-law), the 8 wrong picks were all
# within 2.4 of their runner-up and 25 of 29 right ones beyond 2.9: below the gap, what was
# heard stands (a missing house number is asked about at the read-back, a wrong one is not).
MARGIN = 2.5


@runtime_checkable
class Scorer(Protocol):
    async def score_texts(
        self, pcm16k: Pcm, hint: Hint | None, texts: Sequence[str]
    ) -> list[float]: ...


class RescoringTranscriber:
    def __init__(self, inner: Transcriber, scorer: Scorer) -> None:
        self.inner = inner
        self.scorer = scorer

    async def transcribe(self, pcm16k: Pcm, hint: Hint | None = None) -> Transcript:
        heard = await self.inner.transcribe(pcm16k, hint)
        if hint is None or hint.rescore is None or not heard.text:
            return heard
        started = time.perf_counter()
        # Off the event loop: matching the street over the area takes tens of milliseconds.
        readings = await asyncio.to_thread(hint.rescore, (heard.text, *heard.alternatives))
        if len(readings) < 2:
            return heard
        scores = await self.scorer.score_texts(pcm16k, hint, readings)
        order = sorted(range(len(readings)), key=scores.__getitem__, reverse=True)
        best, gap = readings[order[0]], scores[order[0]] - scores[order[1]]
        log.debug("weighed %d readings of %r: %r by %.2f", len(readings), heard.text, best, gap)
        elapsed = time.perf_counter() - started
        if gap < MARGIN:
            return dataclasses.replace(heard, elapsed_s=heard.elapsed_s + elapsed)
        return chosen(heard, best, elapsed)


def chosen(heard: Transcript, reading: str, elapsed_s: float) -> Transcript:
    """`reading` first; every text heard after it, so what the reading leaves out (a town
    said after the street) is still there for the matcher. The confidence stays the
    hearing's: weighing readings makes one of them the likeliest, not a sure one."""
    texts = dict.fromkeys((heard.text, *heard.alternatives))
    texts.pop(reading, None)
    return dataclasses.replace(
        heard,
        text=reading,
        alternatives=tuple(texts),
        elapsed_s=heard.elapsed_s + elapsed_s,
        rtf=heard.rtf + elapsed_s / max(heard.seconds, 1e-6),
    )
