"""Recap SMS: GSM-7 text, French numbers, a durable outbox and the provider adapters.

Importing this package does not import aiohttp (providers are loaded by `build_sender`), so the
dialogue can use it freely (phone numbers themselves are nlp.phone_numbers).
"""

from agent.sms.base import (
    SendReceipt,
    SmsDeliveryError,
    SmsMessage,
    SmsPermanentError,
    SmsSender,
    SmsTemporaryError,
)
from nlp.phone_numbers import InvalidPhoneNumber, read_back, to_e164

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
