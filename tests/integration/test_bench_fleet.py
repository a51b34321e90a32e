"""A tiny bench fleet (issue 12): two agents, each its own process and ARI application, one
call each, both hearing through one real wyoming-faster-whisper (the local Whisper base folder).
Checks that every figure is there and makes sense, never how fast: the box is shared."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from devkit.bench_fleet import FleetPlan, run_fleet
from devkit.sandbox.pbx import Sandbox
from tests.speech.servers import Server, running, wyoming_whisper

pytestmark = [pytest.mark.pbx, pytest.mark.models]


@pytest.fixture(scope="module")
def stt_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running(wyoming_whisper(tmp_path_factory.mktemp("fleet-server"))) as server:
        yield server


@pytest.fixture
async def report(pbx: Sandbox, stt_server: Server, tmp_path: Path) -> dict[str, Any]:
    assert stt_server.process is not None
    plan = FleetPlan(
        agents=2,
        calls=1,
        engine="wyoming",
        uri=stt_server.uri,
        server_pid=stt_server.process.pid,
        work=tmp_path,
    )
    return await run_fleet(plan)


async def test_two_agents_share_one_wyoming_server(report: dict[str, Any], tmp_path: Path) -> None:
    assert report["failed"] == 0 and report["calls"] == 2
    assert report["no_reply_turns"] == 0
    # Each agent answered its own call: the fleetK routes reach distinct ARI applications.
    agents = report["agents"]
    assert [a["app"] for a in agents] == ["decroche-fleet1", "decroche-fleet2"]
    assert [a["calls"] for a in agents] == [1, 1]
    for agent in agents:
        assert agent["turn_ms_p50"] > 0 and agent["stt_ms_p50"] > 0
        assert agent["cpu_s"] > 0
        # The agent loads no Whisper of its own: much less than a local agent's ~400 MB.
        assert 30 < agent["rss_mb_peak"] < report["server_rss_mb_peak"]
        # Heard, if not perfectly: a line of the caller's mostly right.
        assert agent["wer_calls"] is not None and agent["wer_calls"] < 0.8
    assert report["server_cpu_s"] > 0
    assert report["turn_ms_p95"] >= report["turn_ms_p50"]
    raw = json.loads((tmp_path / "last-run.json").read_text())
    for heard in raw["agents"].values():
        assert any(h["text"] for h in heard["heard"])
