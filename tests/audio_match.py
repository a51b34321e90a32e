"""Is the audio heard the audio sent? Normalised cross-correlation at the best alignment."""

from __future__ import annotations

import numpy as np

from agent.media.codecs import Pcm, rms, ulaw_decode, ulaw_encode

__all__ = ["rms", "similarity"]


def similarity(heard: Pcm, reference: Pcm) -> float:
    """1.0 when `reference` appears intact inside `heard` (after a μ-law round trip)."""
    ref = ulaw_decode(ulaw_encode(reference)).astype(np.float64)
    if len(heard) < len(ref) // 2 or not np.any(ref):
        return 0.0
    # Zero padding on the left lets the reference start before the recording (clipped start).
    got = np.concatenate([np.zeros(len(ref)), heard.astype(np.float64)])
    size = 1 << int(np.ceil(np.log2(len(got) + len(ref))))
    corr = np.fft.irfft(np.fft.rfft(got, size) * np.conj(np.fft.rfft(ref, size)), size)
    lag = int(np.argmax(corr[: len(got)]))
    window = got[lag : lag + len(ref)]
    matched = ref[: len(window)]
    denominator = float(np.linalg.norm(window) * np.linalg.norm(matched))
    return float(np.dot(window, matched) / denominator) if denominator else 0.0
