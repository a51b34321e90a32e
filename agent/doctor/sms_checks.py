"""SMS: the provider's credentials, proven by an authenticated read-only call.

OVHcloud: GET /1.0/sms/{serviceName} (the SMS account, with its credits left), signed as the
sender signs. Twilio: GET /2010-04-01/Accounts/{Sid}.json (the account and its status). Neither
sends a text or costs anything. The local outbox needs no credentials.
"""

from __future__ import annotations

import json
import time
from typing import Any

import aiohttp

from agent.basic_auth import basic_authorization
from agent.doctor.checks import Check, CheckFailed, Context
from agent.sms.providers import ovh_signature
from agent.sms.settings import OvhSettings, SmsSettings, TwilioSettings


async def sms(ctx: Context) -> str:
    settings = ctx.require_config().sms
    if isinstance(settings.account, OvhSettings):
        return await _ovh(settings.account)
    if isinstance(settings.account, TwilioSettings):
        return await _twilio(settings.account)
    return _local(settings)


def _local(settings: SmsSettings) -> str:
    if settings.local_dir is None:
        return "local outbox: texts are kept in the database (the dashboard shows them)"
    return f"local outbox: texts are kept in the database and as files in {settings.local_dir}"


async def _ovh(account: OvhSettings) -> str:
    url = f"{account.base_url.rstrip('/')}/1.0/sms/{account.service_name}"
    ts = str(int(time.time()))
    headers = {
        "X-Ovh-Application": account.application_key,
        "X-Ovh-Consumer": account.consumer_key,
        "X-Ovh-Timestamp": ts,
        "X-Ovh-Signature": ovh_signature(
            account.application_secret, account.consumer_key, "GET", url, "", ts
        ),
    }
    body = await _get("ovh", url, headers, account.timeout_s)
    credits = body.get("creditsLeft") if isinstance(body, dict) else None
    left = f", {credits} credits left" if credits is not None else ""
    if credits is not None and float(credits) <= 0:
        raise CheckFailed(
            f"ovh: SMS account {account.service_name} has no credits left",
            "buy SMS credits in the OVHcloud manager",
        )
    return f"ovh: SMS account {account.service_name} answers{left}"


async def _twilio(account: TwilioSettings) -> str:
    url = f"{account.base_url.rstrip('/')}/2010-04-01/Accounts/{account.account_sid}.json"
    auth = basic_authorization(account.account_sid, account.auth_token)
    body = await _get("twilio", url, auth, account.timeout_s)
    status = str(body.get("status", "")) if isinstance(body, dict) else ""
    if status and status != "active":
        raise CheckFailed(
            f"twilio: account {account.account_sid} is {status}", "reactivate it in the console"
        )
    return f"twilio: account {account.account_sid} accepted the credentials ({status or '?'})"


async def _get(provider: str, url: str, headers: dict[str, str], timeout_s: float) -> Any:
    timeout = aiohttp.ClientTimeout(total=timeout_s)
    try:
        async with (
            aiohttp.ClientSession(timeout=timeout) as http,
            http.get(url, headers=headers) as response,
        ):
            status, text = response.status, await response.text()
    except (aiohttp.ClientError, TimeoutError) as exc:
        raise CheckFailed(
            f"{provider}: cannot reach {url} ({type(exc).__name__}: {exc})",
            "check the box's internet access and DNS; texts wait in the outbox meanwhile",
        ) from None
    if status in (400, 401, 403):
        raise CheckFailed(
            f"{provider}: credentials refused (HTTP {status}: {text.strip()[:160]})",
            f"check [sms.{provider}] keys (and the key's rights on the SMS API)",
        )
    if status >= 300:
        raise CheckFailed(f"{provider}: HTTP {status} on {url}: {text.strip()[:160]}",
                          f"check [sms.{provider}] (service name, account)")  # fmt: skip
    try:
        return json.loads(text) if text else {}
    except json.JSONDecodeError:
        raise CheckFailed(f"{provider}: the answer is not JSON: {text[:160]}",
                          f"check [sms.{provider}] base_url") from None  # fmt: skip


CHECKS = (Check("sms", "SMS provider credentials", sms),)
