"""`[webhook]`: where each lead is POSTed as JSON, and how a refused POST is retried.

Here, not in agent.leads.webhook, so that agent.config reads the table without importing aiohttp.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

from agent.config_reader import ConfigError, TableReader
from agent.leads.model import OUTCOMES, Outcome
from agent.queue.retry import SHARED_PEER_JITTER, RetryPolicy

__all__ = ["WebhookSettings"]


@dataclass(frozen=True)
class WebhookSettings:
    url: str | None = None
    secret: str | None = None
    timeout_s: float = 10.0
    max_attempts: int = 12
    backoff_initial_s: float = 10.0
    backoff_max_s: float = 3600.0
    poll_interval_s: float = 30.0
    # Spam and empty calls are not leads: by default they are not pushed.
    outcomes: tuple[Outcome, ...] = ("transferred", "callback_needed")

    @property
    def policy(self) -> RetryPolicy:
        return RetryPolicy(
            backoff_initial_s=self.backoff_initial_s,
            backoff_max_s=self.backoff_max_s,
            max_attempts=self.max_attempts,
            # Many boxes may share one CRM endpoint: an outage there ends for all at once.
            jitter=SHARED_PEER_JITTER,
        )

    @property
    def enabled(self) -> bool:
        return bool(self.url)

    @classmethod
    def from_table(cls, table: Mapping[str, Any] | None) -> WebhookSettings:
        r = TableReader("webhook", table)
        url = r.optional_text("url")
        if url is not None and not url.startswith(("http://", "https://")):
            raise ConfigError(f"{r.key('url')}: {url!r} must start with http:// or https://")
        outcomes = r.texts("outcomes", cls.outcomes)
        for outcome in outcomes:
            if outcome not in OUTCOMES:
                raise ConfigError(f"{r.key('outcomes')}: {outcome!r} is not one of {OUTCOMES}")
        d = cls
        settings = cls(
            url=url,
            secret=r.optional_text("secret"),
            timeout_s=r.number("timeout_s", d.timeout_s, low=0.1, high=120),
            max_attempts=r.integer("max_attempts", d.max_attempts, low=1, high=1000),
            backoff_initial_s=r.number(
                "backoff_initial_s", d.backoff_initial_s, low=0.01, high=3600
            ),
            backoff_max_s=r.number("backoff_max_s", d.backoff_max_s, low=0.01, high=86400),
            outcomes=cast(tuple[Outcome, ...], outcomes),
        )
        r.finish()
        return settings
