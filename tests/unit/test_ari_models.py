"""ARI event parsing into typed events (payload shapes as Asterisk 20 sends them)."""

from __future__ import annotations

from typing import Any

import pytest

from agent.ari.models import (
    Channel,
    ChannelDestroyed,
    ChannelDtmfReceived,
    ChannelHangupRequest,
    ChannelStateChange,
    Dial,
    OtherEvent,
    PlaybackFinished,
    StasisEnd,
    StasisStart,
    parse_event,
)


def channel_json(
    channel_id: str = "1700000000.42",
    name: str = "PJSIP/trunk-00000007",
    app_name: str = "Stasis",
    app_data: str = "decroche",
) -> dict[str, Any]:
    return {
        "id": channel_id,
        "name": name,
        "state": "Ring",
        "protocol_id": "abc@127.0.0.1",
        "caller": {"name": "Jean Dupont", "number": "+33612345678"},
        "connected": {"name": "", "number": ""},
        "accountcode": "",
        "dialplan": {
            "context": "decroche-inbound",
            "exten": "s",
            "priority": 6,
            "app_name": app_name,
            "app_data": app_data,
        },
        "creationtime": "2026-11-23T10:00:00.000+0100",
        "language": "fr",
    }


def event(kind: str, **fields: Any) -> dict[str, Any]:
    return {
        "type": kind,
        "timestamp": "2026-11-23T10:00:01.000+0100",
        "asterisk_id": "02:42:ac:11:00:02",
        "application": "decroche",
        **fields,
    }


def test_stasis_start_with_args() -> None:
    data = event("StasisStart", args=["transfer", "42"], channel=channel_json())
    parsed = parse_event(data)
    assert isinstance(parsed, StasisStart)
    assert parsed.type == "StasisStart" and parsed.application == "decroche"
    assert parsed.args == ("transfer", "42")
    assert parsed.channel_id == "1700000000.42"
    assert parsed.channel.caller_number == "+33612345678"
    assert parsed.channel.caller_name == "Jean Dupont"
    assert parsed.channel.state == "Ring"
    assert parsed.channel.dialplan_context == "decroche-inbound"
    assert parsed.channel.dialplan_exten == "s"
    assert parsed.raw is data


def test_stasis_start_without_args() -> None:
    parsed = parse_event(event("StasisStart", args=[], channel=channel_json()))
    assert isinstance(parsed, StasisStart)
    assert parsed.args == ()


def test_stasis_start_without_channel_is_other() -> None:
    assert isinstance(parse_event(event("StasisStart")), OtherEvent)


def test_stasis_end() -> None:
    parsed = parse_event(event("StasisEnd", channel=channel_json("c1")))
    assert type(parsed) is StasisEnd
    assert parsed.channel_id == "c1"


def test_channel_destroyed_with_cause() -> None:
    data = event("ChannelDestroyed", cause=16, cause_txt="Normal Clearing", channel=channel_json())
    parsed = parse_event(data)
    assert isinstance(parsed, ChannelDestroyed)
    assert (parsed.cause, parsed.cause_txt) == (16, "Normal Clearing")
    assert parsed.channel_id == "1700000000.42"


def test_channel_destroyed_without_cause_defaults() -> None:
    parsed = parse_event(event("ChannelDestroyed", channel=channel_json()))
    assert isinstance(parsed, ChannelDestroyed)
    assert (parsed.cause, parsed.cause_txt) == (0, "")


def test_dtmf_received() -> None:
    data = event("ChannelDtmfReceived", digit="1", duration_ms=120, channel=channel_json("c9"))
    parsed = parse_event(data)
    assert isinstance(parsed, ChannelDtmfReceived)
    assert (parsed.digit, parsed.duration_ms, parsed.channel_id) == ("1", 120, "c9")


@pytest.mark.parametrize(
    ("kind", "cls"),
    [("ChannelHangupRequest", ChannelHangupRequest), ("ChannelStateChange", ChannelStateChange)],
)
def test_simple_channel_events(kind: str, cls: type) -> None:
    parsed = parse_event(event(kind, channel=channel_json("c2")))
    assert type(parsed) is cls
    assert parsed.channel_id == "c2"


def test_dial_routes_by_peer() -> None:
    data = event(
        "Dial",
        dialstatus="ANSWER",
        dialstring="+33611223344@trunk",
        caller=channel_json("caller-1"),
        peer=channel_json("peer-1", name="PJSIP/trunk-00000008"),
    )
    parsed = parse_event(data)
    assert isinstance(parsed, Dial)
    assert (parsed.peer_id, parsed.dialstatus) == ("peer-1", "ANSWER")
    assert parsed.channel_id == "peer-1"


def test_dial_progress_without_peer_has_no_channel() -> None:
    parsed = parse_event(event("Dial", dialstatus=""))
    assert isinstance(parsed, Dial)
    assert parsed.channel_id is None


def test_playback_finished_channel_from_target_uri() -> None:
    playback = {
        "id": "pb-1",
        "media_uri": "sound:beep",
        "target_uri": "channel:1700000000.42",
        "language": "fr",
        "state": "done",
    }
    parsed = parse_event(event("PlaybackFinished", playback=playback))
    assert isinstance(parsed, PlaybackFinished)
    assert parsed.playback_id == "pb-1"
    assert parsed.channel_id == "1700000000.42"


def test_playback_on_a_bridge_has_no_channel() -> None:
    playback = {"id": "pb-2", "target_uri": "bridge:b-1"}
    parsed = parse_event(event("PlaybackFinished", playback=playback))
    assert parsed.channel_id is None


def test_unknown_event_is_other_with_channel_id() -> None:
    data = event("ChannelVarset", variable="X", value="1", channel=channel_json("c3"))
    parsed = parse_event(data)
    assert type(parsed) is OtherEvent
    assert parsed.type == "ChannelVarset"
    assert parsed.channel_id == "c3"
    assert parsed.raw["variable"] == "X"


def test_unknown_event_without_channel() -> None:
    parsed = parse_event(event("ApplicationReplaced"))
    assert type(parsed) is OtherEvent
    assert parsed.channel_id is None
    assert parse_event({}).type == ""


def test_channel_from_minimal_json() -> None:
    channel = Channel.from_json({"id": 12})
    assert channel.id == "12"
    assert (channel.name, channel.state, channel.caller_number) == ("", "", "")


@pytest.mark.parametrize(
    ("app_name", "app_data", "expected"),
    [
        ("Stasis", "decroche", True),
        ("Stasis", "decroche,transfer,42", True),
        ("Stasis", "other", False),
        ("Stasis", "decroche-test", False),
        ("Dial", "decroche", False),
        ("", "", False),
    ],
)
def test_in_stasis_app(app_name: str, app_data: str, expected: bool) -> None:
    channel = Channel.from_json(channel_json(app_name=app_name, app_data=app_data))
    assert channel.in_stasis_app("decroche") is expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("UnicastRTP/127.0.0.1:40000-0x7f00", True),
        ("PJSIP/trunk-00000007", False),
        ("Local/decroche@x", False),
    ],
)
def test_is_external_media(name: str, expected: bool) -> None:
    assert Channel.from_json(channel_json(name=name)).is_external_media is expected


def test_events_compare_without_raw() -> None:
    a = parse_event(event("StasisEnd", channel=channel_json("c1")))
    b = parse_event({**event("StasisEnd", channel=channel_json("c1")), "timestamp": "later"})
    assert a == b
