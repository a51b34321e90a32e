"""A scripted SIP caller with real RTP audio: places a call, speaks PCM, records what it hears.

Used by the integration tests, `decroche demo` and `decroche bench`. It is a real SIP user agent
on UDP (INVITE / ACK / BYE, RFC 2833 DTMF) and its audio travels as paced RTP, the same RtpStream
the agent uses, so timings are what a phone would see.
"""

from __future__ import annotations

import asyncio
import random
import struct
import time
from dataclasses import dataclass, field
from typing import cast

import numpy as np

from agent.media.codecs import ULAW, Pcm, rms
from agent.media.rtp import RtpPacket
from agent.media.rtp_stream import Playback, RtpStream
from devkit.caller.sip import (
    SipError,
    SipMessage,
    build_request,
    build_response,
    new_tag,
    parse_sip,
    sdp_media_address,
    sdp_offer,
)

VOICE_RMS = 300.0


@dataclass
class Heard:
    """Audio the caller received, frame by frame with arrival times (monotonic seconds)."""

    frames: list[tuple[float, Pcm]] = field(default_factory=list)

    def pcm(self, since: float = 0.0) -> Pcm:
        chunks = [f for t, f in self.frames if t >= since]
        return np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int16)

    def first_voice_at(self, since: float = 0.0) -> float | None:
        for at, frame in self.frames:
            if at >= since and rms(frame) > VOICE_RMS:
                return at
        return None

    def last_voice_at(self) -> float | None:
        for at, frame in reversed(self.frames):
            if rms(frame) > VOICE_RMS:
                return at
        return None


class _SipProtocol(asyncio.DatagramProtocol):
    def __init__(self) -> None:
        self.messages: asyncio.Queue[SipMessage] = asyncio.Queue()
        self.transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # CPython's selector datagram transport is not a DatagramTransport subclass.
        self.transport = cast(asyncio.DatagramTransport, transport)

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        if data.strip():
            self.messages.put_nowait(parse_sip(data))


