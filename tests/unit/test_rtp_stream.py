"""RtpStream over real loopback UDP sockets: audio in, paced frames out, barge-in."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import AsyncIterator

import numpy as np
import pytest

from agent.media.codecs import ULAW, Pcm, ulaw_decode, ulaw_encode
from agent.media.rtp import RtpPacket, parse_rtp
from agent.media.rtp_stream import RtpStream

HOST = "127.0.0.1"


class Capture(asyncio.DatagramProtocol):
    """A raw UDP endpoint recording every RTP packet it receives, with its arrival time."""

    def __init__(self) -> None:
        self.packets: list[tuple[float, RtpPacket]] = []
        self.transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        self.packets.append((time.monotonic(), parse_rtp(data)))

    @property
    def port(self) -> int:
        assert self.transport is not None
        return int(self.transport.get_extra_info("sockname")[1])

    async def wait_for(self, count: int, timeout_s: float = 3.0) -> None:
        deadline = time.monotonic() + timeout_s
        while len(self.packets) < count:
            assert time.monotonic() < deadline, f"only {len(self.packets)} packets arrived"
            await asyncio.sleep(0.01)


@pytest.fixture
async def capture() -> AsyncIterator[Capture]:
    loop = asyncio.get_running_loop()
    transport, protocol = await loop.create_datagram_endpoint(Capture, local_addr=(HOST, 0))
    yield protocol
    transport.close()


@pytest.fixture
async def sender(capture: Capture) -> AsyncIterator[RtpStream]:
    stream = await RtpStream.open(ULAW, lambda _: None, HOST)
    stream.start_sending((HOST, capture.port))
    yield stream
    await stream.close()


def tone(ms: int, amplitude: int = 8000) -> Pcm:
    t = np.arange(ULAW.sample_rate * ms // 1000) / ULAW.sample_rate
    return (amplitude * np.sin(2 * np.pi * 440 * t)).astype(np.int16)


async def test_audio_flows_between_two_streams_both_ways() -> None:
    heard_a: list[Pcm] = []
    heard_b: list[Pcm] = []
    a = await RtpStream.open(ULAW, heard_a.append, HOST)
    b = await RtpStream.open(ULAW, heard_b.append, HOST)
    try:
        assert a.local_port != b.local_port
        a.start_sending((HOST, b.local_port))
        b.start_sending((HOST, a.local_port))
        sound = tone(200)
        playback = a.play(sound)
        assert a.speaking
        await asyncio.wait_for(playback.done, 3)
        assert not playback.interrupted
        assert playback.heard_ms == playback.duration_ms == 200
        await asyncio.sleep(0.1)
        received = np.concatenate(heard_b)
        assert all(len(frame) == 160 for frame in heard_b)
        expected = ulaw_decode(ulaw_encode(sound))
        start = int(np.flatnonzero(received)[0])
        # the first tone sample is 0: the tone starts at the first non-zero sample minus one
        assert np.array_equal(received[start - 1 : start - 1 + len(expected)], expected)
        assert b.stats.packets_in == len(heard_b) and b.stats.samples_in == 160 * len(heard_b)
        assert heard_a, "b's silence frames reach a too"
        assert not np.any(np.concatenate(heard_a)), "b only ever sent silence"
        assert a.stats.first_audio_out_at is not None
        assert b.stats.first_audio_out_at is None
    finally:
        await a.close()
        await b.close()


async def test_sequence_and_timestamp_advance_per_packet(
    sender: RtpStream, capture: Capture
) -> None:
    await capture.wait_for(20)
    packets = [p for _, p in capture.packets]
    assert {p.payload_type for p in packets} == {0}
    assert len({p.ssrc for p in packets}) == 1
    for before, after in itertools.pairwise(packets):
        assert after.sequence == (before.sequence + 1) & 0xFFFF
        assert after.timestamp == (before.timestamp + 160) & 0xFFFFFFFF
    assert all(len(p.payload) == 160 for p in packets)


async def test_silence_frames_are_sent_when_idle(sender: RtpStream, capture: Capture) -> None:
    await capture.wait_for(5)
    assert not sender.speaking
    assert all(p.payload == ULAW.silence() for _, p in capture.packets)
    assert sender.stats.first_audio_out_at is None


async def test_pacing_is_about_fifty_packets_per_second(
    sender: RtpStream, capture: Capture
) -> None:
    await capture.wait_for(1)
    start, first = time.monotonic(), len(capture.packets)
    await asyncio.sleep(1.0)
    elapsed, count = time.monotonic() - start, len(capture.packets) - first
    rate = count / elapsed
    assert 25 <= rate <= 75, f"{count} packets in {elapsed:.2f} s"
    assert sender.stats.packets_out >= len(capture.packets)


async def test_cancel_all_interrupts_playback(sender: RtpStream, capture: Capture) -> None:
    first = sender.play(tone(2000))
    second = sender.play(tone(500))
    await asyncio.sleep(0.3)
    cut = sender.cancel_all()
    assert cut == [first, second]
    assert first.done.done() and second.done.done()
    assert first.interrupted and second.interrupted
    assert 0 < first.heard_ms < first.duration_ms == 2000
    assert second.heard_ms == 0
    assert not sender.speaking
    assert sender.cancel_all() == []
    # After the cut the line goes back to silence.
    await asyncio.sleep(0.05)
    mark = len(capture.packets)
    await capture.wait_for(mark + 3)
    assert all(p.payload == ULAW.silence() for _, p in capture.packets[mark:])


async def test_queued_playbacks_are_sent_back_to_back(sender: RtpStream, capture: Capture) -> None:
    first = sender.play(tone(30, amplitude=4000))  # 240 samples: 1.5 frames
    second = sender.play(np.full(200, 1000, dtype=np.int16))
    await asyncio.wait_for(asyncio.gather(first.done, second.done), 3)
    assert not first.interrupted and not second.interrupted
    assert (first.heard_ms, second.heard_ms) == (30, 25)
    await asyncio.sleep(0.06)
    audio = np.concatenate([ulaw_decode(p.payload) for _, p in capture.packets])
    expected = ulaw_decode(ulaw_encode(np.concatenate([tone(30, 4000), np.full(200, 1000)])))
    start = int(np.flatnonzero(audio)[0]) - 1
    assert np.array_equal(audio[start : start + len(expected)], expected)
    assert not np.any(audio[start + len(expected) :])


async def test_bad_datagrams_are_counted_not_delivered() -> None:
    heard: list[Pcm] = []
    stream = await RtpStream.open(ULAW, heard.append, HOST)
    loop = asyncio.get_running_loop()
    transport, _ = await loop.create_datagram_endpoint(
        asyncio.DatagramProtocol, remote_addr=(HOST, stream.local_port)
    )
    try:
        transport.sendto(b"not rtp")
        transport.sendto(RtpPacket(101, 1, 1, 1, b"\x01\x00\x00\xa0").to_bytes())  # DTMF
        transport.sendto(RtpPacket(0, 2, 160, 1, b"\xff" * 160).to_bytes())
        for _ in range(100):
            if heard:
                break
            await asyncio.sleep(0.01)
        assert stream.stats.bad_packets_in == 1
        assert stream.stats.packets_in == 1
        assert len(heard) == 1 and len(heard[0]) == 160
    finally:
        transport.close()
        await stream.close()


async def test_audio_from_a_second_source_is_dropped() -> None:
    heard: list[Pcm] = []
    stream = await RtpStream.open(ULAW, heard.append, HOST)
    loop = asyncio.get_running_loop()
    first, _ = await loop.create_datagram_endpoint(
        asyncio.DatagramProtocol, remote_addr=(HOST, stream.local_port)
    )
    intruder, _ = await loop.create_datagram_endpoint(
        asyncio.DatagramProtocol, remote_addr=(HOST, stream.local_port)
    )
    try:
        first.sendto(RtpPacket(0, 1, 160, 1, b"\xff" * 160).to_bytes())
        for _ in range(100):
            if heard:
                break
            await asyncio.sleep(0.01)
        intruder.sendto(RtpPacket(0, 9, 320, 7, b"\x00" * 160).to_bytes())
        first.sendto(RtpPacket(0, 2, 320, 1, b"\xff" * 160).to_bytes())
        for _ in range(100):
            if len(heard) == 2 and stream.stats.foreign_packets_in:
                break
            await asyncio.sleep(0.01)
        assert stream.stats.foreign_packets_in == 1
        assert stream.stats.packets_in == 2
        assert all(not np.any(chunk) for chunk in heard)  # 0xff is μ-law silence: no intruder
    finally:
        first.close()
        intruder.close()
        await stream.close()


async def test_close_finishes_queued_playback() -> None:
    stream = await RtpStream.open(ULAW, lambda _: None, HOST)
    playback = stream.play(tone(100))
    await stream.close()
    assert playback.done.done() and playback.interrupted
