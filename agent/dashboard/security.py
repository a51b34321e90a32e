"""HTTP basic auth (constant-time), CSRF protection for forms, and defensive response headers."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
from urllib.parse import urlsplit

from aiohttp import web
from aiohttp.typedefs import Handler

from agent.dashboard.settings import DashboardSettings

__all__ = ["PUBLIC_PATHS", "Guard", "SecurityError"]

# Monitoring probes need no login; the answer holds two counts and nothing personal.
PUBLIC_PATHS = frozenset({"/healthz"})

_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; media-src 'self'; img-src 'self';"
        " form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


class SecurityError(web.HTTPForbidden):
    """A state-changing request failed the CSRF checks (foreign Origin or bad token)."""


class Guard:
    """Checks credentials on every request and issues/verifies the form token.

    The CSRF token is an HMAC of the username under a secret drawn at start: forms rendered
    before a restart stop working (one reload fixes it), and no server-side session is kept.
    """

    def __init__(self, settings: DashboardSettings, secret: bytes | None = None) -> None:
        self._settings = settings
        self._secret = secret or secrets.token_bytes(32)
        self._user = settings.username.encode("utf-8")
        self._password = settings.password.encode("utf-8")

    def csrf_token(self) -> str:
        return hmac.new(self._secret, b"csrf:" + self._user, hashlib.sha256).hexdigest()

    def authorized(self, header: str | None) -> bool:
        """Constant-time check of an `Authorization: Basic ...` header."""
        if not self._settings.auth_required:
            return True
        if not header or header[:6].lower() != "basic ":
            return False
        try:
            decoded = base64.b64decode(header[6:].strip(), validate=True)
        except (binascii.Error, ValueError):
            return False
        user, sep, password = decoded.partition(b":")
        user_ok = hmac.compare_digest(user, self._user)
        password_ok = hmac.compare_digest(password, self._password)
        return bool(sep) and user_ok and password_ok

    def check_form(self, request: web.Request, token: str | None) -> None:
        """Raise SecurityError unless the POST comes from our own page with a valid token."""
        if not _same_origin(request):
            raise SecurityError(text="Requête refusée : origine étrangère.")
        if not token or not hmac.compare_digest(token.encode(), self.csrf_token().encode()):
            raise SecurityError(text="Requête refusée : jeton de formulaire invalide.")

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.path not in PUBLIC_PATHS and not self.authorized(
            request.headers.get("Authorization")
        ):
            raise web.HTTPUnauthorized(
                text="Identifiant requis.",
                headers={"WWW-Authenticate": 'Basic realm="decroche", charset="UTF-8"'},
            )
        try:
            response = await handler(request)
        except web.HTTPException as exc:
            _harden(exc)
            raise
        _harden(response)
        return response


def _harden(response: web.StreamResponse) -> None:
    if response.prepared:  # streamed file answers have already sent their headers
        return
    for name, value in _HEADERS.items():
        response.headers.setdefault(name, value)


def _same_origin(request: web.Request) -> bool:
    """Origin (or, when a browser omits it, Referer) must name this very host."""
    source = request.headers.get("Origin") or request.headers.get("Referer")
    if source is None:
        return True  # non-browser clients; the token still has to be right
    if source == "null":
        return False
    return urlsplit(source).netloc.lower() == request.host.lower()