class SipCaller:
    """One call. `await SipCaller.dial(...)` returns once the call is answered."""

    def __init__(self, host: str, port: int, to_user: str, from_user: str, caller_id: str) -> None:
        self.host, self.port = host, port
        self.to_uri = f"sip:{to_user}@{host}:{port}"
        self.from_user, self.caller_id = from_user, caller_id
        self.call_id = f"{new_tag()}@decroche-caller"
        self.from_tag = new_tag()
        self.to_header = f"<{self.to_uri}>"
        self.cseq = 1
        self.heard = Heard()
        self.hung_up_by_remote = asyncio.Event()
        self._bye_answered = asyncio.Event()
        self.invite_at = self.answered_at = 0.0
        self._sip = _SipProtocol()
        self._rtp: RtpStream | None = None
        self._reader: asyncio.Task[None] | None = None
        self._local = ("127.0.0.1", 0)

    @classmethod
    async def dial(
        cls,
        host: str,
        port: int,
        *,
        to_user: str = "decroche",
        from_user: str = "caller",
        caller_id: str = "0612345678",
        timeout_s: float = 10.0,
    ) -> SipCaller:
        call = cls(host, port, to_user, from_user, caller_id)
        await call._invite(timeout_s)
        return call

    def _on_audio(self, samples: Pcm) -> None:
        self.heard.frames.append((time.monotonic(), samples))

    def _headers(
        self, method: str, extra: list[tuple[str, str]] | None = None
    ) -> list[tuple[str, str]]:
        host, port = self._local
        contact = f"sip:{self.from_user}@{host}:{port}"
        return [
            ("Via", f"SIP/2.0/UDP {host}:{port};rport;branch=z9hG4bK{new_tag()}"),
            ("Max-Forwards", "70"),
            (
                "From",
                f'"{self.caller_id}" <sip:{self.from_user}@{host}:{port}>;tag={self.from_tag}',
            ),
            ("To", self.to_header),
            ("Call-ID", self.call_id),
            ("CSeq", f"{self.cseq} {method}"),
            ("Contact", f"<{contact}>"),
            ("P-Asserted-Identity", f"<sip:{self.caller_id}@{host}>"),
            *(extra or []),
        ]

    def _send(self, data: bytes) -> None:
        assert self._sip.transport is not None
        self._sip.transport.sendto(data, (self.host, self.port))

    async def _invite(self, timeout_s: float) -> None:
        loop = asyncio.get_running_loop()
        await loop.create_datagram_endpoint(lambda: self._sip, local_addr=("127.0.0.1", 0))
        assert self._sip.transport is not None
        self._local = self._sip.transport.get_extra_info("sockname")[:2]
        self._rtp = await RtpStream.open(ULAW, self._on_audio, "127.0.0.1")
        sdp = sdp_offer("127.0.0.1", self._rtp.local_port, random.randrange(1 << 30))
        self.invite_at = time.monotonic()
        self._send(
            build_request(
                "INVITE",
                self.to_uri,
                self._headers("INVITE", [("Content-Type", "application/sdp")]),
                sdp,
            )
        )
        while True:
            message = await asyncio.wait_for(self._sip.messages.get(), timeout_s)
            if not message.is_response or message.cseq_method != "INVITE":
                continue
            if message.status < 200:
                continue
            self.to_header = message.header("to")
            self._send(build_request("ACK", self.to_uri, self._headers("ACK")))
            if message.status >= 300:
                await self.close()
                raise SipError(f"call refused: {message.first_line}")
            self.answered_at = time.monotonic()
            self._rtp.start_sending(sdp_media_address(message.body))
            self._reader = loop.create_task(self._read_loop(), name=f"sip-{self.call_id}")
            return

    async def _read_loop(self) -> None:
        while True:
            message = await self._sip.messages.get()
            if not message.is_response and message.method == "BYE":
                self._send(build_response(message, 200, "OK"))
                self.hung_up_by_remote.set()
            elif message.is_response and message.cseq_method == "BYE" and message.status >= 200:
                self._bye_answered.set()

    # ---- during the call -------------------------------------------------------------------
    def say(self, samples_8k: Pcm) -> Playback:
        """Speak 8 kHz audio into the call (paced RTP)."""
        assert self._rtp is not None
        return self._rtp.play(samples_8k)

    def send_dtmf(self, digit: str) -> None:
        """RFC 2833 telephone-event: three packets, the last marked end."""
        assert self._rtp is not None and self._rtp._transport is not None
        code = "0123456789*#".index(digit)
        remote = self._rtp._remote
        timestamp = random.randrange(1 << 32)
        for index, end in enumerate((False, False, True)):
            payload = struct.pack("!BBH", code, 0x80 if end else 0, 800 * (index + 1))
            packet = RtpPacket(
                101, random.randrange(1 << 16), timestamp, 0x1234, payload, marker=index == 0
            )
            if remote is not None:
                self._rtp._transport.sendto(packet.to_bytes(), remote)

    async def wait_for_agent_turn(
        self, since: float, quiet_s: float = 1.0, timeout_s: float = 30.0
    ) -> float | None:
        """Wait until the agent has spoken (after `since`) and then been quiet `quiet_s`."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline and not self.hung_up_by_remote.is_set():
            first = self.heard.first_voice_at(since)
            last = self.heard.last_voice_at()
            if first is not None and last is not None and time.monotonic() - last >= quiet_s:
                return first
            await asyncio.sleep(0.05)
        return None

    async def hangup(self) -> None:
        """BYE, retransmitted like a phone does (RFC 3261 timer E) until it is answered."""
        if not self.hung_up_by_remote.is_set() and self.answered_at:
            self.cseq += 1
            bye = build_request("BYE", self.to_uri, self._headers("BYE"))
            interval = 0.5
            for _ in range(7):
                self._send(bye)
                try:
                    await asyncio.wait_for(self._bye_answered.wait(), interval)
                    break
                except TimeoutError:
                    interval = min(interval * 2, 4.0)
        await self.close()

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            await asyncio.gather(self._reader, return_exceptions=True)
        if self._rtp is not None:
            await self._rtp.close()
        if self._sip.transport is not None:
            self._sip.transport.close()
