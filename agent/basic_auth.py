"""The HTTP Basic `Authorization` header, built once for every client that needs it (ARI,
Twilio): aiohttp 3.14 deprecates `aiohttp.BasicAuth` and 4.0 removes it, while a header
works on every version."""

from __future__ import annotations

import base64

__all__ = ["basic_authorization"]


def basic_authorization(username: str, password: str) -> dict[str, str]:
    """{"Authorization": "Basic ..."} for `username:password`, UTF-8 (RFC 7617)."""
    token = base64.b64encode(f"{username}:{password}".encode()).decode("ascii")
    return {"Authorization": f"Basic {token}"}
