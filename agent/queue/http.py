"""One POST for every HTTP peer the queues deliver to, failures mapped by agent.queue.retry.

aiohttp lives here (and in the adapters), never in agent.queue's pure modules.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import aiohttp

from agent.queue.retry import GiveUp, RetryLater, Verdict, classify_status, retry_after_s

__all__ = ["HttpAnswer", "classify_error", "post"]


@dataclass(frozen=True)
class HttpAnswer:
    status: int
    text: str


def classify_error(exc: Exception) -> Verdict:
    """A request that got no answer: a wrong URL or a redirect loop stays wrong; a refused
    connection, a reset, a timeout or a cut body may not."""
    if isinstance(exc, (aiohttp.InvalidURL, aiohttp.TooManyRedirects)):
        return Verdict.GIVE_UP
    return Verdict.RETRY


async def post(
    session: aiohttp.ClientSession,
    url: str,
    *,
    label: str,
    retry: type[RetryLater] = RetryLater,
    give_up: type[GiveUp] = GiveUp,
    clock: Callable[[], float] = time.time,
    **kwargs: Any,
) -> HttpAnswer:
    """POST and return a 2xx answer; raise `retry` or `give_up` (the caller's own subclasses)
    for anything else. Bounded by the session's timeout, which the caller owns.

    Redirects are never followed: a 302 to a page answering 200 would count as delivered
    though the body never arrived, and a 307 would re-post the body and its signature (or an
    SMS provider's credentials) to whatever host the answer names."""
    kwargs["allow_redirects"] = False
    try:
        async with session.post(url, **kwargs) as response:
            status = response.status
            text = await response.text()
            header = response.headers.get("Retry-After")
            location = response.headers.get("Location")
    except (aiohttp.ClientError, TimeoutError) as exc:
        message = f"{label}: {type(exc).__name__}: {exc}"
        if classify_error(exc) is Verdict.GIVE_UP:
            raise give_up(message) from exc
        raise retry(message) from exc
    verdict = classify_status(status)
    if verdict is Verdict.DELIVERED:
        return HttpAnswer(status, text)
    message = f"{label}: HTTP {status}: {text[:200]}"
    if 300 <= status < 400:
        message = f"{label}: HTTP {status} redirect to {location!r} not followed"
    if verdict is Verdict.RETRY:
        raise retry(message, retry_after_s=retry_after_s(header, clock()))
    raise give_up(message)
