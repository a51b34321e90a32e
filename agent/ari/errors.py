"""Typed ARI errors: callers catch exactly the case they expect (a hangup racing us -> NotFound)."""

from __future__ import annotations


class AriError(Exception):
    """Any failure talking to Asterisk's REST interface."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class AriUnavailable(AriError):
    """Asterisk is not reachable (down, restarting, wrong URL)."""


class AriAuthError(AriError):
    """Asterisk refused the ARI username or password (HTTP 401)."""


class AriNotFound(AriError):
    """The channel, bridge or playback is gone, typically because the caller hung up."""


class AriConflict(AriError):
    """The object is not in a state that allows the request (HTTP 409 / 412 / 422)."""


class AriTimeout(AriError, TimeoutError):
    """Asterisk did not answer a request in time."""
