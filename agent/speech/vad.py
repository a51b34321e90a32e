"""Per-frame speech/no-speech decision: webrtcvad gated by energy, noise floor and flatness.

webrtcvad alone calls steady white noise "speech" at ordinary levels, so three cheap gates
are added: an absolute energy floor, a tracked background level (stationary noise raises it),
and spectral flatness (noise is flat, voiced speech is peaky).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import webrtcvad

from agent.speech.audio import FRAME_16K, STT_RATE, Pcm, rms_db
from agent.speech.settings import TurnSettings

_WINDOW = np.hanning(FRAME_16K)
_FREQS = np.fft.rfftfreq(FRAME_16K, d=1.0 / STT_RATE)
_BAND = (_FREQS >= 300.0) & (_FREQS <= 3400.0)
# Background tracker: falls fast when the line gets quieter, rises slowly (~2 s time constant
# at 20 ms frames) so speech itself barely moves it but a steady noise is learnt.
_NOISE_FALL = 0.2
_NOISE_RISE = 0.01


def spectral_flatness(frame: Pcm) -> float:
    """Geometric over arithmetic mean of the 300-3400 Hz power spectrum (0 peaky .. 1 flat)."""
    power = np.abs(np.fft.rfft(frame.astype(np.float64) * _WINDOW)) ** 2
    band = power[_BAND] + 1e-9
    return float(np.exp(np.mean(np.log(band))) / np.mean(band))


@dataclass(frozen=True)
class FrameVerdict:
    speech: bool
    level_db: float
    noise_db: float
    flatness: float


class FrameClassifier:
    """Stateful: tracks the background level of one call. Feed 20 ms int16 frames at 16 kHz."""

    def __init__(self, settings: TurnSettings) -> None:
        self.settings = settings
        self._vad = webrtcvad.Vad(settings.vad_aggressiveness)
        self.noise_db = settings.energy_floor_db

    def classify(self, frame: Pcm, *, agent_speaking: bool = False) -> FrameVerdict:
        if frame.shape != (FRAME_16K,):
            raise ValueError(f"expected a 20 ms frame of {FRAME_16K} samples, got {frame.shape}")
        s = self.settings
        level = rms_db(frame)
        floor = s.speaking_energy_floor_db if agent_speaking else s.energy_floor_db
        noise = self.noise_db
        self._track_noise(level)
        if level < floor or level < noise + s.snr_margin_db:
            return FrameVerdict(False, level, noise, 1.0)
        flatness = spectral_flatness(frame)
        speech = flatness <= s.max_flatness and self._vad.is_speech(frame.tobytes(), STT_RATE)
        return FrameVerdict(speech, level, noise, flatness)

    def _track_noise(self, level: float) -> None:
        level = max(level, self.settings.energy_floor_db - 20.0)
        rate = _NOISE_FALL if level < self.noise_db else _NOISE_RISE
        self.noise_db += rate * (level - self.noise_db)
