"""Audio plumbing for the speech layer: PCM types, per-call resampling, file decoding, levels,
and a simulated telephone channel used to evaluate recognition the way callers sound.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt
import soxr

from agent.media.codecs import ulaw_decode, ulaw_encode

Pcm = npt.NDArray[np.int16]
STT_RATE = 16000
FRAME_MS = 20
FRAME_16K = STT_RATE * FRAME_MS // 1000  # 320 samples
# ITU-T P.56 nominal active speech level on a telephone line, in dB below full scale.
PHONE_SPEECH_LEVEL_DB = -26.0


class AudioDecodeError(ValueError):
    """An audio file is missing or cannot be decoded; the message names the file."""


class Resampler:
    """One stateful resampler per call and direction.

    soxr's ResampleStream keeps its filter state between chunks, so 20 ms frames resampled one
    after another join without the clicks a per-chunk resampler makes at every boundary (those
    clicks measurably hurt recognition). Same rate in and out is a no-op.
    """

    def __init__(self, in_rate: int, out_rate: int, *, quality: str = "HQ") -> None:
        if in_rate <= 0 or out_rate <= 0:
            raise ValueError(f"sample rates must be positive, got {in_rate} -> {out_rate}")
        self.in_rate = in_rate
        self.out_rate = out_rate
        self._stream: soxr.ResampleStream | None = None
        if in_rate != out_rate:
            self._stream = soxr.ResampleStream(in_rate, out_rate, 1, dtype="int16", quality=quality)

    def process(self, samples: Pcm, *, last: bool = False) -> Pcm:
        """Resample one chunk; `last=True` flushes the filter's tail (end of a stream)."""
        if self._stream is None:
            return samples
        out = self._stream.resample_chunk(np.ascontiguousarray(samples, dtype=np.int16), last=last)
        return np.asarray(out, dtype=np.int16)

    def flush(self) -> Pcm:
        return self.process(np.zeros(0, dtype=np.int16), last=True)


def resample(samples: Pcm, in_rate: int, out_rate: int) -> Pcm:
    """Resample a whole buffer (prompts, files). Live audio uses a per-call `Resampler`."""
    if in_rate == out_rate:
        return samples
    out = soxr.resample(np.asarray(samples, dtype=np.int16), in_rate, out_rate, quality="HQ")
    return np.asarray(out, dtype=np.int16)


def to_float(samples: Pcm) -> npt.NDArray[np.float32]:
    return (samples.astype(np.float32) / 32768.0).astype(np.float32)


def to_pcm(samples: npt.NDArray[np.floating]) -> Pcm:
    clipped = np.clip(np.asarray(samples, dtype=np.float64) * 32768.0, -32768, 32767)
    return np.round(clipped).astype(np.int16)


def rms_db(samples: Pcm) -> float:
    """RMS level in dB relative to full scale (-inf guarded to -120 for silence)."""
    if samples.size == 0:
        return -120.0
    mean_square = float(np.mean(np.square(samples.astype(np.float64)))) / (32768.0 * 32768.0)
    return 10.0 * float(np.log10(max(mean_square, 1e-12)))


def speech_level_db(samples: Pcm, rate: int = STT_RATE) -> float:
    """Approximate active speech level: mean power of the loudest half of 20 ms frames.

    A cheap stand-in for ITU-T P.56 that ignores pauses, so long silences do not make a
    recording look quiet.
    """
    frame = rate * FRAME_MS // 1000
    count = samples.size // frame
    if count == 0:
        return rms_db(samples)
    frames = samples[: count * frame].astype(np.float64).reshape(count, frame)
    powers = np.sort(np.mean(np.square(frames), axis=1))[count // 2 :]
    return 10.0 * float(np.log10(max(float(np.mean(powers)) / (32768.0**2), 1e-12)))


def set_speech_level(samples: Pcm, target_db: float, rate: int = STT_RATE) -> Pcm:
    gain = 10.0 ** ((target_db - speech_level_db(samples, rate)) / 20.0)
    scaled = np.clip(samples.astype(np.float64) * gain, -32768, 32767)
    return np.asarray(scaled, dtype=np.int16)


def band_pass(samples: Pcm, rate: int, low_hz: float = 300.0, high_hz: float = 3400.0) -> Pcm:
    """Telephone band-pass, done in the frequency domain with short cosine skirts.

    Offline simulation only (whole buffers), so an FFT filter is simpler and exact enough; the
    skirts (about 100 Hz) avoid the ringing a brick wall would add.
    """
    if samples.size == 0:
        return samples
    spectrum = np.fft.rfft(samples.astype(np.float64))
    freqs = np.fft.rfftfreq(samples.size, d=1.0 / rate)
    skirt = 100.0
    rise = np.clip((freqs - (low_hz - skirt)) / skirt, 0.0, 1.0)
    fall = np.clip(((high_hz + skirt) - freqs) / skirt, 0.0, 1.0)
    gain = (0.5 - 0.5 * np.cos(np.pi * rise)) * (0.5 - 0.5 * np.cos(np.pi * fall))
    filtered = np.fft.irfft(spectrum * gain, n=samples.size)
    return np.clip(np.round(filtered), -32768, 32767).astype(np.int16)


def phone_channel(samples: Pcm, rate: int = STT_RATE, *, level_db: float | None = None) -> Pcm:
    """What a caller sounds like through the PSTN: level, 300-3400 Hz, 8 kHz, G.711 μ-law.

    Returns audio back at `rate`. `level_db` (default the ITU nominal -26 dB) sets the active
    speech level first, as a real line's gain staging would; None keeps the recording's level.
    """
    pcm = set_speech_level(samples, PHONE_SPEECH_LEVEL_DB if level_db is None else level_db, rate)
    narrow = band_pass(resample(pcm, rate, 8000), 8000)
    return resample(ulaw_decode(ulaw_encode(narrow)), 8000, rate)


def decode_file(path: Path, rate: int = STT_RATE) -> Pcm:
    """Decode wav/ogg/opus/mp3/flac to mono int16 at `rate`.

    Uses PyAV (bundled FFmpeg), already a dependency of faster-whisper: Debian bookworm's sox
    cannot read Opus, and PyAV needs no system package.
    """
    if not path.is_file():
        raise AudioDecodeError(f"{path}: no such file")
    import av  # imported here: PyAV loads FFmpeg's libraries
    from faster_whisper.audio import decode_audio

    try:
        audio = decode_audio(str(path), sampling_rate=rate)
    except (av.error.FFmpegError, OSError, ValueError) as exc:
        raise AudioDecodeError(f"{path}: cannot decode audio ({exc})") from exc
    if audio.size == 0:
        raise AudioDecodeError(f"{path}: no audio samples")
    return to_pcm(audio)


def frames(samples: Pcm, size: int = FRAME_16K) -> list[Pcm]:
    """Split into whole frames of `size` samples, zero-padding the last one."""
    pad = (-samples.size) % size
    padded = np.concatenate([samples, np.zeros(pad, dtype=np.int16)]) if pad else samples
    return list(padded.reshape(-1, size))
