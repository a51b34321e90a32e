"""Minimal SIP message building and parsing for the test caller (RFC 3261 subset)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field


class SipError(RuntimeError):
    """The SIP peer answered with an error or not at all."""


@dataclass(frozen=True)
class SipMessage:
    first_line: str
    headers: dict[str, list[str]] = field(default_factory=dict)
    body: str = ""

    @property
    def is_response(self) -> bool:
        return self.first_line.startswith("SIP/2.0")

    @property
    def status(self) -> int:
        return int(self.first_line.split()[1]) if self.is_response else 0

    @property
    def method(self) -> str:
        return self.first_line.split()[0] if not self.is_response else self.cseq_method

    @property
    def cseq_method(self) -> str:
        return self.header("cseq").split()[-1]

    def header(self, name: str) -> str:
        values = self.headers.get(name.lower())
        return values[0] if values else ""


_COMPACT = {
    "v": "via",
    "f": "from",
    "t": "to",
    "i": "call-id",
    "m": "contact",
    "l": "content-length",
    "c": "content-type",
}


def parse_sip(data: bytes) -> SipMessage:
    text = data.decode("utf-8", errors="replace")
    head, _, body = text.partition("\r\n\r\n")
    lines = head.split("\r\n")
    headers: dict[str, list[str]] = {}
    for line in lines[1:]:
        name, sep, value = line.partition(":")
        if not sep:
            continue
        key = name.strip().lower()
        headers.setdefault(_COMPACT.get(key, key), []).append(value.strip())
    return SipMessage(lines[0], headers, body)


def new_tag() -> str:
    return secrets.token_hex(6)


def build_request(method: str, uri: str, headers: list[tuple[str, str]], body: str = "") -> bytes:
    lines = [f"{method} {uri} SIP/2.0", *(f"{k}: {v}" for k, v in headers)]
    lines.append(f"Content-Length: {len(body.encode())}")
    return ("\r\n".join(lines) + "\r\n\r\n" + body).encode()


def build_response(request: SipMessage, status: int, reason: str) -> bytes:
    lines = [f"SIP/2.0 {status} {reason}"]
    for name in ("via", "from", "to", "call-id", "cseq"):
        lines += [f"{name.title()}: {value}" for value in request.headers.get(name, [])]
    lines.append("Content-Length: 0")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def sdp_offer(host: str, rtp_port: int, session_id: int) -> str:
    return "\r\n".join(
        [
            "v=0",
            f"o=decroche-caller {session_id} {session_id} IN IP4 {host}",
            "s=decroche test",
            f"c=IN IP4 {host}",
            "t=0 0",
            f"m=audio {rtp_port} RTP/AVP 0 101",
            "a=rtpmap:0 PCMU/8000",
            "a=rtpmap:101 telephone-event/8000",
            "a=fmtp:101 0-16",
            "a=ptime:20",
            "a=sendrecv",
            "",
        ]
    )


def sdp_media_address(sdp: str) -> tuple[str, int]:
    host, port = "", 0
    for line in sdp.splitlines():
        if line.startswith("c=IN IP4 "):
            host = line.split()[-1]
        elif line.startswith("m=audio "):
            port = int(line.split()[1])
    if not host or not port:
        raise SipError(f"no audio address in the SDP answer: {sdp!r}")
    return host, port
