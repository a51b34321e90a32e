"""`[sms]` configuration and the factory that builds the configured provider.

[sms]
provider = "local"            # local | ovh | twilio
local_dir = "sms"             # optional: one .txt per message (relative to the config file)
max_segments = 3
max_attempts = 10
backoff_initial_s = 5.0
backoff_max_s = 3600.0
give_up_after_h = 24.0        # a text still refused this long after it was queued is failed
[sms.ovh]    application_key, application_secret, consumer_key, service_name, sender?,
             base_url?, timeout_s?
[sms.twilio] account_sid, auth_token, from_number | messaging_service_sid, base_url?,
             timeout_s?
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from agent.config_reader import ConfigError, TableReader
from agent.sms.base import SmsSender
from agent.sms.outbox import OutboxSettings

__all__ = ["SmsSettings", "build_sender"]

PROVIDERS = ("local", "ovh", "twilio")


@dataclass(frozen=True)
class SmsSettings:
    provider: str = "local"
    local_dir: Path | None = None
    outbox: OutboxSettings = field(default_factory=OutboxSettings)
    ovh: Mapping[str, Any] | None = None
    twilio: Mapping[str, Any] | None = None

    @classmethod
    def from_table(cls, table: Mapping[str, Any] | None, base: Path) -> SmsSettings:
        r = TableReader("sms", table)
        provider = r.text("provider", "local", choices=PROVIDERS)
        local_dir = r.optional_text("local_dir")
        defaults = OutboxSettings()
        outbox = OutboxSettings(
            max_segments=r.integer("max_segments", defaults.max_segments, low=1, high=10),
            max_attempts=r.integer("max_attempts", defaults.max_attempts, low=1, high=1000),
            backoff_initial_s=r.number(
                "backoff_initial_s", defaults.backoff_initial_s, low=0.01, high=3600
            ),
            backoff_max_s=r.number("backoff_max_s", defaults.backoff_max_s, low=0.01, high=86400),
            give_up_after_s=3600
            * r.number("give_up_after_h", defaults.give_up_after_s / 3600, low=0.01, high=24 * 14),
        )
        ovh, twilio = r.table("ovh"), r.table("twilio")
        r.finish()
        settings = cls(
            provider=provider,
            local_dir=None if local_dir is None else _resolve(local_dir, base),
            outbox=outbox,
            ovh=ovh or None,
            twilio=twilio or None,
        )
        build_sender(settings)  # validates the provider's own table now, not at the first SMS
        return settings


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


def build_sender(settings: SmsSettings) -> SmsSender:
    """The configured provider (import of aiohttp happens here, at the protocol edge)."""
    from agent.sms.providers import (
        LocalSender,
        OvhSender,
        OvhSettings,
        TwilioSender,
        TwilioSettings,
    )

    if settings.provider == "ovh":
        r = TableReader("sms.ovh", settings.ovh or {})
        ovh = OvhSettings(
            application_key=r.text("application_key"),
            application_secret=r.text("application_secret"),
            consumer_key=r.text("consumer_key"),
            service_name=r.text("service_name"),
            sender=r.optional_text("sender"),
            base_url=_base_url(r, OvhSettings.base_url),
            timeout_s=r.number("timeout_s", 10.0, low=0.1, high=120),
        )
        r.finish()
        return OvhSender(ovh)
    if settings.provider == "twilio":
        r = TableReader("sms.twilio", settings.twilio or {})
        twilio = TwilioSettings(
            account_sid=r.text("account_sid"),
            auth_token=r.text("auth_token"),
            from_number=r.optional_text("from_number"),
            messaging_service_sid=r.optional_text("messaging_service_sid"),
            base_url=_base_url(r, TwilioSettings.base_url),
            timeout_s=r.number("timeout_s", 10.0, low=0.1, high=120),
        )
        r.finish()
        if not (twilio.from_number or twilio.messaging_service_sid):
            raise ConfigError("sms.twilio: set from_number or messaging_service_sid")
        return TwilioSender(twilio)
    return LocalSender(settings.local_dir)
