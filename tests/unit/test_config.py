"""Configuration loading and validation: defaults, and errors that name the offending key."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from agent.config import PROJECT_ROOT, ConfigError, load_config, parse_config
from agent.config_reader import TableReader
from nlp.types import TRADES

BUSINESS = {"name": "Serrurerie Dupont", "trade": "serrurier", "mobile": "+33698765432"}


def parse(**sections: Any) -> Any:
    return parse_config(sections, Path("/srv/decroche"))


def business(**changes: Any) -> dict[str, Any]:
    return {**BUSINESS, **changes}


def test_defaults_load_without_a_file() -> None:
    config = load_config()
    assert config.source is None
    assert config.business.trade in TRADES
    assert config.business.mobile.startswith("+33")
    assert config.business.ring_seconds == 15
    assert config.ari.url == "http://127.0.0.1:18088"
    assert config.ari.app == "decroche"
    assert config.pbx.rtp_start < config.pbx.rtp_end
    assert config.media.format == "ulaw"
    assert config.trunk.password is None
    assert config.data_dir == PROJECT_ROOT / ".var"
    assert config.database == PROJECT_ROOT / ".var" / "decroche.sqlite3"


def test_file_values_and_relative_paths(tmp_path: Path) -> None:
    path = tmp_path / "decroche.toml"
    path.write_text(
        """
[business]
name = "Serrurerie Dupont"
trade = "serrurier"
mobile = "+33698765432"
phones = ["6001", "6002"]
hours = { mon = "08:00-18:00", sun = "closed" }
holidays = ["2026-12-25"]

[ari]
url = "http://pbx.local:8088/"
connect_timeout_s = 2

[store]
data_dir = "state"

