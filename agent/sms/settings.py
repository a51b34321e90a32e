"""`[sms]` configuration, its provider's table read and typed at config load.

[sms]
provider = "local"            # local | ovh | twilio
local_dir = "sms"             # optional: one .txt per message (relative to the config file)
max_segments = 3
max_attempts = 100            # a cap; give_up_after_h is what normally ends the tries
backoff_initial_s = 5.0
backoff_max_s = 3600.0
give_up_after_h = 24.0        # a text still refused this long after it was queued is failed
[sms.ovh]    application_key, application_secret, consumer_key, service_name, sender?,
             base_url?, timeout_s?
[sms.twilio] account_sid, auth_token, from_number | messaging_service_sid, base_url?,
             timeout_s?

The senders (aiohttp) are in agent.sms.providers, built by `build_sender` there.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from agent.config_reader import ConfigError, TableReader
from agent.sms.outbox import OutboxSettings

__all__ = ["ACCOUNTS", "PROVIDERS", "OvhSettings", "SmsSettings", "TwilioSettings"]


@dataclass(frozen=True)
class OvhSettings:
    application_key: str
    application_secret: str
    consumer_key: str
    service_name: str
    sender: str | None = None  # an approved sender name; None lets OVH use a short number
    base_url: str = "https://eu.api.ovh.com"
    timeout_s: float = 10.0


@dataclass(frozen=True)
class TwilioSettings:
    account_sid: str
    auth_token: str
    from_number: str | None = None
    messaging_service_sid: str | None = None
    base_url: str = "https://api.twilio.com"
    timeout_s: float = 10.0


@dataclass(frozen=True)
class SmsSettings:
    provider: str = "local"
    local_dir: Path | None = None
    outbox: OutboxSettings = field(default_factory=OutboxSettings)
    # The provider's own table ([sms.ovh], [sms.twilio]); None for "local".
    account: OvhSettings | TwilioSettings | None = None

    @classmethod
    def from_table(cls, table: Mapping[str, Any] | None, base: Path) -> SmsSettings:
        r = TableReader("sms", table)
        d = cls
        provider = r.text("provider", d.provider, choices=PROVIDERS)
        local_dir = r.optional_text("local_dir")
        o = OutboxSettings
        outbox = OutboxSettings(
            max_segments=r.integer("max_segments", o.max_segments, low=1, high=10),
            max_attempts=r.integer("max_attempts", o.max_attempts, low=1, high=1000),
            backoff_initial_s=r.number(
                "backoff_initial_s", o.backoff_initial_s, low=0.01, high=3600
            ),
            backoff_max_s=r.number("backoff_max_s", o.backoff_max_s, low=0.01, high=86400),
            give_up_after_s=3600
            * r.number("give_up_after_h", o.give_up_after_s / 3600, low=0.01, high=24 * 14),
        )
        # Every provider's table must be a table; only the chosen one is read (a half-filled
        # table for another provider is not an error, as before).
        tables = {name: r.table(name) for name in ACCOUNTS}
        r.finish()
        reader = ACCOUNTS.get(provider)
        account = None
        if reader is not None:
            sub = TableReader(f"sms.{provider}", tables[provider])
            account = reader(sub)
            sub.finish()
        return cls(
            provider=provider,
            local_dir=None if local_dir is None else _resolve(local_dir, base),
            outbox=outbox,
            account=account,
        )


def _resolve(raw: str, base: Path) -> Path:
    path = Path(raw).expanduser()
    return path if path.is_absolute() else base / path


def _base_url(r: TableReader, default: str) -> str:
    """An http(s) URL with a host and nothing after the path; plain http only to this machine
    (the provider's credentials travel with every request)."""
    raw = r.text("base_url", default)
    try:
        url = urlsplit(raw)
        host = url.hostname or ""
        url.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError as exc:
        raise ConfigError(f"{r.key('base_url')}: {raw!r} is not a URL ({exc})") from None
    if url.scheme not in ("http", "https") or not host or any(c.isspace() for c in raw):
        raise ConfigError(f"{r.key('base_url')}: {raw!r} is not an http(s)://host URL")
    if url.query or url.fragment or url.username or url.password:
        raise ConfigError(f"{r.key('base_url')}: {raw!r} must not carry a query, #, or user")
    if url.scheme == "http" and not _loopback(host):
        raise ConfigError(f"{r.key('base_url')}: {raw!r}: use https:// (credentials are sent)")
    return raw


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _ovh(r: TableReader) -> OvhSettings:
    d = OvhSettings
    return OvhSettings(
        application_key=r.text("application_key"),
        application_secret=r.text("application_secret"),
        consumer_key=r.text("consumer_key"),
        service_name=r.text("service_name"),
        sender=r.optional_text("sender"),
        base_url=_base_url(r, d.base_url),
        timeout_s=r.number("timeout_s", d.timeout_s, low=0.1, high=120),
    )


def _twilio(r: TableReader) -> TwilioSettings:
    d = TwilioSettings
    twilio = TwilioSettings(
        account_sid=r.text("account_sid"),
        auth_token=r.text("auth_token"),
        from_number=r.optional_text("from_number"),
        messaging_service_sid=r.optional_text("messaging_service_sid"),
        base_url=_base_url(r, d.base_url),
        timeout_s=r.number("timeout_s", d.timeout_s, low=0.1, high=120),
    )
    if not (twilio.from_number or twilio.messaging_service_sid):
        raise ConfigError("sms.twilio: set from_number or messaging_service_sid")
    return twilio


# The readers of the providers that have a table of their own, by [sms] provider name; their
# senders are in agent.sms.providers.SENDERS.
ACCOUNTS: dict[str, Callable[[TableReader], OvhSettings | TwilioSettings]] = {
    "ovh": _ovh,
    "twilio": _twilio,
}
PROVIDERS = ("local", *ACCOUNTS)
