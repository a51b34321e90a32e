"""Login throttling: after 10 wrong passwords within a minute a client must wait.

Counted per client address (IPv6 per /64: one subscriber holds a whole /64), in memory: a
restart forgets, which costs an attacker a restart per ten guesses. While a client is blocked
even the right password is refused, or each 429-or-200 answer would still confirm a guess.
"""

from __future__ import annotations

import ipaddress
import math
import time
from collections import OrderedDict, deque
from collections.abc import Callable

__all__ = ["LoginThrottle", "client_key"]

MAX_FAILURES = 10
WINDOW_S = 60.0
# Bounds the memory a flood of spoofed-looking clients can take (oldest forgotten first).
MAX_CLIENTS = 10_000


def client_key(address: str | None) -> str:
    """The unit throttled: the IPv4 address, the IPv6 /64, or the raw text when unreadable."""
    if not address:
        return "?"
    try:
        ip = ipaddress.ip_address(address.strip("[]"))
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


class LoginThrottle:
    """Sliding window of failed logins per client."""

    def __init__(
        self,
        max_failures: int = MAX_FAILURES,
        window_s: float = WINDOW_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._max = max_failures
        self._window = window_s
        self._clock = clock
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()

    def _recent(self, key: str) -> deque[float]:
        stamps = self._failures.get(key)
        if stamps is None:
            return deque()
        horizon = self._clock() - self._window
        while stamps and stamps[0] <= horizon:
            stamps.popleft()
        if not stamps:
            del self._failures[key]
        return stamps

    def retry_after_s(self, address: str | None) -> int | None:
        """Whole seconds the client must wait, or None when it may try now."""
        stamps = self._recent(client_key(address))
        if len(stamps) < self._max:
            return None
        return max(1, math.ceil(stamps[0] + self._window - self._clock()))

    def failed(self, address: str | None) -> None:
        key = client_key(address)
        stamps = self._recent(key)
        stamps.append(self._clock())
        self._failures[key] = stamps
        self._failures.move_to_end(key)
        while len(self._failures) > MAX_CLIENTS:
            self._failures.popitem(last=False)
