"""Text to speech: the `Synthesizer` protocol, sentence streaming, the prompt cache.

Engines (tts_engines.py, which also picks one: `make_synthesizer`) only implement blocking
`synthesize_sync(text) -> Pcm` at their native rate; this module gives them the async surface
the call uses, and knows no engine:

- `await synth.synthesize(text)`     whole text, native rate (`synth.sample_rate`).
- `async for pcm in synth.stream(text, rate)`  sentence by sentence at the call's rate, the
  first sentence yielded while the next is being synthesized. On barge-in, close it
  (`async with contextlib.aclosing(synth.stream(...)) as audio:`) so the pending sentence's
  synthesis is cancelled at once rather than at garbage collection.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncGenerator, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol

import numpy as np

from agent.speech.audio import Pcm, Resampler, resample

log = logging.getLogger(__name__)

# Sentence ends, plus `;`/`:` which read as pauses; fragments shorter than this are merged
# with the next so a synthesized piece is never just "Oui." followed by a gap.
_SENTENCE_END = re.compile(r"(?<=[.!?…;:])\s+")
_MIN_CHARS = 25


class TtsUnavailableError(RuntimeError):
    """No configured TTS engine can run here; the message says how to install one."""


class SynthesisError(RuntimeError):
    """An engine failed on a text (crashed, timed out, produced no audio)."""


class Synthesizer(Protocol):
    name: str
    sample_rate: int

    async def synthesize(self, text: str) -> Pcm: ...

    def stream(self, text: str, rate: int) -> AsyncGenerator[Pcm, None]: ...


def split_sentences(text: str) -> list[str]:
    pieces = [p.strip() for p in _SENTENCE_END.split(text.strip()) if p.strip()]
    merged: list[str] = []
    for piece in pieces:
        if merged and len(merged[-1]) < _MIN_CHARS:
            merged[-1] = f"{merged[-1]} {piece}"
        else:
            merged.append(piece)
    return merged


class EngineBase:
    """Async surface over a blocking engine. Subclasses set `name`, `sample_rate` and
    implement `synthesize_sync`."""

    name = "engine"
    sample_rate = 16000
    _pool: ThreadPoolExecutor | None = None

    def synthesize_sync(self, text: str) -> Pcm:
        raise NotImplementedError

    async def synthesize(self, text: str) -> Pcm:
        # One synthesis at a time across calls (the process has one engine): TTS is fast (pico
        # ~100x real time) and this keeps it from competing with Whisper for the two cores.
        if self._pool is None:
            self._pool = ThreadPoolExecutor(1, thread_name_prefix=f"tts-{self.name}")
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, self.synthesize_sync, text)

    async def stream(self, text: str, rate: int) -> AsyncGenerator[Pcm, None]:
        sentences = split_sentences(text)
        if not sentences:
            return
        resampler = Resampler(self.sample_rate, rate)
        pending = asyncio.ensure_future(self.synthesize(sentences[0]))
        try:
            for index in range(len(sentences)):
                pcm = await pending
                if index + 1 < len(sentences):  # prefetch while this sentence plays
                    pending = asyncio.ensure_future(self.synthesize(sentences[index + 1]))
                last = index + 1 == len(sentences)
                out = resampler.process(pcm, last=last)
                if out.size:
                    yield out
        finally:
            # A barge-in closes the generator: do not leave a synthesis running for nobody.
            if not pending.done():
                pending.cancel()


class PromptCache:
    """Fixed prompts rendered once at start, at the call's rate, so they play instantly."""

    def __init__(self, synthesizer: Synthesizer, rate: int) -> None:
        self.synthesizer = synthesizer
        self.rate = rate
        self._audio: dict[str, Pcm] = {}

    async def render(self, texts: Iterable[str]) -> None:
        for text in dict.fromkeys(t.strip() for t in texts if t.strip()):
            if text not in self._audio:
                pcm = await self.synthesizer.synthesize(text)
                self._audio[text] = resample(pcm, self.synthesizer.sample_rate, self.rate)

    def get(self, text: str) -> Pcm | None:
        return self._audio.get(text.strip())

    def __contains__(self, text: object) -> bool:
        return isinstance(text, str) and text.strip() in self._audio

    def __len__(self) -> int:
        return len(self._audio)

    @property
    def texts(self) -> Sequence[str]:
        return tuple(self._audio)


def silence(ms: int, rate: int) -> Pcm:
    return np.zeros(rate * ms // 1000, dtype=np.int16)
