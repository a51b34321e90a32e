"""The artisan's mobile for the bench: notes when each INVITE reaches it, then answers busy.

sipp logs wall-clock times in its own files; this UAS lives in the bench's process and clock
(`time.monotonic`), so "urgent sentence ended -> the mobile rings" is one subtraction. Busy
(486) sends the call back to the agent at once, which then takes the rest of the details as it
does when nobody answers.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace
from typing import cast

from devkit.caller.sip import SipMessage, build_response, new_tag, parse_sip

__all__ = ["RingProbe", "start_ring_probe"]


class RingProbe(asyncio.DatagramProtocol):
    def __init__(self) -> None:
        self.invites: dict[str, float] = {}  # Call-ID -> first INVITE's arrival (monotonic)
        self._transport: asyncio.DatagramTransport | None = None
        self._tag = new_tag()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # 3.11's selector transport is not registered as a DatagramTransport: cast, not assert.
        self._transport = cast(asyncio.DatagramTransport, transport)

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        message = parse_sip(data)
        if message.is_response or self._transport is None:
            return
        if message.method == "INVITE":
            self.invites.setdefault(message.header("call-id"), time.monotonic())
            tagged = self._with_tag(message)
            self._transport.sendto(build_response(message, 100, "Trying"), addr)
            self._transport.sendto(build_response(tagged, 486, "Busy Here"), addr)
        elif message.method != "ACK":  # OPTIONS, BYE, CANCEL: acknowledged, nothing else
            self._transport.sendto(build_response(message, 200, "OK"), addr)

    def _with_tag(self, request: SipMessage) -> SipMessage:
        to = request.header("to")
        if ";tag=" not in to:
            to = f"{to};tag={self._tag}"
        return replace(request, headers={**request.headers, "to": [to]})

    def rang_since(self, since: float) -> float | None:
        """The first INVITE that arrived after `since`, if any."""
        times = [t for t in self.invites.values() if t >= since]
        return min(times) if times else None

    def close(self) -> None:
        if self._transport is not None:
            self._transport.close()


async def start_ring_probe(host: str, port: int) -> RingProbe:
    loop = asyncio.get_running_loop()
    _, protocol = await loop.create_datagram_endpoint(RingProbe, local_addr=(host, port))
    return protocol
