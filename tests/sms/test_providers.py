from __future__ import annotations

import json

import pytest

from agent.sms.base import SmsMessage, SmsPermanentError, SmsTemporaryError
from agent.sms.providers import (
    LocalSender,
    OvhSender,
    OvhSettings,
    TwilioSender,
    TwilioSettings,
    ovh_signature,
)

from .fake_providers import OVH, TWILIO

MESSAGE = SmsMessage("+33612345678", "Plomberie Martin : nous avons bien noté votre appel.", "x")


def ovh(providers, timeout_s: float = 2.0, sender: str | None = "MARTIN") -> OvhSender:
    settings = OvhSettings(**OVH, service_name="sms-ab12345-1", sender=sender,
                           base_url=providers.base_url, timeout_s=timeout_s)  # fmt: skip
    return OvhSender(settings, clock=lambda: 1_700_000_000.0)


def twilio(providers, timeout_s: float = 2.0) -> TwilioSender:
    settings = TwilioSettings(**TWILIO, from_number="+33700000000",
                              base_url=providers.base_url, timeout_s=timeout_s)  # fmt: skip
    return TwilioSender(settings)


def test_ovh_signature_matches_documented_recipe():
    # "$1$" + SHA1_HEX(AS+"+"+CK+"+"+METHOD+"+"+QUERY+"+"+BODY+"+"+TSTAMP)
    assert ovh_signature("AS", "CK", "GET", "https://eu.api.ovh.com/1.0/me", "", "1366560945") == (
        "$1$"
        + __import__("hashlib")
        .sha1(b"AS+CK+GET+https://eu.api.ovh.com/1.0/me++1366560945")
        .hexdigest()
    )


async def test_ovh_request_shape(providers):
    sender = ovh(providers)
    receipt = await sender.send(MESSAGE)
    await sender.close()
    assert providers.problems == []
    assert receipt.provider == "ovh" and receipt.provider_id == "1001"
    [payload] = providers.accepted
    assert payload["receivers"] == ["+33612345678"]
    assert payload["message"] == MESSAGE.body
    assert payload["sender"] == "MARTIN" and payload["noStopClause"] is True


async def test_ovh_server_error_is_temporary_and_client_error_permanent(providers):
    sender = ovh(providers)
    providers.plan = ["500", "403"]
    with pytest.raises(SmsTemporaryError, match="500"):
        await sender.send(MESSAGE)
    with pytest.raises(SmsPermanentError, match="403"):
        await sender.send(MESSAGE)
    await sender.close()
    assert providers.accepted == []


async def test_ovh_invalid_receiver_is_permanent(providers):
    sender = ovh(providers)
    providers.plan = ["invalid"]
    with pytest.raises(SmsPermanentError, match="invalid"):
        await sender.send(MESSAGE)
    await sender.close()


async def test_ovh_timeout_is_temporary(providers):
    sender = ovh(providers, timeout_s=0.1)
    providers.plan = ["slow"]
    with pytest.raises(SmsTemporaryError, match="Timeout"):
        await sender.send(MESSAGE)
    await sender.close()


async def test_twilio_request_shape(providers):
    sender = twilio(providers)
    receipt = await sender.send(MESSAGE)
    await sender.close()
    assert providers.problems == []
    assert receipt.provider == "twilio" and receipt.provider_id == "SM0001"
    assert providers.accepted == [
        {"To": "+33612345678", "From": "+33700000000", "Body": MESSAGE.body}
    ]


async def test_twilio_rate_limit_is_temporary_bad_request_permanent(providers):
    sender = twilio(providers)
    providers.plan = ["429", "400"]
    with pytest.raises(SmsTemporaryError):
        await sender.send(MESSAGE)
    with pytest.raises(SmsPermanentError):
        await sender.send(MESSAGE)
    await sender.close()


async def test_unreachable_provider_is_temporary():
    settings = TwilioSettings(**TWILIO, from_number="+33700000000",
                              base_url="http://127.0.0.1:9", timeout_s=1)  # fmt: skip
    sender = TwilioSender(settings)
    with pytest.raises(SmsTemporaryError):
        await sender.send(MESSAGE)
    await sender.close()


async def test_local_sender_writes_one_file_per_message(tmp_path):
    sender = LocalSender(tmp_path / "sms")
    receipt = await sender.send(MESSAGE)
    [path] = (tmp_path / "sms").iterdir()
    assert receipt.provider_id == path.name
    assert "nous avons bien noté" in path.read_text(encoding="utf-8")
    assert json.dumps(receipt.provider)  # plain data
