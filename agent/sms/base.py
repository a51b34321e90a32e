"""SMS types and the one narrow protocol every provider implements."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from agent.queue.retry import DeliveryFailed, GiveUp, RetryLater

__all__ = [
    "SendReceipt",
    "SmsDeliveryError",
    "SmsMessage",
    "SmsPermanentError",
    "SmsQueue",
    "SmsSender",
    "SmsTemporaryError",
]


@dataclass(frozen=True)
class SmsMessage:
    recipient: str  # E.164
    body: str  # already GSM-7 and capped by the outbox
    kind: str  # caller_recap, artisan_recap, caller_missed, artisan_missed ...


@dataclass(frozen=True)
class SendReceipt:
    provider: str
    provider_id: str | None = None


class SmsDeliveryError(DeliveryFailed):
    """A provider did not accept the message."""


class SmsTemporaryError(SmsDeliveryError, RetryLater):
    """Worth retrying later: provider down, timeout, 5xx, rate limited."""


class SmsPermanentError(SmsDeliveryError, GiveUp):
    """Retrying cannot help: refused number, bad credentials, malformed request."""


class SmsQueue(Protocol):
    """What the call layer, the storage keeper and the missed-call scanner need of the
    durable outbox (agent.sms.outbox.SmsOutbox): one message queued once per key."""

    def enqueue(self, idem_key: str, recipient: str, text: str, kind: str) -> bool: ...


class SmsSender(Protocol):
    name: str

    async def send(self, message: SmsMessage) -> SendReceipt:
        """Hand the message to the provider; raise SmsTemporaryError / SmsPermanentError."""
        ...

    async def close(self) -> None: ...
