"""Audio helpers and a scripted engine shared by the speech tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from agent.speech.audio import Pcm, decode_file
from agent.speech.hint import Hint
from agent.speech.stt import Transcript


@dataclass
class ScriptedEngine:
    """A Transcriber answering `texts` in turn (text, alternatives): the first hearing at
    confidence 0.4, the later ones at 0.9, each taking 0.2 s; the hints it got are kept."""

    texts: list[tuple[str, tuple[str, ...]]]
    hints: list[Hint | None] = field(default_factory=list)

    async def transcribe(self, pcm16k: object, hint: Hint | None = None) -> Transcript:
        self.hints.append(hint)
        text, alternatives = self.texts[len(self.hints) - 1]
        confidence = 0.4 if len(self.hints) == 1 else 0.9
        return Transcript(text, 1.0, 0.2, "fr", 0.2, confidence, alternatives)


def load_sample(folder: Path, stem: str) -> tuple[Pcm, str]:
    audio = folder / f"{stem}.ogg"
    return decode_file(audio), audio.with_suffix(".txt").read_text(encoding="utf-8")


def white_noise(seconds: float, level_db: float, seed: int = 0) -> Pcm:
    rng = np.random.default_rng(seed)
    noise = rng.standard_normal(int(seconds * 16000)) * (10 ** (level_db / 20) * 32768)
    return np.clip(noise, -32768, 32767).astype(np.int16)


def silence(seconds: float) -> Pcm:
    return np.zeros(int(seconds * 16000), dtype=np.int16)
