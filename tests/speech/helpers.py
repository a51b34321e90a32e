"""Audio helpers shared by the speech tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from agent.speech.audio import Pcm, decode_file


def load_sample(folder: Path, stem: str) -> tuple[Pcm, str]:
    audio = folder / f"{stem}.ogg"
    return decode_file(audio), audio.with_suffix(".txt").read_text(encoding="utf-8")


def white_noise(seconds: float, level_db: float, seed: int = 0) -> Pcm:
    rng = np.random.default_rng(seed)
    noise = rng.standard_normal(int(seconds * 16000)) * (10 ** (level_db / 20) * 32768)
    return np.clip(noise, -32768, 32767).astype(np.int16)


def silence(seconds: float) -> Pcm:
    return np.zeros(int(seconds * 16000), dtype=np.int16)
