"""RTP packet building and parsing (RFC 3550 header, CSRC, extension, padding)."""

from __future__ import annotations

import struct

import pytest

from agent.media.rtp import RtpError, RtpPacket, parse_rtp


def header(
    *,
    version: int = 2,
    padding: bool = False,
    extension: bool = False,
    csrc_count: int = 0,
    marker: bool = False,
    payload_type: int = 0,
    sequence: int = 1,
    timestamp: int = 2,
    ssrc: int = 3,
) -> bytes:
    first = (version << 6) | (0x20 if padding else 0) | (0x10 if extension else 0) | csrc_count
    second = (0x80 if marker else 0) | payload_type
    return struct.pack("!BBHII", first, second, sequence, timestamp, ssrc)


@pytest.mark.parametrize(
    "packet",
    [
        RtpPacket(0, 0, 0, 0, b""),
        RtpPacket(0, 1, 160, 0x12345678, b"\xff" * 160),
        RtpPacket(118, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, bytes(range(256)) * 2 + b"\x00"),
        RtpPacket(101, 12345, 987654321, 42, b"\x01\x02\x03\x04", marker=True),
        RtpPacket(127, 7, 8, 9, b"x", marker=False),
        RtpPacket(8, 65535, 0, 1, b"\x00\x80", marker=True),
    ],
)
def test_build_parse_round_trip(packet: RtpPacket) -> None:
    data = packet.to_bytes()
    assert len(data) == 12 + len(packet.payload)
    assert data[0] == 0x80  # version 2, no padding/extension/CSRC
    assert parse_rtp(data) == packet


def test_header_layout_is_network_order() -> None:
    data = RtpPacket(96, 0x0102, 0x03040506, 0x0708090A, b"P", marker=True).to_bytes()
    assert data == bytes([0x80, 0x80 | 96, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) + b"P"


def test_sequence_timestamp_and_ssrc_wrap_when_built() -> None:
    data = RtpPacket(0, 0x10001, 0x100000005, 0x1_0000_0007, b"").to_bytes()
    parsed = parse_rtp(data)
    assert (parsed.sequence, parsed.timestamp, parsed.ssrc) == (1, 5, 7)


@pytest.mark.parametrize("marker", [True, False])
def test_marker_bit_is_separate_from_payload_type(marker: bool) -> None:
    parsed = parse_rtp(header(marker=marker, payload_type=127) + b"abc")
    assert parsed.marker is marker
    assert parsed.payload_type == 127
    assert parsed.payload == b"abc"


@pytest.mark.parametrize("count", [1, 2, 15])
def test_csrc_list_is_skipped(count: int) -> None:
    csrcs = b"".join(struct.pack("!I", 1000 + i) for i in range(count))
    parsed = parse_rtp(header(csrc_count=count) + csrcs + b"audio")
    assert parsed.payload == b"audio"


@pytest.mark.parametrize("words", [0, 1, 3])
def test_header_extension_is_skipped(words: int) -> None:
    extension = struct.pack("!HH", 0xBEDE, words) + b"\xaa" * (4 * words)
    parsed = parse_rtp(header(extension=True) + extension + b"audio")
    assert parsed.payload == b"audio"


def test_csrc_and_extension_together() -> None:
    data = header(csrc_count=2, extension=True) + b"\x00" * 8
    data += struct.pack("!HH", 0x1000, 1) + b"\x11" * 4 + b"pay"
    assert parse_rtp(data).payload == b"pay"


@pytest.mark.parametrize("pad", [1, 2, 4])
def test_padding_is_removed(pad: int) -> None:
    data = header(padding=True) + b"audio" + b"\x00" * (pad - 1) + bytes([pad])
    assert parse_rtp(data).payload == b"audio"


def test_padding_of_whole_payload_leaves_it_empty() -> None:
    assert parse_rtp(header(padding=True) + b"\x00\x00\x00\x04").payload == b""


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "shorter than an RTP header"),
        (b"\x80" * 11, "shorter than an RTP header"),
        (header(version=0) + b"x", "version 0 is not 2"),
        (header(version=1) + b"x", "version 1 is not 2"),
        (header(version=3) + b"x", "version 3 is not 2"),
        (header(extension=True), "truncated RTP header extension"),
        (header(extension=True) + b"\xbe\xde", "truncated RTP header extension"),
        (header(extension=True) + struct.pack("!HH", 0xBEDE, 2) + b"\x00" * 4, "longer"),
        (header(csrc_count=3) + b"\x00" * 8, "longer"),
        (header(padding=True) + b"ab\x05", "longer"),
    ],
)
def test_malformed_datagrams_raise_rtp_error(data: bytes, message: str) -> None:
    with pytest.raises(RtpError, match=message):
        parse_rtp(data)


def test_rtp_error_is_a_value_error() -> None:
    assert issubclass(RtpError, ValueError)
