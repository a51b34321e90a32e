"""Reverse-proxy headers, believed only from the peers named in `[dashboard] trusted_proxies`.

A proxy that rewrites `Host` (or terminates TLS) tells the original host, scheme and client in
X-Forwarded-Host / -Proto / -For. Anyone can send those headers, so without an explicit list
they are ignored: otherwise a client could pick the host the Origin check compares with, or
dodge the login throttle with a fresh X-Forwarded-For per guess.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

from aiohttp import web

from agent.dashboard.settings import Network

__all__ = ["Forwarded"]


def _last(value: str | None) -> str | None:
    """The entry the nearest proxy wrote: proxies append to these comma-separated lists."""
    if value is None:
        return None
    entry = value.split(",")[-1].strip()
    return entry or None


class Forwarded:
    def __init__(self, networks: Sequence[Network]) -> None:
        self._networks = tuple(networks)

    def trusted(self, address: str | None) -> bool:
        if not address or not self._networks:
            return False
        try:
            ip = ipaddress.ip_address(address.strip("[]"))
        except ValueError:  # a Unix socket peer, or nothing
            return False
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        return any(ip in network for network in self._networks)

    def client(self, peer: str | None, forwarded_for: str | None) -> str | None:
        """The first address, from the right, that is not one of our proxies."""
        hops = [h.strip() for h in (forwarded_for or "").split(",") if h.strip()]
        for hop in reversed(hops):
            if not self.trusted(hop):
                return hop
        return hops[0] if hops else peer

    def apply(self, request: web.Request) -> web.Request:
        """The request as the browser made it, when it came through a trusted proxy."""
        if not self.trusted(request.remote):
            return request
        headers = request.headers
        host = _last(headers.get("X-Forwarded-Host")) or request.host
        scheme = (_last(headers.get("X-Forwarded-Proto")) or "").lower()
        if scheme not in ("http", "https"):
            scheme = request.scheme
        remote = self.client(request.remote, headers.get("X-Forwarded-For")) or ""
        return request.clone(host=host, scheme=scheme, remote=remote)
