"""Faults with real parts: Asterisk restarts, the agent is down, wrong credentials, bad config."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from agent.media.codecs import Pcm
from agent.service import Agent
from devkit.caller.caller import SipCaller
from devkit.sandbox.pbx import Sandbox
from tests.integration.test_call import SIP, finished_row

pytestmark = pytest.mark.pbx


def _tone() -> Pcm:
    tone: Pcm = (np.sin(np.arange(8000) * 0.2) * 6000).astype(np.int16)
    return tone


async def _greeted_call(caller_id: str) -> SipCaller:
    call = await SipCaller.dial(*SIP, caller_id=caller_id)
    call.say(_tone())
    assert await call.wait_for_agent_turn(call.answered_at, quiet_s=0.5) is not None
    return call


async def _wait(condition: object, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.1)


async def test_asterisk_killed_mid_call_agent_reconnects_and_answers_next(
    agent: Agent, pbx: Sandbox
) -> None:
    call = await _greeted_call("0622222222")
    connections = agent.stream.connections
    await asyncio.to_thread(pbx.kill_hard)  # a crash, not a clean stop
    await asyncio.to_thread(pbx.start)
    await _wait(
        lambda: agent.stream.connections > connections and agent.stream.connected.is_set(), 30
    )
    await call.close()
    # The call Asterisk forgot is closed in the database, not left "in progress".
    rows = await finished_row(agent, 1)
    assert rows[0].caller_number == "0622222222"

    second = await _greeted_call("0633333333")
    await second.hangup()
    rows = await finished_row(agent, 2)
    assert {r.caller_number for r in rows} == {"0622222222", "0633333333"}


def _mobile_uas(port: int, calls: int = 1) -> subprocess.Popen[bytes]:
    """sipp as the artisan's mobile, behind the trunk: answers, waits for BYE."""
    return subprocess.Popen(
        [
            "sipp",
            "-sn",
            "uas",
            "-i",
            "127.0.0.1",
            "-p",
            str(port),
            "-m",
            str(calls),
            "-timeout",
            "40",
            "-nostdin",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        cwd="/tmp",
    )


async def test_agent_down_dialplan_rings_the_mobile(pbx: Sandbox) -> None:
    uas = _mobile_uas(15070)
    try:
        await asyncio.sleep(0.5)
        call = await SipCaller.dial(*SIP, caller_id="0644444444", timeout_s=20)
        # Answered by the mobile stand-in: the caller never meets dead air.
        call.say(_tone())
        await asyncio.sleep(1.0)
        await call.hangup()
        output, _ = await asyncio.to_thread(uas.communicate, timeout=20)
    finally:
        if uas.poll() is None:
            uas.kill()
    assert uas.returncode == 0, output.decode(errors="replace")[-2000:]


BUSINESS = '[business]\nname = "X"\ntrade = "plombier"\nmobile = "+33612345678"\n'


def _run_agent(config: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "agent.cli", "run", "--config", str(config)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_wrong_ari_password_is_a_clear_error(pbx: Sandbox, tmp_path: Path) -> None:
    config = tmp_path / "decroche.toml"
    config.write_text(
        BUSINESS + f'[ari]\npassword = "not-the-password"\n[store]\ndata_dir = "{tmp_path}"\n'
    )
    result = _run_agent(config)
    assert result.returncode != 0
    assert "username and password" in result.stderr


@pytest.mark.parametrize(
    ("toml", "key"),
    [
        ('[business]\nname = "X"\ntrade = "plombier"\nmobile = "0612"\n', "business.mobile"),
        (
            '[business]\nname = "X"\ntrade = "boulanger"\nmobile = "+33612345678"\n',
            "business.trade",
        ),
        (BUSINESS + "[pbx]\nhttp_port = 70000\n", "pbx.http_port"),
        (BUSINESS + '[media]\nformat = "opus"\n', "media.format"),
        (BUSINESS + '[ari]\nurl = "127.0.0.1:8088"\n', "ari.url"),
        (BUSINESS + '[ari]\npasword = "typo"\n', "pasword"),
        ('[business\nname = "broken toml"\n', "not valid TOML"),
    ],
)
def test_malformed_config_names_the_key(tmp_path: Path, toml: str, key: str) -> None:
    config = tmp_path / "decroche.toml"
    config.write_text(toml)
    result = _run_agent(config)
    assert result.returncode == 2
    assert key in result.stderr


def _mobile_up(pbx: Sandbox) -> bool:
    channels = pbx.ari_get("/channels") or []
    return any(c["name"].startswith("PJSIP/trunk") and c["state"] == "Up" for c in channels)


def _start_agent_process(config: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "agent.cli", "run", "--config", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


async def test_agent_crash_mid_call_hands_the_caller_to_the_mobile_on_restart(
    pbx: Sandbox, tmp_path: Path
) -> None:
    config = tmp_path / "decroche.toml"
    config.write_text(BUSINESS + f'[store]\ndata_dir = "{tmp_path}"\n[missed]\nenabled = false\n')
    first = _start_agent_process(config)
    mobile = _mobile_uas(15070)
    second: subprocess.Popen[bytes] | None = None
    try:
        await _wait(lambda: pbx.ari_get("/applications/decroche") is not None, 60)
        call = await _greeted_call("0677777777")
        first.kill()  # SIGKILL: no goodbye, the caller is left in Stasis
        await asyncio.to_thread(first.wait, 10)
        second = _start_agent_process(config)
        # On connect, the new agent finds the orphaned caller and hands it to the fallback.
        await _wait(lambda: _mobile_up(pbx), 60)
        await call.hangup()
        output, _ = await asyncio.to_thread(mobile.communicate, timeout=20)
    finally:
        for process in (first, second, mobile):
            if process is not None and process.poll() is None:
                process.kill()
    assert mobile.returncode == 0, output.decode(errors="replace")[-1500:]
