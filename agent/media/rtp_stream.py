"""One call's RTP socket: decoded caller audio in, paced 20 ms frames out.

Outgoing audio is sent on a monotonic clock (next += 20 ms) with continuous sequence numbers
and timestamps, silence included, so the caller hears no pops and no clipped phrase starts.
`play()` returns a Playback that can be cut (barge-in) and knows how much was heard.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import cast

import numpy as np

from agent.media.codecs import Codec, Pcm
from agent.media.rtp import RtpError, RtpPacket, parse_rtp

log = logging.getLogger(__name__)

FRAME_S = 0.020
AudioHandler = Callable[[Pcm], None]


@dataclass
class Playback:
    """One piece of audio queued for the caller."""

    samples: Pcm
    sample_rate: int
    sent: int = 0
    done: asyncio.Future[None] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )
    interrupted: bool = False

    @property
    def heard_ms(self) -> int:
        return self.sent * 1000 // self.sample_rate

    @property
    def duration_ms(self) -> int:
        return len(self.samples) * 1000 // self.sample_rate

    def _finish(self, interrupted: bool) -> None:
        self.interrupted = interrupted
        if not self.done.done():
            self.done.set_result(None)


@dataclass
class MediaStats:
    packets_in: int = 0
    bad_packets_in: int = 0
    foreign_packets_in: int = 0  # from another source than the latched one: dropped
    samples_in: int = 0
    packets_out: int = 0
    first_audio_out_at: float | None = None


class RtpStream(asyncio.DatagramProtocol):
    def __init__(self, codec: Codec, on_audio: AudioHandler) -> None:
        self.codec = codec
        self._on_audio = on_audio
        # Sees every frame sent, silence included (call recording).
        self.on_sent: AudioHandler | None = None
        self._transport: asyncio.DatagramTransport | None = None
        self._remote: tuple[str, int] | None = None
        self._source: tuple[str, int] | None = None  # latched on the first valid packet
        self._queue: list[Playback] = []
        self._sequence = random.randrange(1 << 16)
        self._timestamp = random.randrange(1 << 32)
        self._ssrc = random.randrange(1 << 32)
        self._sender: asyncio.Task[None] | None = None
        self.stats = MediaStats()

    # ---- lifecycle -------------------------------------------------------------------------
    @classmethod
    async def open(cls, codec: Codec, on_audio: AudioHandler, host: str) -> RtpStream:
        loop = asyncio.get_running_loop()
        _, protocol = await loop.create_datagram_endpoint(
            lambda: cls(codec, on_audio), local_addr=(host, 0)
        )
        return protocol

    @property
    def local_port(self) -> int:
        assert self._transport is not None
        return int(self._transport.get_extra_info("sockname")[1])

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # CPython's selector datagram transport is not a DatagramTransport subclass.
        self._transport = cast(asyncio.DatagramTransport, transport)

    def start_sending(self, remote: tuple[str, int]) -> None:
        """Begin the paced frame clock towards Asterisk's RTP address."""
        self._remote = remote
        if self._sender is None:
            self._sender = asyncio.get_running_loop().create_task(
                self._send_loop(), name="rtp-sender"
            )

    async def close(self) -> None:
        self.cancel_all()
        if self._sender is not None:
            self._sender.cancel()
            await asyncio.gather(self._sender, return_exceptions=True)
            self._sender = None
        if self._transport is not None:
            self._transport.close()

    # ---- inbound ---------------------------------------------------------------------------
    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        try:
            packet = parse_rtp(data)
        except RtpError:
            self.stats.bad_packets_in += 1
            return
        # Symmetric RTP, as Asterisk does it: latch on the first source and drop the others,
        # or anyone who finds the port could speak into the call.
        if self._source is None:
            self._source = addr
        elif addr != self._source:
            self.stats.foreign_packets_in += 1
            return
        if packet.payload_type != self.codec.payload_type:
            # Comfort noise or telephone-events: not audio for us.
            return
        samples = self.codec.decode(packet.payload)
        self.stats.packets_in += 1
        self.stats.samples_in += len(samples)
        self._on_audio(samples)

    # ---- outbound --------------------------------------------------------------------------
    def play(self, samples: Pcm) -> Playback:
        """Queue audio at the codec's rate; returns at once."""
        playback = Playback(samples, self.codec.sample_rate)
        self._queue.append(playback)
        return playback

    def cancel_all(self) -> list[Playback]:
        """Barge-in: drop everything queued; returns what was cut (with heard_ms)."""
        cut, self._queue = self._queue, []
        for playback in cut:
            playback._finish(interrupted=True)
        return cut

    @property
    def speaking(self) -> bool:
        return bool(self._queue)

    def _next_frame(self) -> bytes:
        size = self.codec.samples_per_frame
        frame = np.zeros(size, dtype=np.int16)
        filled = 0
        while self._queue and filled < size:
            current = self._queue[0]
            chunk = current.samples[current.sent : current.sent + size - filled]
            frame[filled : filled + len(chunk)] = chunk
            filled += len(chunk)
            current.sent += len(chunk)
            if current.sent >= len(current.samples):
                self._queue.pop(0)._finish(interrupted=False)
        if filled and self.stats.first_audio_out_at is None:
            self.stats.first_audio_out_at = time.monotonic()
        if self.on_sent is not None:
            self.on_sent(frame)
        return self.codec.encode(frame)

    async def _send_loop(self) -> None:
        next_at = time.monotonic()
        while True:
            self._send(self._next_frame())
            next_at += FRAME_S
            delay = next_at - time.monotonic()
            if delay < -0.1:  # the loop stalled: restart the clock instead of bursting
                next_at = time.monotonic()
                delay = 0
            await asyncio.sleep(max(0.0, delay))

    def _send(self, payload: bytes) -> None:
        if self._transport is None or self._remote is None:
            return
        packet = RtpPacket(
            self.codec.payload_type, self._sequence, self._timestamp, self._ssrc, payload
        )
        self._transport.sendto(packet.to_bytes(), self._remote)
        self._sequence = (self._sequence + 1) & 0xFFFF
        self._timestamp = (self._timestamp + self.codec.samples_per_frame) & 0xFFFFFFFF
        self.stats.packets_out += 1
