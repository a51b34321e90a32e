"""Orphan bridges reaped on (re)connect: only ours, only those no live call uses."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from agent.ari.bridges import orphan_bridges, reap_orphan_bridges
from agent.ari.errors import AriError, AriNotFound, AriUnavailable
from agent.ari.models import Bridge, Channel


def ours(call: str, *channels: str) -> Bridge:
    return Bridge(f"{call}-bridge", "stasis", "mixing", "Stasis", channels)


def in_stasis(channel_id: str, app: str) -> Channel:
    return Channel(channel_id, "PJSIP/trunk-1", "Up", dialplan_app="Stasis",
                   dialplan_app_data=f"{app},transfer")  # fmt: skip


LIVE = {"1.1", "1.1-media"}  # channels of the one call this agent is running


def test_only_our_bridges_of_no_live_call_are_orphans() -> None:
    bridges = [
        ours("1.1", "1.1", "1.1-media"),  # the live call
        ours("1.2"),  # empty, left by a killed agent
        ours("1.3", "1.3"),  # its caller is an orphan being handed back
        Bridge("1.4-bridge", "base", "mixing", "", ()),  # the dialplan's, not ARI's
        Bridge("conference", "stasis", "mixing", "Stasis", ()),  # another app's naming
        ours("1.5", "1.5", "other-app-leg"),  # a second decroche (app "decroche2")'s call
        Bridge("-bridge", "stasis", "mixing", "Stasis", ()),
    ]
    channels = [in_stasis("1.3", "decroche"), in_stasis("other-app-leg", "decroche2"),
                in_stasis("1.5", "decroche2")]  # fmt: skip
    orphans = orphan_bridges(bridges, channels, LIVE.__contains__, "decroche")
    assert [b.id for b in orphans] == ["1.2-bridge", "1.3-bridge"]


def test_a_bridge_holding_an_adopted_leg_of_a_live_call_is_kept() -> None:
    # During a transfer the caller's bridge holds the mobile leg, routed to the live call.
    live = {"2.1-mobile"}
    assert orphan_bridges([ours("2.1", "2.1-mobile")], [], live.__contains__, "decroche") == []


@dataclass
class FakeControl:
    bridges: list[Bridge]
    channels: list[Channel] = field(default_factory=list)
    failures: dict[str, AriError] = field(default_factory=dict)
    list_failure: AriError | None = None
    destroyed: list[str] = field(default_factory=list)

    async def list_bridges(self) -> list[Bridge]:
        if self.list_failure is not None:
            raise self.list_failure
        return self.bridges

    async def list_channels(self) -> list[Channel]:
        return self.channels

    async def destroy_bridge(self, bridge_id: str) -> None:
        if bridge_id in self.failures:
            raise self.failures[bridge_id]
        self.destroyed.append(bridge_id)


async def test_reaping_destroys_orphans_and_survives_failures(
    caplog: pytest.LogCaptureFixture,
) -> None:
    control = FakeControl(
        [ours("1.1", "1.1"), ours("1.2"), ours("1.3"), ours("1.4")],
        failures={"1.2-bridge": AriNotFound("gone", 404), "1.3-bridge": AriError("boom", 500)},
    )
    assert await reap_orphan_bridges(control, LIVE.__contains__, "decroche") == 1
    assert control.destroyed == ["1.4-bridge"]
    assert "1.3-bridge not destroyed" in caplog.text and "1.2-bridge" not in caplog.text


async def test_reaping_never_raises_when_asterisk_is_gone() -> None:
    control = FakeControl([ours("1.2")], list_failure=AriUnavailable("down"))
    assert await reap_orphan_bridges(control, LIVE.__contains__, "decroche") == 0
    assert control.destroyed == []
