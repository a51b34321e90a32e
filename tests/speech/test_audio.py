"""Pure audio stages: μ-law, phone channel, resampler continuity, decoding errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from agent.media.codecs import ulaw_decode, ulaw_encode
from agent.speech.audio import (
    AudioDecodeError,
    Resampler,
    decode_file,
    frames,
    phone_channel,
    resample,
    rms_db,
    speech_level_db,
)


def tone(freq: float, seconds: float, rate: int = 16000, level: float = 0.3) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (np.sin(2 * np.pi * freq * t) * level * 32767).astype(np.int16)


def snr_db(reference: np.ndarray, test: np.ndarray) -> float:
    ref = reference.astype(np.float64)
    noise = ref - test.astype(np.float64)
    return float(10 * np.log10(np.sum(ref**2) / max(np.sum(noise**2), 1e-9)))


def test_ulaw_round_trip_keeps_speech_quality() -> None:
    signal = tone(440, 0.5, 8000)
    decoded = ulaw_decode(ulaw_encode(signal))
    assert decoded.dtype == np.int16 and decoded.shape == signal.shape
    assert snr_db(signal, decoded) > 30  # G.711 gives ~38 dB on a loud tone


def test_phone_channel_keeps_voice_band_and_removes_the_rest() -> None:
    voice_band = phone_channel(tone(1000, 1.0), level_db=-20)
    above = phone_channel(tone(1000, 1.0) + tone(6000, 1.0), level_db=-20)
    hum = phone_channel(tone(1000, 1.0) + tone(100, 1.0), level_db=-20)
    spectrum = np.abs(np.fft.rfft(above[2000:-2000].astype(np.float64)))
    freqs = np.fft.rfftfreq(above.size - 4000, 1 / 16000)
    assert spectrum[np.argmin(np.abs(freqs - 6000))] < 0.01 * spectrum.max()
    hum_spec = np.abs(np.fft.rfft(hum[2000:-2000].astype(np.float64)))
    assert hum_spec[np.argmin(np.abs(freqs - 100))] < 0.01 * hum_spec.max()
    assert abs(speech_level_db(voice_band) - -20) < 1.0
    assert voice_band.size == 16000


def test_resampler_in_20ms_chunks_matches_one_shot_without_clicks() -> None:
    signal = tone(700, 2.0, 8000)
    stream = Resampler(8000, 16000)
    pieces = [stream.process(chunk) for chunk in frames(signal, 160)]
    pieces.append(stream.flush())
    chunked = np.concatenate(pieces)
    whole = resample(signal, 8000, 16000)
    assert abs(chunked.size - whole.size) <= 2
    n = min(chunked.size, whole.size) - 400
    # State carried across chunks: the stream equals the one-shot result (no seams).
    assert snr_db(whole[400:n], chunked[400:n]) > 40
    assert np.max(np.abs(np.diff(chunked[400:n].astype(np.int32)))) < 3000


def test_resampler_same_rate_is_identity_and_rejects_bad_rates() -> None:
    samples = tone(300, 0.1)
    assert Resampler(16000, 16000).process(samples) is samples
    with pytest.raises(ValueError):
        Resampler(0, 8000)


def test_levels() -> None:
    assert rms_db(np.zeros(320, dtype=np.int16)) == pytest.approx(-120.0)
    assert rms_db(tone(1000, 0.1, level=1.0)) == pytest.approx(-3.0, abs=0.1)


def test_decode_file_errors_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(AudioDecodeError, match="no such file"):
        decode_file(tmp_path / "absent.wav")
    junk = tmp_path / "junk.ogg"
    junk.write_bytes(b"definitely not audio" * 10)
    with pytest.raises(AudioDecodeError, match=r"junk\.ogg"):
        decode_file(junk)


def test_decode_wav_at_requested_rate(tmp_path: Path) -> None:
    import wave

    path = tmp_path / "tone.wav"
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(8000)
        wav.writeframes(tone(500, 1.0, 8000).tobytes())
    decoded = decode_file(path, 16000)
    assert abs(decoded.size - 16000) < 50
    assert rms_db(decoded) == pytest.approx(rms_db(tone(500, 1.0, 8000)), abs=0.5)
