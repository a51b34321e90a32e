"""Typed ARI events and objects: parsed once at the edge, plain frozen dataclasses after."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Channel:
    id: str
    name: str
    state: str
    caller_number: str = ""
    caller_name: str = ""
    dialplan_exten: str = ""
    dialplan_context: str = ""
    dialplan_app: str = ""
    dialplan_app_data: str = ""

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Channel:
        caller = data.get("caller") or {}
        dialplan = data.get("dialplan") or {}
        return cls(
            id=str(data["id"]),
            name=str(data.get("name", "")),
            state=str(data.get("state", "")),
            caller_number=str(caller.get("number", "")),
            caller_name=str(caller.get("name", "")),
            dialplan_exten=str(dialplan.get("exten", "")),
            dialplan_context=str(dialplan.get("context", "")),
            dialplan_app=str(dialplan.get("app_name", "")),
            dialplan_app_data=str(dialplan.get("app_data", "")),
        )

    def in_stasis_app(self, app: str) -> bool:
        return self.dialplan_app == "Stasis" and self.dialplan_app_data.split(",")[0] == app

    @property
    def is_external_media(self) -> bool:
        return self.name.startswith("UnicastRTP/")


@dataclass(frozen=True)
class Bridge:
    id: str
    bridge_class: str = ""  # "stasis" for bridges made through ARI, "base" for the dialplan's
    bridge_type: str = ""  # mixing, holding
    creator: str = ""
    channels: tuple[str, ...] = ()  # ids of the channels in it
    creationtime: str = ""  # Asterisk 16.19+; "" when the server does not say

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Bridge:
        return cls(
            id=str(data["id"]),
            bridge_class=str(data.get("bridge_class", "")),
            bridge_type=str(data.get("bridge_type", "")),
            creator=str(data.get("creator", "")),
            channels=tuple(str(c) for c in data.get("channels") or ()),
            creationtime=str(data.get("creationtime", "")),
        )

    @property
    def made_by_ari(self) -> bool:
        return self.bridge_class == "stasis"


@dataclass(frozen=True)
class Event:
    """Base of every event; `type` is ARI's event name."""

    type: str
    application: str
    raw: Mapping[str, Any] = field(repr=False, compare=False)

    @property
    def channel_id(self) -> str | None:
        """The channel the event is about, used to route it to its call."""
        return None


@dataclass(frozen=True)
class ChannelEvent(Event):
    channel: Channel

    @property
    def channel_id(self) -> str | None:
        return self.channel.id


@dataclass(frozen=True)
class StasisStart(ChannelEvent):
    args: tuple[str, ...] = ()


@dataclass(frozen=True)
class StasisEnd(ChannelEvent):
    pass


@dataclass(frozen=True)
class ChannelDestroyed(ChannelEvent):
    cause: int = 0
    cause_txt: str = ""


@dataclass(frozen=True)
class ChannelHangupRequest(ChannelEvent):
    pass


@dataclass(frozen=True)
class ChannelStateChange(ChannelEvent):
    pass


@dataclass(frozen=True)
class ChannelDtmfReceived(ChannelEvent):
    digit: str = ""
    duration_ms: int = 0


@dataclass(frozen=True)
class Dial(Event):
    """Progress of a call we originated: dialstatus ANSWER / BUSY / NOANSWER / ..."""

    peer_id: str = ""
    dialstatus: str = ""

    @property
    def channel_id(self) -> str | None:
        return self.peer_id or None


@dataclass(frozen=True)
class PlaybackFinished(Event):
    playback_id: str = ""
    target_uri: str = ""

    @property
    def channel_id(self) -> str | None:
        kind, _, target = self.target_uri.partition(":")
        return target if kind == "channel" else None


@dataclass(frozen=True)
class OtherEvent(Event):
    """Any event decroche does not act on; kept so nothing is silently dropped."""

    @property
    def channel_id(self) -> str | None:
        channel = self.raw.get("channel")
        return str(channel["id"]) if isinstance(channel, Mapping) and "id" in channel else None


_CHANNEL_EVENTS: dict[str, type[ChannelEvent]] = {
    "StasisEnd": StasisEnd,
    "ChannelHangupRequest": ChannelHangupRequest,
    "ChannelStateChange": ChannelStateChange,
}


def parse_event(data: Mapping[str, Any]) -> Event:
    """One websocket message (already JSON-decoded) to a typed event."""
    kind = str(data.get("type", ""))
    app = str(data.get("application", ""))
    channel = data.get("channel")
    if kind == "StasisStart" and channel:
        args = tuple(str(a) for a in data.get("args", ()))
        return StasisStart(kind, app, data, Channel.from_json(channel), args)
    if kind == "ChannelDestroyed" and channel:
        return ChannelDestroyed(
            kind,
            app,
            data,
            Channel.from_json(channel),
            int(data.get("cause", 0)),
            str(data.get("cause_txt", "")),
        )
    if kind == "ChannelDtmfReceived" and channel:
        return ChannelDtmfReceived(
            kind,
            app,
            data,
            Channel.from_json(channel),
            str(data.get("digit", "")),
            int(data.get("duration_ms", 0)),
        )
    if kind in _CHANNEL_EVENTS and channel:
        return _CHANNEL_EVENTS[kind](kind, app, data, Channel.from_json(channel))
    if kind == "Dial":
        peer = data.get("peer") or {}
        return Dial(kind, app, data, str(peer.get("id", "")), str(data.get("dialstatus", "")))
    if kind == "PlaybackFinished":
        playback = data.get("playback") or {}
        return PlaybackFinished(
            kind, app, data, str(playback.get("id", "")), str(playback.get("target_uri", ""))
        )
    return OtherEvent(kind, app, data)
