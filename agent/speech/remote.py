"""What remote speech engines share: their typed errors and the outage tracker.

A speech server (one GPU box serving many small ones) can be down at start, die mid-call, hang,
or answer garbage. Each of those is a `RemoteSpeechError` from the client; the engine that
wraps it (agent.speech.fallback_stt, agent.speech.wyoming_tts) then uses the box's own engine
for that turn, or raises `SpeechUnavailableError`, which ends the conversation the way any
agent failure does: the caller goes to the dialplan fallback (agent.call.session), never to
dead air.

`Outage` keeps one outage to one warning, however many turns meet it, skips the server while
it is down (no turn waits for a dead server's timeout), and tries it again after a growing
back-off, so its return is noticed without a restart.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from urllib.parse import urlsplit

__all__ = ["Outage", "RemoteSpeechError", "SpeechUnavailableError", "tcp_address"]

log = logging.getLogger(__name__)

# The first retry comes soon (a restarting server is back in seconds), later ones farther
# apart so a server gone for good costs one failed attempt every half minute.
FIRST_RETRY_S = 2.0
MAX_RETRY_S = 30.0


class RemoteSpeechError(RuntimeError):
    """A speech server failed one request: unreachable, too slow, or an unreadable answer."""


class SpeechUnavailableError(RuntimeError):
    """The speech server failed and no fallback engine is configured (`fallback = "none"`)."""


def tcp_address(uri: str) -> tuple[str, int]:
    """(host, port) of a `tcp://HOST:PORT` URI; ValueError says what is wrong."""
    parts = urlsplit(uri)
    if parts.scheme != "tcp" or not parts.hostname or parts.port is None:
        raise ValueError(f"expected tcp://HOST:PORT, got {uri!r}")
    return parts.hostname, parts.port


class Outage:
    """The state of one server as its clients saw it: up, or down since when, retried when."""

    def __init__(self, label: str, clock: Callable[[], float] = time.monotonic) -> None:
        self.label = label
        self._clock = clock
        self.down_since: float | None = None
        self._retry_at = 0.0
        self._backoff = FIRST_RETRY_S
        self.outages = 0  # outages seen so far (one warning each)

    @property
    def down(self) -> bool:
        return self.down_since is not None

    def worth_trying(self) -> bool:
        """Up, or down long enough that one request should probe it again."""
        return self.down_since is None or self._clock() >= self._retry_at

    def failed(self, error: BaseException, fallback: str) -> None:
        now = self._clock()
        if self.down_since is None:
            self.down_since = now
            self._backoff = FIRST_RETRY_S
            self.outages += 1
            log.warning(
                "%s failed (%s): %s until it answers again (retried after %.0f s, then less often)",
                self.label,
                error,
                fallback,
                self._backoff,
            )
        else:
            self._backoff = min(self._backoff * 2, MAX_RETRY_S)
        self._retry_at = now + self._backoff

    def succeeded(self) -> None:
        if self.down_since is not None:
            log.warning(
                "%s answers again after %.1f s down", self.label, self._clock() - self.down_since
            )
        self.down_since = None
        self._backoff = FIRST_RETRY_S
