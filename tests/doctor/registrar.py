"""A SIP registrar for one test: answers every REGISTER with 200 OK (or a chosen refusal)."""

from __future__ import annotations

import asyncio
from typing import cast


class Registrar(asyncio.DatagramProtocol):
    def __init__(self, status: str = "200 OK") -> None:
        self.status = status
        self.registers = 0
        self._transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = cast(asyncio.DatagramTransport, transport)

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        text = data.decode(errors="replace")
        if not text.startswith("REGISTER ") or self._transport is None:
            return
        self.registers += 1
        self._transport.sendto(self.answer(text).encode(), addr)

    def answer(self, request: str) -> str:
        headers = [line for line in request.split("\r\n\r\n", 1)[0].split("\r\n")[1:] if line]
        keep = ("via:", "from:", "call-id:", "cseq:", "contact:")
        lines = [f"SIP/2.0 {self.status}"]
        lines += [h for h in headers if h.lower().startswith(keep)]
        lines += [f"{h};tag=doctor-test" for h in headers if h.lower().startswith("to:")]
        lines += ["Expires: 3600", "Content-Length: 0", "", ""]
        return "\r\n".join(lines)


Started = tuple[Registrar, asyncio.DatagramTransport, int]


async def start_registrar(status: str = "200 OK") -> Started:
    loop = asyncio.get_running_loop()
    transport, protocol = await loop.create_datagram_endpoint(
        lambda: Registrar(status), local_addr=("127.0.0.1", 0)
    )
    port = int(transport.get_extra_info("sockname")[1])
    return protocol, transport, port
