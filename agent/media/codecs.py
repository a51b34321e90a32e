"""Wire codecs for telephone audio, pure numpy (audioop is gone in Python 3.13).

G.711 μ-law (PCMU, 8 kHz) and signed linear 16-bit little-endian (slin, slin16).
Samples are int16 numpy arrays; bytes are what travels in RTP payloads.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Pcm = npt.NDArray[np.int16]

_BIAS = 0x84
_CLIP = 32635


def _build_ulaw_decode_table() -> Pcm:
    codes = np.arange(256, dtype=np.int32)
    inverted = ~codes & 0xFF
    sign = inverted & 0x80
    exponent = (inverted >> 4) & 0x07
    mantissa = inverted & 0x0F
    magnitude = (((mantissa << 3) + _BIAS) << exponent) - _BIAS
    return np.where(sign != 0, -magnitude, magnitude).astype(np.int16)


_ULAW_DECODE = _build_ulaw_decode_table()


def ulaw_decode(payload: bytes) -> Pcm:
    """μ-law bytes to int16 samples."""
    return _ULAW_DECODE[np.frombuffer(payload, dtype=np.uint8)]


def ulaw_encode(samples: Pcm) -> bytes:
    """int16 samples to μ-law bytes, bit-exact with the ITU-T G.191 reference encoder."""
    pcm = samples.astype(np.int32)
    sign = np.where(pcm < 0, 0x80, 0x00)
    # G.711 reference: negative samples use the one's complement (~x), not |x|.
    magnitude = np.minimum(np.where(pcm < 0, ~pcm, pcm), _CLIP) + _BIAS
    exponent = np.floor(np.log2(magnitude)).astype(np.int32) - 7
    exponent = np.clip(exponent, 0, 7)
    mantissa = (magnitude >> (exponent + 3)) & 0x0F
    code = ~(sign | (exponent << 4) | mantissa) & 0xFF
    return bytes(code.astype(np.uint8).tobytes())


def slin_decode(payload: bytes) -> Pcm:
    """Asterisk slin/slin16 over RTP is big-endian (network order) signed 16-bit."""
    return np.frombuffer(payload, dtype=">i2").astype(np.int16)


def slin_encode(samples: Pcm) -> bytes:
    return samples.astype(">i2").tobytes()


def rms(samples: Pcm) -> float:
    """Linear root-mean-square level of int16 samples (0.0 for an empty frame)."""
    if not len(samples):
        return 0.0
    return float(np.sqrt(np.mean(samples.astype(np.float64) ** 2)))


@dataclass(frozen=True)
class Codec:
    """One RTP audio format: name as Asterisk knows it, RTP payload type, sample rate."""

    name: str
    payload_type: int
    sample_rate: int

    @property
    def samples_per_frame(self) -> int:
        """Samples in one 20 ms frame."""
        return self.sample_rate // 50

    def decode(self, payload: bytes) -> Pcm:
        return ulaw_decode(payload) if self.name == "ulaw" else slin_decode(payload)

    def encode(self, samples: Pcm) -> bytes:
        return ulaw_encode(samples) if self.name == "ulaw" else slin_encode(samples)

    def silence(self) -> bytes:
        return self.encode(np.zeros(self.samples_per_frame, dtype=np.int16))


ULAW = Codec("ulaw", 0, 8000)
SLIN16 = Codec("slin16", 118, 16000)
CODECS: dict[str, Codec] = {c.name: c for c in (ULAW, SLIN16)}


class UnsupportedCodecError(ValueError):
    """The configured or received format is not one decroche speaks."""


def codec_by_name(name: str) -> Codec:
    try:
        return CODECS[name]
    except KeyError:
        raise UnsupportedCodecError(
            f"unsupported audio format {name!r}; use one of {sorted(CODECS)}"
        ) from None