[media]
format = "ulaw"
""",
        encoding="utf-8",
    )
    config = load_config(path)
    assert config.source == path
    assert config.business.name == "Serrurerie Dupont"
    assert config.business.phones == ("6001", "6002")
    assert dict(config.business.hours) == {"mon": "08:00-18:00", "sun": "closed"}
    assert config.business.holidays == ("2026-12-25",)
    assert config.ari.url == "http://pbx.local:8088"  # trailing slash dropped
    assert config.ari.connect_timeout_s == 2.0
    assert config.data_dir == tmp_path / "state"
    assert config.database == tmp_path / "state" / "decroche.sqlite3"
    assert config.media.format == "ulaw"


def test_slin16_is_refused_until_asterisk_forwards_it() -> None:
    with pytest.raises(ConfigError, match=r"media\.format: slin16 is not supported"):
        load_config(None, {"media": {"format": "slin16"}})


def test_overrides_merge_into_sections() -> None:
    config = load_config(None, {"trunk": {"password": "s3cret"}, "pbx": {"sip_port": 5070}})
    assert config.trunk.password == "s3cret"
    assert config.pbx.sip_port == 5070
    assert config.pbx.http_port == 18088


@pytest.mark.parametrize("trade", TRADES)
def test_every_trade_is_accepted(trade: str) -> None:
    assert parse(business=business(trade=trade)).business.trade == trade


@pytest.mark.parametrize(
    ("sections", "key"),
    [
        ({"business": business(mobile="0612345678")}, "business.mobile"),
        ({"business": business(mobile="+3361234567")}, "business.mobile"),
        ({"business": business(mobile="+33012345678")}, "business.mobile"),
        ({"business": business(mobile="+4412345678")}, "business.mobile"),
        ({"business": business(mobile=612345678)}, "business.mobile"),
        ({"business": {"name": "X", "trade": "plombier"}}, "business.mobile"),
        ({"business": business(trade="boulanger")}, "business.trade"),
        ({"business": {"mobile": "+33612345678", "trade": "plombier"}}, "business.name"),
        ({"business": business(ring_seconds=121)}, "business.ring_seconds"),
        ({"business": business(ring_seconds=-1)}, "business.ring_seconds"),
        ({"business": business(ring_seconds="15")}, "business.ring_seconds"),
        ({"business": business(ring_seconds=True)}, "business.ring_seconds"),
        ({"business": business(ring_seconds=15.0)}, "business.ring_seconds"),
        ({"business": business(phones="6001")}, "business.phones"),
        ({"business": business(phones=["6001", 6002])}, "business.phones"),
        ({"pbx": {"http_port": 0}}, "pbx.http_port"),
        ({"pbx": {"sip_port": 65536}}, "pbx.sip_port"),
        ({"pbx": {"ami_port": -5}}, "pbx.ami_port"),
        ({"pbx": {"sip_port": True}}, "pbx.sip_port"),
        ({"pbx": {"rtp_start": 31000, "rtp_end": 30000}}, "pbx.rtp_end"),
        ({"pbx": {"rtp_start": 30000, "rtp_end": 30000}}, "pbx.rtp_end"),
        ({"trunk": {"port": 70000}}, "trunk.port"),
        ({"trunk": {"port": False}}, "trunk.port"),
        ({"trunk": {"mobile_ring_seconds": 4}}, "trunk.mobile_ring_seconds"),
        ({"trunk": {"password": 1234}}, "trunk.password"),
        ({"media": {"format": "alaw"}}, "media.format"),
        ({"media": {"max_calls": 0}}, "media.max_calls"),
        ({"media": {"max_calls": True}}, "media.max_calls"),
        ({"ari": {"url": "ftp://pbx"}}, "ari.url"),
        ({"ari": {"request_timeout_s": 0}}, "ari.request_timeout_s"),
        ({"ari": {"connect_timeout_s": True}}, "ari.connect_timeout_s"),
        ({"ari": {"connect_timeout_s": "5"}}, "ari.connect_timeout_s"),
        ({"store": {"data_dir": 3}}, "store.data_dir"),
        ({"call": {"silence_timeout_s": float("nan")}}, "call.silence_timeout_s"),
        ({"ari": {"request_timeout_s": float("inf")}}, "ari.request_timeout_s"),
    ],
)
def test_invalid_values_name_their_key(sections: dict[str, Any], key: str) -> None:
    with pytest.raises(ConfigError, match=f"^{re.escape(key)}:"):
        parse(**sections)


def test_bool_is_refused_where_an_integer_is_expected_with_a_clear_message() -> None:
    with pytest.raises(ConfigError) as excinfo:
        parse(pbx={"http_port": True})
    assert str(excinfo.value) == "pbx.http_port: expected an integer, got True"


def test_port_bounds_are_inclusive() -> None:
    config = parse(pbx={"http_port": 1, "sip_port": 65535, "rtp_start": 1000, "rtp_end": 1001})
    assert (config.pbx.http_port, config.pbx.sip_port) == (1, 65535)


@pytest.mark.parametrize(
    ("section", "table"),
    [
        ("business", business(nmae="typo")),
        ("ari", {"pasword": "x"}),
        ("pbx", {"http-port": 8088}),
        ("media", {"codec": "ulaw"}),
        ("trunk", {"hostname": "sip.example"}),
        ("store", {"db": "x.sqlite3"}),
    ],
)
def test_unknown_key_in_a_section_is_an_error(section: str, table: dict[str, Any]) -> None:
    typo = next(k for k in table if k not in BUSINESS)
    with pytest.raises(ConfigError, match=rf"^\[{section}\] unknown key\(s\): {typo}$"):
        parse(**{section: table})


def test_unknown_section_is_an_error() -> None:
    with pytest.raises(ConfigError, match=r"^unknown section\(s\): bogus, zzz$"):
        parse(zzz={}, bogus={"a": 1})


def test_section_that_is_not_a_table() -> None:
    with pytest.raises(ConfigError, match=r"^\[ari\] must be a table$"):
        parse(ari="http://pbx")


@pytest.mark.parametrize(
    "span", ["8:00-18:00", "08:00-24:00", "08:60-18:00", "08:00 - 18:00", "0800-1800", "open"]
)
def test_bad_hours_format_names_the_day(span: str) -> None:
    with pytest.raises(ConfigError, match=r"^business\.hours\.tue: expected 'HH:MM-HH:MM'"):
        parse(business=business(hours={"mon": "08:00-12:00", "tue": span}))


def test_hours_value_must_be_a_string() -> None:
    with pytest.raises(ConfigError, match=r"^business\.hours\.mon:"):
        parse(business=business(hours={"mon": 8}))


def test_hours_day_must_be_a_weekday() -> None:
    with pytest.raises(ConfigError, match=r"^business\.hours: 'monday' is not one of mon,"):
        parse(business=business(hours={"monday": "08:00-18:00"}))


def test_hours_must_be_a_table() -> None:
    with pytest.raises(ConfigError, match=r"^business\.hours: expected a table"):
        parse(business=business(hours="08:00-18:00"))


def test_valid_hours_are_kept() -> None:
    hours = {"mon": "00:00-23:59", "sat": "closed"}
    assert dict(parse(business=business(hours=hours)).business.hours) == hours


@pytest.mark.parametrize("day", ["25/12/2026", "2026-1-01", "20261225", "tomorrow"])
def test_bad_holiday_format_names_the_key(day: str) -> None:
    with pytest.raises(ConfigError, match=rf"^business\.holidays: '{day}' is not a date"):
        parse(business=business(holidays=["2026-01-01", day]))


def test_holidays_must_be_strings() -> None:
    with pytest.raises(ConfigError, match=r"^business\.holidays: expected a list of strings"):
        parse(business=business(holidays=[20261225]))


def test_impossible_holiday_date_is_refused_at_load() -> None:
    with pytest.raises(ConfigError, match=r"^business\.holidays:"):
        parse(business=business(holidays=["2026-02-30"]))


def test_unknown_timezone_is_refused_at_load() -> None:
    with pytest.raises(ConfigError, match=r"^business\.timezone:"):
        parse(business=business(timezone="Europe/Pariss"))


def test_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    with pytest.raises(ConfigError, match=r"^config file not found: .*nope\.toml$"):
        load_config(missing)


def test_invalid_toml(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text('[business]\nname = "unterminated\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"broken\.toml: not valid TOML"):
        load_config(path)


def test_config_error_from_file_names_the_key(tmp_path: Path) -> None:
    path = tmp_path / "decroche.toml"
    path.write_text("[pbx]\nrtp_start = 40000\nrtp_end = 39999\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"^pbx\.rtp_end: must be above pbx\.rtp_start$"):
        load_config(path)


class TestTableReader:
    def test_used_keys_are_not_unknown(self) -> None:
        reader = TableReader("s", {"a": 1, "b": "x"})
        assert reader.integer("a", 0) == 1
        assert reader.text("b") == "x"
        reader.finish()

    def test_flag_refuses_integers(self) -> None:
        with pytest.raises(ConfigError, match=r"^s\.on: expected true or false, got 1$"):
            TableReader("s", {"on": 1}).flag("on", False)

    def test_number_accepts_int_but_not_bool(self) -> None:
        assert TableReader("s", {"x": 3}).number("x", 1.0) == 3.0
        with pytest.raises(ConfigError, match=r"^s\.x: expected a number"):
            TableReader("s", {"x": False}).number("x", 1.0)

    def test_missing_required_key(self) -> None:
        with pytest.raises(ConfigError, match=r"^s\.name: missing \(expected a string\)$"):
            TableReader("s", {}).text("name")

    def test_range_errors(self) -> None:
        with pytest.raises(ConfigError, match=r"^s\.n: 11 is above the maximum 10$"):
            TableReader("s", {"n": 11}).integer("n", 1, low=0, high=10)
        with pytest.raises(ConfigError, match=r"^s\.n: -1 is below the minimum 0$"):
            TableReader("s", {"n": -1}).integer("n", 1, low=0, high=10)

    def test_optional_text_empty_is_none(self) -> None:
        assert TableReader("s", {"p": ""}).optional_text("p") is None
        assert TableReader("s", {}).optional_text("p") is None

    def test_path_relative_to_base(self, tmp_path: Path) -> None:
        reader = TableReader("s", {"rel": "a/b", "abs": "/x/y"})
        assert reader.path("rel", Path("d"), tmp_path) == tmp_path / "a" / "b"
        assert reader.path("abs", Path("d"), tmp_path) == Path("/x/y")
        assert reader.path("default", Path("d"), tmp_path) == tmp_path / "d"


@pytest.mark.parametrize(("mode", "asked"), [("attended", True), ("blind", False), ("off", False)])
def test_the_street_is_asked_while_the_mobile_rings_only_on_attended_transfers(
    mode: str, asked: bool
) -> None:
    from agent.wiring import dialogue_settings

    config = parse(business=business(), call={"transfer_mode": mode})
    assert dialogue_settings(config).ask_address_while_ringing is asked
    off = parse(
        business=business(),
        call={"transfer_mode": mode},
        dialogue={"ask_address_while_ringing": False},
    )
    assert dialogue_settings(off).ask_address_while_ringing is False
