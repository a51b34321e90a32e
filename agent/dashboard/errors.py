"""French error pages: a 404 or a 500 is a page of the dashboard, not aiohttp's English text.

Statuses and headers are kept (a 403 from the CSRF check stays a 403); redirects pass through;
an unexpected exception is logged with its traceback and shown as a plain 500 page.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

__all__ = ["ErrorPage", "error_pages"]

log = logging.getLogger(__name__)

# (request, status, title, message) -> the rendered page
ErrorPage = Callable[[web.Request, int, str, str], web.Response]

_TITLES = {
    400: ("Requête invalide", "La demande envoyée au tableau de bord est incorrecte."),
    403: ("Accès refusé", "Cette action n'est pas permise depuis cette page."),
    404: ("Page introuvable", "Cette page n'existe pas ou plus."),
    405: ("Action impossible", "Cette adresse ne s'utilise pas ainsi."),
    413: ("Envoi trop gros", "Le formulaire envoyé est trop volumineux."),
    500: ("Erreur du tableau de bord", "Un problème est survenu ; réessayez dans un instant."),
}


def _message(exc: web.HTTPException, default: str) -> str:
    """The handler's own French text ('Demande introuvable.'), else the default for the code."""
    text = exc.text or ""
    return default if text.startswith(f"{exc.status}:") or not text else text


def error_pages(render: ErrorPage) -> Middleware:
    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        try:
            return await handler(request)
        except web.HTTPException as exc:
            if exc.status < 400 or exc.status not in _TITLES:
                raise
            title, default = _TITLES[exc.status]
            page = render(request, exc.status, title, _message(exc, default))
            for name, value in exc.headers.items():  # Allow:, WWW-Authenticate:...
                if name.lower() not in ("content-type", "content-length"):
                    page.headers.setdefault(name, value)
            return page
        except Exception:
            log.exception("dashboard: %s %s failed", request.method, request.path)
            title, message = _TITLES[500]
            return render(request, 500, title, message)

    return middleware
