"""Recap SMS: GSM-7 text, French numbers, a durable outbox and the provider adapters.

Importing this package does not import aiohttp (providers are loaded by `build_sender`), so the
dialogue can use `agent.sms.numbers` freely.
"""

from agent.sms.base import (
    SendReceipt,
    SmsDeliveryError,
    SmsMessage,
    SmsPermanentError,
    SmsSender,
    SmsTemporaryError,
)
from agent.sms.numbers import InvalidPhoneNumber, read_back, to_e164

__all__ = [
    "InvalidPhoneNumber",
    "SendReceipt",
    "SmsDeliveryError",
    "SmsMessage",
    "SmsPermanentError",
    "SmsSender",
    "SmsTemporaryError",
    "read_back",
    "to_e164",
]
