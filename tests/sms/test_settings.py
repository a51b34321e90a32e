from __future__ import annotations

from pathlib import Path

import pytest

from agent.config_reader import ConfigError
from agent.sms.providers import LocalSender, OvhSender, OvhSettings, TwilioSender, build_sender
from agent.sms.settings import SmsSettings

OVH_TABLE = {"application_key": "AK", "application_secret": "AS", "consumer_key": "CK",
             "service_name": "sms-ab12345-1"}  # fmt: skip


def test_defaults_are_the_local_outbox():
    settings = SmsSettings.from_table(None, Path("/etc/decroche"))
    assert settings.provider == "local" and settings.local_dir is None
    assert settings.outbox.max_segments == 3
    assert isinstance(build_sender(settings), LocalSender)


def test_local_dir_is_relative_to_the_config_file():
    settings = SmsSettings.from_table({"local_dir": "sms", "max_segments": 2}, Path("/srv/d"))
    assert settings.local_dir == Path("/srv/d/sms") and settings.outbox.max_segments == 2


async def test_ovh_and_twilio_are_built_from_their_tables():
    ovh = build_sender(SmsSettings.from_table({"provider": "ovh", "ovh": OVH_TABLE}, Path()))
    assert isinstance(ovh, OvhSender)
    twilio = build_sender(SmsSettings.from_table(
        {"provider": "twilio", "twilio": {"account_sid": "AC1", "auth_token": "t",
                                          "messaging_service_sid": "MG1"}}, Path()))  # fmt: skip
    assert isinstance(twilio, TwilioSender)
    await ovh.close()
    await twilio.close()


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"provider": "sfr"}, "sms.provider"),
        ({"provider": "ovh"}, "sms.ovh.application_key"),
        ({"provider": "ovh", "ovh": {**OVH_TABLE, "secret": "x"}}, "unknown key"),
        ({"provider": "twilio", "twilio": {"account_sid": "AC1", "auth_token": "t"}},
         "from_number or messaging_service_sid"),
        ({"max_segments": 0}, "sms.max_segments"),
        ({"max_attemps": 3}, "unknown key"),
        ({"give_up_after_h": 0}, "sms.give_up_after_h"),
        ({"provider": "ovh", "ovh": {**OVH_TABLE, "base_url": "eu.api.ovh.com"}},
         "sms.ovh.base_url"),
        ({"provider": "ovh", "ovh": {**OVH_TABLE, "base_url": "ftp://eu.api.ovh.com"}},
         "sms.ovh.base_url"),
        ({"provider": "ovh", "ovh": {**OVH_TABLE, "base_url": "https://"}}, "sms.ovh.base_url"),
        ({"provider": "ovh", "ovh": {**OVH_TABLE, "base_url": "https://h:port"}},
         "sms.ovh.base_url"),
        ({"provider": "ovh", "ovh": {**OVH_TABLE, "base_url": "https://eu.api.ovh.com?x=1"}},
         "sms.ovh.base_url"),
        ({"provider": "twilio", "twilio": {"account_sid": "AC1", "auth_token": "t",
                                           "from_number": "+33700000000",
                                           "base_url": "http://api.twilio.com"}},
         "use https"),
        ({"provider": "twilio", "twilio": {"account_sid": "AC1", "auth_token": "t",
                                           "from_number": "+33700000000",
                                           "base_url": "https://api twilio.com"}},
         "sms.twilio.base_url"),
    ],
)  # fmt: skip
def test_errors_name_the_key(table, message):
    with pytest.raises(ConfigError, match=message):
        SmsSettings.from_table(table, Path())


@pytest.mark.parametrize(
    "url", ["https://eu.api.ovh.com", "https://ca.api.ovh.com/", "http://127.0.0.1:8085",
            "http://localhost:9000/base", "http://[::1]:8000"],
)  # fmt: skip
def test_base_url_accepts_https_and_local_http(url):
    settings = SmsSettings.from_table({"provider": "ovh", "ovh": {**OVH_TABLE, "base_url": url}},
                                      Path())  # fmt: skip
    assert isinstance(settings.account, OvhSettings) and settings.account.base_url == url


def test_messages_wait_a_day_by_default_and_the_delay_is_configurable():
    assert SmsSettings.from_table(None, Path()).outbox.give_up_after_s == 24 * 3600
    settings = SmsSettings.from_table({"give_up_after_h": 48, "backoff_max_s": 1800}, Path())
    assert settings.outbox.give_up_after_s == 48 * 3600
    assert settings.outbox.backoff_max_s == 1800


def test_every_provider_name_has_a_sender_and_only_those() -> None:
    from agent.sms.providers import SENDERS
    from agent.sms.settings import ACCOUNTS, PROVIDERS

    assert tuple(SENDERS) == PROVIDERS
    assert set(ACCOUNTS) <= set(PROVIDERS)
