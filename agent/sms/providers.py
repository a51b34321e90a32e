"""SMS providers: local outbox folder (default, offline), OVHcloud and Twilio HTTP APIs.

The protocol edge: aiohttp lives here and nowhere in the dialogue. HTTP failures are classified
once, by agent.queue.http.post (the webhook uses the same), as SmsTemporaryError /
SmsPermanentError; the outbox's queue worker owns retries.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import aiohttp

from agent.basic_auth import basic_authorization
from agent.config_reader import ConfigError
from agent.queue.http import post
from agent.sms.base import (
    SendReceipt,
    SmsMessage,
    SmsPermanentError,
    SmsSender,
    SmsTemporaryError,
)
from agent.sms.settings import OvhSettings, SmsSettings, TwilioSettings

__all__ = [
    "SENDERS",
    "LocalSender",
    "OvhSender",
    "OvhSettings",
    "TwilioSender",
    "TwilioSettings",
    "build_sender",
]


class LocalSender:
    """Keeps messages on this machine: the `sms_outbox` table, plus one .txt file per message
    in `folder` when set (handy to read what a caller would have received)."""

    name = "local"

    def __init__(self, folder: Path | None = None) -> None:
        self._folder = folder
        self._count = 0

    async def send(self, message: SmsMessage) -> SendReceipt:
        if self._folder is None:
            return SendReceipt(self.name, None)
        self._folder.mkdir(parents=True, exist_ok=True)
        self._count += 1
        stamp = time.strftime("%Y%m%d-%H%M%S")
        digits = message.recipient.lstrip("+")
        path = self._folder / f"{stamp}-{self._count:04d}-{message.kind}-{digits}.txt"
        try:
            path.write_text(f"To: {message.recipient}\n\n{message.body}\n", encoding="utf-8")
        except OSError as exc:
            raise SmsTemporaryError(f"cannot write {path}: {exc}") from exc
        return SendReceipt(self.name, path.name)

    async def close(self) -> None:
        return None


class _HttpSender:
    """Owns one lazily created ClientSession and turns HTTP outcomes into typed errors."""

    name = "http"

    def __init__(self, timeout_s: float) -> None:
        self._timeout = aiohttp.ClientTimeout(total=timeout_s)
        self._session: aiohttp.ClientSession | None = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=self._timeout)
        return self._session

    async def _post(self, url: str, **kwargs: Any) -> Any:
        answer = await post(self._client(), url, label=self.name, retry=SmsTemporaryError,
                            give_up=SmsPermanentError, **kwargs)  # fmt: skip
        try:
            return json.loads(answer.text) if answer.text else {}
        except json.JSONDecodeError as exc:
            text = answer.text[:200]
            raise SmsTemporaryError(f"{self.name}: answer is not JSON: {text}") from exc

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None


def ovh_signature(secret: str, consumer: str, method: str, url: str, body: str, ts: str) -> str:
    raw = "+".join((secret, consumer, method, url, body, ts))
    return "$1$" + hashlib.sha1(raw.encode("utf-8")).hexdigest()


class OvhSender(_HttpSender):
    """POST /1.0/sms/{serviceName}/jobs, signed the OVH way."""

    name = "ovh"

    def __init__(self, settings: OvhSettings, clock: Callable[[], float] = time.time) -> None:
        super().__init__(settings.timeout_s)
        self._settings = settings
        self._clock = clock

    async def send(self, message: SmsMessage) -> SendReceipt:
        s = self._settings
        url = f"{s.base_url.rstrip('/')}/1.0/sms/{s.service_name}/jobs"
        payload: dict[str, Any] = {
            "message": message.body,
            "receivers": [message.recipient],
            "charset": "UTF-8",
            "coding": "7bit",
            "noStopClause": True,
            "priority": "high",
            "senderForResponse": s.sender is None,
        }
        if s.sender is not None:
            payload["sender"] = s.sender
        body = json.dumps(payload, ensure_ascii=False)
        ts = str(int(self._clock()))
        headers = {
            "Content-Type": "application/json",
            "X-Ovh-Application": s.application_key,
            "X-Ovh-Consumer": s.consumer_key,
            "X-Ovh-Timestamp": ts,
            "X-Ovh-Signature": ovh_signature(
                s.application_secret, s.consumer_key, "POST", url, body, ts
            ),
        }
        answer = await self._post(url, data=body.encode("utf-8"), headers=headers)
        return _ovh_receipt(answer, message.recipient)


def _ovh_receipt(answer: Any, recipient: str) -> SendReceipt:
    if not isinstance(answer, Mapping):
        raise SmsTemporaryError(f"ovh: unexpected answer {answer!r:.200}")
    if recipient in (answer.get("invalidReceivers") or []):
        raise SmsPermanentError(f"ovh: receiver {recipient} refused as invalid")
    ids = answer.get("ids") or []
    return SendReceipt("ovh", str(ids[0]) if ids else None)


class TwilioSender(_HttpSender):
    """POST /2010-04-01/Accounts/{Sid}/Messages.json, basic auth, form-encoded."""

    name = "twilio"

    def __init__(self, settings: TwilioSettings) -> None:
        super().__init__(settings.timeout_s)
        if not (settings.from_number or settings.messaging_service_sid):
            raise ValueError("twilio needs from_number or messaging_service_sid")
        self._settings = settings

    async def send(self, message: SmsMessage) -> SendReceipt:
        s = self._settings
        url = f"{s.base_url.rstrip('/')}/2010-04-01/Accounts/{s.account_sid}/Messages.json"
        form = {"To": message.recipient, "Body": message.body}
        if s.messaging_service_sid:
            form["MessagingServiceSid"] = s.messaging_service_sid
        else:
            form["From"] = s.from_number or ""
        auth = basic_authorization(s.account_sid, s.auth_token)
        answer = await self._post(url, data=form, headers=auth)
        sid = answer.get("sid") if isinstance(answer, Mapping) else None
        return SendReceipt(self.name, str(sid) if sid else None)


def _local(settings: SmsSettings) -> SmsSender:
    return LocalSender(settings.local_dir)


def _ovh(settings: SmsSettings) -> SmsSender:
    if not isinstance(settings.account, OvhSettings):
        raise ConfigError("sms.ovh: the provider's table was not read")
    return OvhSender(settings.account)


def _twilio(settings: SmsSettings) -> SmsSender:
    if not isinstance(settings.account, TwilioSettings):
        raise ConfigError("sms.twilio: the provider's table was not read")
    return TwilioSender(settings.account)


# One entry per provider, named as in [sms] provider; its table's reader is in
# agent.sms.settings.ACCOUNTS (read at config load, before anything connects).
SENDERS: dict[str, Callable[[SmsSettings], SmsSender]] = {
    "local": _local,
    "ovh": _ovh,
    "twilio": _twilio,
}


def build_sender(settings: SmsSettings) -> SmsSender:
    """The configured provider's sender."""
    return SENDERS[settings.provider](settings)
