"""The questions of `decroche init`, in the order an installer fills them at the business,
and the config tables they make."""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import urlsplit

from agent.setup_wizard import answers as a
from agent.setup_wizard.source import Source
from agent.setup_wizard.toml_out import Value, dumps
from nlp.types import TRADES

DEFAULT_HOURS = "mon-fri 08:00-18:00"
HOURS_PROMPT = "Opening hours (mon-fri 08:00-18:00; sat 09:00-12:00; other days closed)"
Tables = dict[str, dict[str, Value]]


def ask_all(source: Source) -> Tables:
    """Asked in this order: the business, the trunk, SMS, then where Asterisk and the data are
    (defaults fit a box with Asterisk on it)."""
    business = _business(source)
    trunk, sms = _trunk(source), _sms(source)
    ari: dict[str, Value] = {
        "url": source.get("ari-url", "ARI URL of Asterisk", _url, "http://127.0.0.1:8088"),
        "username": "decroche",
        # Rendered into ari.conf by `decroche pbx render`: nobody types it, so it can be long.
        "password": source.flags.get("ari-password") or secrets.token_urlsafe(18),
        "app": "decroche",
    }
    store: dict[str, Value] = {
        "data_dir": source.get("data-dir", "Data folder", _folder, "/var/lib/decroche")
    }
    # `decroche pbx render` writes http.conf's port from [pbx] and the doctor reaches AMI at
    # [pbx] ami_port: both must be the production Asterisk's, not the sandbox's defaults. SIP
    # faces the operator on every interface; ARI and AMI stay on loopback.
    pbx: dict[str, Value] = {
        "http_port": _port_of(str(ari["url"])),
        "ami_port": 5038,
        "sip_bind_address": "0.0.0.0",
        "sip_port": 5060,
    }
    return {"business": business, "ari": ari, "pbx": pbx, **trunk, **sms, "store": store}


def _port_of(url: str) -> int:
    parts = urlsplit(url)
    return parts.port or (443 if parts.scheme == "https" else 80)


def _business(source: Source) -> dict[str, Value]:
    return {
        "name": source.get("business", "Business name", a.business_name),
        "trade": source.get("trade", "Trade (" + ", ".join(TRADES) + ")", a.trade),
        "mobile": source.get("mobile", "The artisan's mobile (06 or 07...)", a.mobile),
        "hours": source.get("hours", HOURS_PROMPT, a.hours, DEFAULT_HOURS),
        "towns": source.get("towns", "Towns served, separated by commas", a.towns),
        "timezone": "Europe/Paris",
    }


def _trunk(source: Source) -> Tables:
    server = source.get(
        "trunk-registrar", "Operator SIP registrar host[:port], or none", a.registrar, "none"
    )
    if server is None:
        return {}
    host, port = server
    return {
        "trunk": {
            "host": host,
            "port": port,
            # pjsip's identify resolves a host name at load: calls from the registrar's address
            # are the trunk's. Operators that signal from other IPs need them added here.
            "match": host,
            "username": source.get("trunk-user", "SIP username", a.required_text("username")),
            "password": source.get(
                "trunk-password", "SIP password", a.required_text("password"), secret=True
            ),
        }
    }


def _sms(source: Source) -> Tables:
    provider = source.get("sms", "SMS provider (local, ovh, twilio)", a.sms_provider, "local")
    tables: Tables = {"sms": {"provider": provider}}
    if provider == "ovh":
        key = a.required_text
        tables["sms.ovh"] = {
            "application_key": source.get("ovh-application-key", "OVH application key",
                                          key("application key")),
            "application_secret": source.get("ovh-application-secret",
                                             "OVH application secret",
                                             key("application secret"), secret=True),
            "consumer_key": source.get("ovh-consumer-key", "OVH consumer key",
                                       key("consumer key"), secret=True),
            "service_name": source.get("ovh-service-name", "OVH SMS account (sms-xx12345-1)",
                                       a.pattern("an SMS account", a.OVH_SERVICE, "sms-ab12345-1")),
        }  # fmt: skip
    elif provider == "twilio":
        tables["sms.twilio"] = {
            "account_sid": source.get("twilio-account-sid", "Twilio account SID (AC...)",
                                      a.pattern("an account SID", a.TWILIO_SID, "AC + 32 hex")),
            "auth_token": source.get("twilio-auth-token", "Twilio auth token",
                                     a.pattern("an auth token", a.TWILIO_TOKEN, "32 hex digits"),
                                     secret=True),
            "from_number": source.get("twilio-from", "Twilio sending number", a.any_phone),
        }  # fmt: skip
    return tables


def _url(raw: str) -> str:
    text = raw.strip().rstrip("/")
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError:
        raise a.AnswerError(f"{text!r}: the port is not a number") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise a.AnswerError(f"{text!r}: expected http://HOST:PORT")
    return text


def _folder(raw: str) -> str:
    text = raw.strip()
    if not text.startswith("/"):
        raise a.AnswerError(f"{text!r}: give an absolute folder (/var/lib/decroche)")
    return text


COMMENTS = {
    "business": "decroche configuration written by `decroche init`; every key is documented in\n"
    "decroche.example.toml. Check the installation with `decroche doctor --config FILE`.",
    "ari": "Asterisk REST interface: `decroche pbx render` writes the same user into ari.conf.",
    "trunk": "The operator's SIP trunk: registration and the calls to the mobile.",
    "sms": "Texts to callers and to the artisan.",
}


def render(tables: dict[str, Any]) -> str:
    return dumps(tables, COMMENTS)
