"""The agent's voice: cached prompts instantly, anything else synthesized and resampled."""

from __future__ import annotations

from collections.abc import Iterable

from agent.media.codecs import Pcm
from agent.speech.audio import resample
from agent.speech.tts import PromptCache, Synthesizer


class SpeechVoice:
    """Implements agent.call.ports.Voice over a TTS engine and a per-rate prompt cache."""

    def __init__(self, synthesizer: Synthesizer) -> None:
        self.synthesizer = synthesizer
        self._caches: dict[int, PromptCache] = {}

    async def prepare(self, texts: Iterable[str], sample_rate: int) -> None:
        """Render fixed prompts (greeting, questions) before the first call."""
        cache = self._caches.setdefault(sample_rate, PromptCache(self.synthesizer, sample_rate))
        await cache.render(texts)

    async def render(self, text: str, sample_rate: int) -> Pcm:
        cache = self._caches.get(sample_rate)
        cached = cache.get(text) if cache is not None else None
        if cached is not None:
            return cached
        pcm = await self.synthesizer.synthesize(text)
        return resample(pcm, self.synthesizer.sample_rate, sample_rate)
