"""An agent killed or stopped mid-call: the bridges it leaves are reaped when an agent connects
again, and a stop hands the caller to the mobile without "missed call" texts."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from agent.ari.client import AriClient
from agent.ari.errors import AriNotFound
from agent.service import build_agent
from agent.voice import SpeechVoice
from devkit.sandbox.pbx import Sandbox
from tests.conftest import sandbox_config
from tests.integration.test_faults import BUSINESS, _greeted_call, _mobile_uas, _mobile_up, _wait

pytestmark = pytest.mark.pbx


@pytest.fixture
async def ari(pbx: Sandbox, tmp_path: Path) -> AsyncIterator[AriClient]:
    client = AriClient(sandbox_config(tmp_path).ari)
    yield client
    await client.close()


async def _bridge_ids(ari: AriClient) -> set[str]:
    return {b.id for b in await ari.list_bridges()}


async def test_orphan_bridge_is_reaped_when_the_agent_connects(
    ari: AriClient, tmp_path: Path, voice: SpeechVoice
) -> None:
    # What a killed agent leaves: the bridge of a call whose channel is long gone.
    orphan = "1700000000.4242-bridge"
    foreign = "decroche-test-not-ours"
    await ari.create_bridge(orphan)
    await ari.create_bridge(foreign)
    try:
        assert {orphan, foreign} <= await _bridge_ids(ari)
        agent = await build_agent(sandbox_config(tmp_path), voice=voice)
        task = asyncio.get_running_loop().create_task(agent.run())
        try:
            await asyncio.wait_for(agent.stream.connected.wait(), 10)
            # Destroyed before the agent took any call; on a loaded box Asterisk may still
            # list it for a moment after answering the DELETE (seen once in a full run).
            bridges = await _bridge_ids(ari)
            for _ in range(30):
                if orphan not in bridges:
                    break
                await asyncio.sleep(0.1)
                bridges = await _bridge_ids(ari)
            assert orphan not in bridges
            assert foreign in bridges  # not named as ours: left alone
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
    finally:
        for bridge in (orphan, foreign):
            with contextlib.suppress(AriNotFound):  # already reaped: that is the point
                await ari.destroy_bridge(bridge)


async def test_agent_killed_mid_call_leaves_no_bridge_after_restart(
    pbx: Sandbox, ari: AriClient, tmp_path: Path
) -> None:
    config = tmp_path / "decroche.toml"
    config.write_text(BUSINESS + f'[store]\ndata_dir = "{tmp_path}"\n[missed]\nenabled = false\n')
    command = [sys.executable, "-m", "agent.cli", "run", "--config", str(config)]
    first = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    second: subprocess.Popen[bytes] | None = None
    try:
        await _wait(lambda: pbx.ari_get("/applications/decroche") is not None, 60)
        call = await _greeted_call("0688888888")
        ours = {b for b in await _bridge_ids(ari) if b.endswith("-bridge")}
        assert ours, "the call has its mixing bridge"
        first.send_signal(signal.SIGKILL)  # no teardown: the bridge stays in Asterisk
        await asyncio.to_thread(first.wait, 10)
        await call.hangup()
        await asyncio.sleep(0.5)
        assert ours <= await _bridge_ids(ari)  # leaked, as before the fix
        second = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = asyncio.get_running_loop().time() + 60
        while ours & await _bridge_ids(ari):
            assert asyncio.get_running_loop().time() < deadline, "orphan bridge still there"
            await asyncio.sleep(0.2)
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.kill()
                process.wait(10)


async def test_sigterm_hands_the_caller_to_the_mobile_without_missed_call_texts(
    pbx: Sandbox, tmp_path: Path
) -> None:
    config = tmp_path / "decroche.toml"
    config.write_text(BUSINESS + f'[store]\ndata_dir = "{tmp_path}"\n[missed]\nenabled = false\n')
    command = [sys.executable, "-m", "agent.cli", "run", "--config", str(config)]
    log = (tmp_path / "agent.log").open("wb")
    agent = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    mobile = _mobile_uas(15070)
    try:
        await _wait(lambda: pbx.ari_get("/applications/decroche") is not None, 60)
        try:
            call = await _greeted_call("0687654321")  # a mobile: would get a missed-call text
        except AssertionError:
            raise AssertionError((tmp_path / "agent.log").read_text()[-3000:]) from None
        agent.send_signal(signal.SIGTERM)
        assert await asyncio.to_thread(agent.wait, 20) == 0
        await _wait(lambda: _mobile_up(pbx), 30)  # the artisan's mobile took the call
        await call.hangup()
        await asyncio.to_thread(mobile.communicate, timeout=20)
    finally:
        for process in (agent, mobile):
            if process.poll() is None:
                process.kill()
                process.wait(10)
        log.close()
    db = sqlite3.connect(tmp_path / "decroche.sqlite3")
    try:
        kinds = [kind for (kind,) in db.execute("SELECT kind FROM sms_outbox")]
        outcomes = [outcome for (outcome,) in db.execute("SELECT outcome FROM calls")]
    finally:
        db.close()
    assert not [k for k in kinds if k.endswith("_missed")], kinds
    assert outcomes == ["agent_stopped"]
