"""G.711 μ-law and slin codecs against an independent ITU-T G.191 (STL) reference."""

from __future__ import annotations

import numpy as np
import pytest

from agent.media.codecs import (
    SLIN16,
    ULAW,
    UnsupportedCodecError,
    codec_by_name,
    slin_decode,
    slin_encode,
    ulaw_decode,
    ulaw_encode,
)

ALL_INT16 = np.arange(-32768, 32768, dtype=np.int32).astype(np.int16)


def itu_ulaw_compress(x: int) -> int:
    """ITU-T G.191 STL g711.c `ulaw_compress`, transcribed (one's complement for negatives)."""
    absno = ((~x) >> 2) + 33 if x < 0 else (x >> 2) + 33
    absno = min(absno, 0x1FFF)
    i, segno = absno >> 6, 1
    while i:
        segno += 1
        i >>= 1
    code = ((8 - segno) << 4) | (0x0F - ((absno >> segno) & 0x0F))
    return code | 0x80 if x >= 0 else code


def itu_ulaw_expand(code: int) -> int:
    """ITU-T G.191 STL g711.c `ulaw_expand`, on the 16-bit scale."""
    sign = code < 0x80
    inverted = ~code & 0xFF
    exponent = (inverted >> 4) & 0x07
    mantissa = inverted & 0x0F
    step = 4 << (exponent + 1)
    value = (0x80 << exponent) + step * mantissa + step // 2 - 4 * 33
    return -value if sign else value


def encode_one(x: int) -> int:
    return ulaw_encode(np.array([x], dtype=np.int16))[0]


@pytest.mark.parametrize(
    ("sample", "code"),
    [
        (0, 0xFF),
        (1, 0xFF),
        (-1, 0x7F),
        (2, 0xFF),
        (-2, 0x7F),
        (32767, 0x80),
        (-32768, 0x00),
        (-32767, 0x00),
        (8000, 0xA0),
        (-8000, 0x20),
    ],
)
def test_ulaw_known_code_points(sample: int, code: int) -> None:
    assert encode_one(sample) == code
    assert itu_ulaw_compress(sample) == code  # the reference agrees with the table


def test_ulaw_decode_matches_itu_expand_for_all_256_codes() -> None:
    decoded = ulaw_decode(bytes(range(256)))
    assert decoded.dtype == np.int16
    assert decoded.tolist() == [itu_ulaw_expand(c) for c in range(256)]
    assert decoded[0xFF] == 0 and decoded[0x7F] == 0
    assert decoded[0x80] == 32124 and decoded[0x00] == -32124


def test_ulaw_encode_matches_itu_for_every_non_negative_sample() -> None:
    positive = ALL_INT16[ALL_INT16 >= 0]
    ours = np.frombuffer(ulaw_encode(positive), dtype=np.uint8)
    reference = np.array([itu_ulaw_compress(int(x)) for x in positive], dtype=np.uint8)
    assert np.array_equal(ours, reference)


def test_ulaw_encode_is_within_one_code_of_itu_for_negative_samples() -> None:
    negative = ALL_INT16[ALL_INT16 < 0]
    ours = np.frombuffer(ulaw_encode(negative), dtype=np.uint8).astype(np.int32)
    reference = np.array([itu_ulaw_compress(int(x)) for x in negative], dtype=np.int32)
    assert np.abs(ours - reference).max() <= 1


def test_ulaw_encode_matches_itu_for_every_int16_sample() -> None:
    ours = np.frombuffer(ulaw_encode(ALL_INT16), dtype=np.uint8)
    reference = np.array([itu_ulaw_compress(int(x)) for x in ALL_INT16], dtype=np.uint8)
    assert np.array_equal(ours, reference)


def test_ulaw_quantisation_error_is_bounded_for_every_sample() -> None:
    restored = ulaw_decode(ulaw_encode(ALL_INT16)).astype(np.int32)
    error = np.abs(restored - ALL_INT16.astype(np.int32))
    magnitude = np.abs(ALL_INT16.astype(np.int32))
    # Step is 8 in the first segment, doubling per segment, 1024 in the last; clipping at 32124.
    assert error[magnitude < 100].max() <= 4
    assert error[magnitude < 32124].max() <= 512
    assert error.max() <= 32768 - 32124


def test_ulaw_round_trip_of_every_code_except_negative_zero() -> None:
    codes = bytes(c for c in range(256) if c != 0x7F)
    assert ulaw_encode(ulaw_decode(codes)) == codes
    # The two zero codes both decode to 0, which encodes back to the positive zero 0xFF.
    assert ulaw_encode(ulaw_decode(bytes([0x7F, 0xFF]))) == bytes([0xFF, 0xFF])


def test_ulaw_encode_is_monotonic() -> None:
    decoded = ulaw_decode(ulaw_encode(ALL_INT16)).astype(np.int32)
    assert np.all(np.diff(decoded) >= 0)


def test_ulaw_encode_length_and_empty() -> None:
    assert ulaw_encode(np.zeros(160, dtype=np.int16)) == b"\xff" * 160
    assert ulaw_encode(np.array([], dtype=np.int16)) == b""
    assert len(ulaw_decode(b"")) == 0


def test_slin_is_big_endian_and_round_trips_every_sample() -> None:
    assert slin_encode(np.array([1, -2, 0x1234], dtype=np.int16)) == b"\x00\x01\xff\xfe\x12\x34"
    assert slin_decode(b"\x12\x34\x80\x00").tolist() == [0x1234, -32768]
    restored = slin_decode(slin_encode(ALL_INT16))
    assert restored.dtype == np.int16
    assert np.array_equal(restored, ALL_INT16)


def test_codec_frames_and_silence() -> None:
    assert ULAW.samples_per_frame == 160
    assert SLIN16.samples_per_frame == 320
    assert ULAW.payload_type == 0 and ULAW.sample_rate == 8000
    assert SLIN16.sample_rate == 16000
    assert ULAW.silence() == b"\xff" * 160
    assert SLIN16.silence() == b"\x00" * 640


def test_codec_encode_decode_dispatch() -> None:
    samples = np.array([0, 1000, -1000, 32767], dtype=np.int16)
    assert ULAW.encode(samples) == ulaw_encode(samples)
    assert SLIN16.encode(samples) == slin_encode(samples)
    assert np.array_equal(SLIN16.decode(SLIN16.encode(samples)), samples)
    assert np.array_equal(ULAW.decode(ULAW.encode(samples)), ulaw_decode(ulaw_encode(samples)))


def test_codec_by_name() -> None:
    assert codec_by_name("ulaw") is ULAW
    assert codec_by_name("slin16") is SLIN16
    with pytest.raises(UnsupportedCodecError, match=r"'alaw'.*slin16.*ulaw"):
        codec_by_name("alaw")
    with pytest.raises(ValueError, match="unsupported audio format"):
        codec_by_name("")
