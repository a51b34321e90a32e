"""Call recording: caller on the left channel, agent on the right, one WAV per call.

Chunks are placed by arrival time, so gaps in either direction stay gaps and the two sides
stay aligned. Memory is capped by `max_seconds` (later audio is not kept).
"""

from __future__ import annotations

import time
import wave
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from agent.media.codecs import Pcm


class StereoRecorder:
    def __init__(self, sample_rate: int, max_seconds: int = 1800) -> None:
        self.sample_rate = sample_rate
        self._capacity = sample_rate * max_seconds
        self._tracks = (np.zeros(0, dtype=np.int16), np.zeros(0, dtype=np.int16))
        self._chunks: tuple[list[tuple[int, Pcm]], list[tuple[int, Pcm]]] = ([], [])
        self._cursor = [0, 0]
        self._started = time.monotonic()

    def _add(self, side: int, samples: Pcm) -> None:
        now_index = int((time.monotonic() - self._started) * self.sample_rate)
        position = max(self._cursor[side], now_index - len(samples))
        if position + len(samples) > self._capacity:
            return
        self._chunks[side].append((position, samples.copy()))
        self._cursor[side] = position + len(samples)

    def caller(self, samples: Pcm) -> None:
        self._add(0, samples)

    def agent(self, samples: Pcm) -> None:
        self._add(1, samples)

    def write(self, path: Path) -> Path:
        length = max(self._cursor)
        stereo = np.zeros((length, 2), dtype=np.int16)
        for side, chunks in enumerate(self._chunks):
            for position, samples in chunks:
                stereo[position : position + len(samples), side] = samples
        path.parent.mkdir(parents=True, exist_ok=True)
        with wave.open(str(path), "wb") as out:
            out.setnchannels(2)
            out.setsampwidth(2)
            out.setframerate(self.sample_rate)
            out.writeframes(stereo.tobytes())
        return path


def purge_recordings(folder: Path, retention_days: int) -> int:
    """Delete recordings older than the retention period; returns how many were removed."""
    if not folder.is_dir():
        return 0
    limit = (datetime.now(UTC) - timedelta(days=retention_days)).timestamp()
    removed = 0
    for path in folder.glob("*.wav"):
        if path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
