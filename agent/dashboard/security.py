"""The dashboard's gate: Host allow-list, trusted proxies, HTTP basic auth with throttling,
CSRF protection for forms, logout, and defensive headers on every answer (errors included).

    guard = Guard(settings)
    app = web.Application(middlewares=[guard.middleware])
    guard.install(app)          # headers on every response, POST /logout
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import logging
import secrets
import time
from collections.abc import Callable
from urllib.parse import urlsplit

from aiohttp import web
from aiohttp.typedefs import Handler
from multidict import MultiDictProxy

from agent.dashboard.proxy import Forwarded
from agent.dashboard.settings import DashboardSettings, host_name
from agent.dashboard.throttle import LoginThrottle

__all__ = ["PUBLIC_PATHS", "Guard", "SecurityError"]

log = logging.getLogger(__name__)

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
_CHALLENGE = {"WWW-Authenticate": 'Basic realm="decroche", charset="UTF-8"'}
_LOGGED_OUT = (
    "<!doctype html><html lang=fr><meta charset=utf-8><title>Déconnecté</title>"
    '<meta name=viewport content="width=device-width,initial-scale=1">'
    "<p>Vous êtes déconnecté.</p><p><a href=/>Se reconnecter</a></p></html>"
)
_DEFAULT_PORTS = {"http": 80, "https": 443}


class SecurityError(web.HTTPForbidden):
    """A state-changing request failed the CSRF checks (foreign Origin or bad token)."""


class Guard:
    """Checks every request and issues/verifies the form token.

    The CSRF token is an HMAC of the username under a secret drawn at start: forms rendered
    before a restart stop working (one reload fixes it), and no server-side session is kept.
    """

    def __init__(
        self,
        settings: DashboardSettings,
        secret: bytes | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._settings = settings
        self._secret = secret or secrets.token_bytes(32)
        self._user = settings.username.encode("utf-8")
        self._password = settings.password.encode("utf-8")
        self._hosts = settings.hosts()
        self._forwarded = Forwarded(settings.proxy_networks())
        self.throttle = LoginThrottle(clock=clock)

    def install(self, app: web.Application) -> None:
        """Headers on every response the app prepares (401, 404, 429 too), and the logout."""
        app.on_response_prepare.append(_harden)
        app.router.add_post("/logout", self.logout)

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

    async def check_post(
        self, request: web.Request
    ) -> MultiDictProxy[str | bytes | bytearray | web.FileField]:
        """The form of a state-changing POST, once its Origin and CSRF token are checked."""
        form = await request.post()
        token = form.get("csrf")
        self.check_form(request, token if isinstance(token, str) else None)
        return form

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        request = self._forwarded.apply(request)
        if host_name(request.host) not in self._hosts:
            # A page on a rebinding domain reaches us under its own name: refuse the name.
            log.info("dashboard: Host %r refused (see [dashboard] allowed_hosts)",
                        request.host[:100])  # fmt: skip
            raise web.HTTPMisdirectedRequest(text="Nom d'hôte non autorisé.")
        if request.path not in PUBLIC_PATHS:
            self._login(request)
        return await handler(request)

    def _login(self, request: web.Request) -> None:
        if not self._settings.auth_required:
            return
        wait = self.throttle.retry_after_s(request.remote)
        if wait is not None:
            raise web.HTTPTooManyRequests(
                text="Trop d'essais de mot de passe : réessayez dans une minute.",
                headers={"Retry-After": str(wait)},
            )
        header = request.headers.get("Authorization")
        if self.authorized(header):
            return
        if header is not None:  # a browser's first, credential-less request is no guess
            self.throttle.failed(request.remote)
            if self.throttle.retry_after_s(request.remote) is not None:
                log.warning("dashboard: too many wrong passwords from %s, blocked for a while",
                            request.remote)  # fmt: skip
        raise web.HTTPUnauthorized(text="Identifiant requis.", headers=_CHALLENGE)

    async def logout(self, request: web.Request) -> web.Response:
        """Basic auth has no session: a 401 makes the browser forget the credentials it kept."""
        await self.check_post(request)
        if not self._settings.auth_required:
            raise web.HTTPSeeOther("/")
        raise web.HTTPUnauthorized(text=_LOGGED_OUT, content_type="text/html", headers=_CHALLENGE)


async def _harden(request: web.Request, response: web.StreamResponse) -> None:
    del request
    for name, value in _HEADERS.items():
        response.headers.setdefault(name, value)
    # aiohttp has already named itself and its version here (before this hook runs).
    response.headers["Server"] = "decroche"


def _origin(scheme: str, netloc: str) -> tuple[str, str | None, int | None]:
    """(scheme, host, port) with the default port made explicit, so 'x.fr' = 'x.fr:443'."""
    scheme = scheme.lower()
    try:
        port = urlsplit(f"//{netloc}").port
    except ValueError:
        return (scheme, None, None)
    return (scheme, host_name(netloc), port or _DEFAULT_PORTS.get(scheme))


def _same_origin(request: web.Request) -> bool:
    """Origin (or, when a browser omits it, Referer) must name this very scheme and host."""
    source = request.headers.get("Origin") or request.headers.get("Referer")
    if source is None:
        return True  # non-browser clients; the token still has to be right
    if source == "null":
        return False
    parts = urlsplit(source)
    theirs = _origin(parts.scheme, parts.netloc)
    return theirs[1] is not None and theirs == _origin(request.scheme, request.host)
