"""What to do after a failed delivery: retry later or give up, and when to try next.

One classification for every HTTP peer of the agent (SMS providers, the lead webhook):
- connection errors and timeouts: retry (the peer or the network is down for a while);
- 2xx: delivered;
- 408, 425, 429 and every 5xx: retry (the peer says "not now");
- any other 4xx: give up (the same request gets the same answer: bad credentials, refused
  number, wrong URL);
- 3xx: retry (redirects are never followed, see agent.queue.http): a moved endpoint is an
  operator's fix away, so the item waits, its error shown, until retries run out;
- `Retry-After` (seconds or an HTTP date) on a retry: never try again sooner than it says;
- the backoff is jittered (`RetryPolicy.jitter`), so that boxes that lost the same peer at
  the same moment do not all come back at the same second.

Pure Python (no aiohttp): the errors are raised by adapters, the schedule read by the worker.
"""

from __future__ import annotations

import enum
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

__all__ = [
    "SHARED_PEER_JITTER",
    "DeliveryFailed",
    "GiveUp",
    "RetryLater",
    "RetryPolicy",
    "Verdict",
    "backoff_delay",
    "classify_status",
    "retry_after_s",
]

# The jitter of a peer many boxes share (an SMS provider, a CRM's webhook): when its outage
# ends, their retries spread over the last quarter of each backoff instead of one second.
SHARED_PEER_JITTER = 0.25

# "Not now" answers: request timeout, too early, rate limited. Every 5xx is retried too.
_RETRY_STATUSES = frozenset({408, 425, 429})


class Verdict(enum.Enum):
    DELIVERED = "delivered"
    RETRY = "retry"
    GIVE_UP = "give_up"


def classify_status(status: int) -> Verdict:
    """The one table of HTTP statuses (see the module docstring)."""
    if 200 <= status < 300:
        return Verdict.DELIVERED
    if status >= 500 or 300 <= status < 400 or status in _RETRY_STATUSES:
        return Verdict.RETRY
    return Verdict.GIVE_UP


def retry_after_s(header: str | None, now: float) -> float | None:
    """Seconds to wait that a `Retry-After` header asks for; None when absent or unreadable.

    `now` (epoch seconds) turns an HTTP date into a delay; a date already past means 0.
    """
    if header is None or not header.strip():
        return None
    value = header.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:  # HTTP dates are GMT; a zone-less one is read as such
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - datetime.fromtimestamp(now, UTC).timestamp())


class DeliveryFailed(Exception):
    """A delivery did not go through; subclasses say whether trying again can help."""


class RetryLater(DeliveryFailed):
    """Worth trying again: peer down, timeout, 5xx, rate limited.

    `retry_after_s`: the peer's own `Retry-After`, honoured as a lower bound on the wait.
    """

    def __init__(self, message: str, *, retry_after_s: float | None = None) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class GiveUp(DeliveryFailed):
    """Trying again cannot help: the request itself is refused."""


def backoff_delay(attempt: int, initial_s: float, max_s: float) -> float:
    """Delay before retry number `attempt` (1 = first retry): doubles each time, capped."""
    return float(min(max_s, initial_s * (2 ** max(0, attempt - 1))))


@dataclass(frozen=True)
class RetryPolicy:
    """When a queued item is tried again, and when it is abandoned."""

    backoff_initial_s: float = 5.0
    backoff_max_s: float = 3600.0
    max_attempts: int = 100
    # Abandon an item still failing this long after it was queued; None: only max_attempts.
    give_up_after_s: float | None = None
    # A peer's Retry-After is honoured up to this (a buggy "come back next year" would
    # otherwise park the item past any give-up horizon).
    retry_after_max_s: float = 86400.0
    # Fraction of each backoff drawn at random: the wait is uniform in
    # [backoff * (1 - jitter), backoff]. 0 keeps the exact doubling.
    jitter: float = 0.0

    def __post_init__(self) -> None:
        if not 0.0 <= self.jitter <= 1.0:
            raise ValueError(f"jitter {self.jitter} is not within 0..1")

    def delay(
        self, attempts: int, error: RetryLater, rand: Callable[[], float] = random.random
    ) -> float:
        """Wait before the next try after `attempts` failed ones; `rand()` in [0, 1)."""
        backoff = backoff_delay(attempts, self.backoff_initial_s, self.backoff_max_s)
        backoff *= 1.0 - self.jitter * rand()
        if error.retry_after_s is None:
            return backoff
        return max(backoff, min(error.retry_after_s, self.retry_after_max_s))

    def exhausted(self, attempts: int, waited_s: float) -> bool:
        """True when an item tried `attempts` times over `waited_s` seconds is abandoned."""
        if attempts >= self.max_attempts:
            return True
        return self.give_up_after_s is not None and waited_s >= self.give_up_after_s
