"""The reliability run (issue 9, `make test-faults`): real SIP callers, the real receptionist.

Early hang-ups under load and noise-only callers leave nothing behind in Asterisk; a data dir
that fills (a small tmpfs, at the door and mid-call) sends every caller to the mobile within
5 s and loses nothing understood: the spool holds it and it is replayed once space is back.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import subprocess
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from agent.ari.bridges import BRIDGE_SUFFIX
from agent.media.codecs import Pcm
from agent.service import Agent, build_agent
from agent.store.spool import SpooledLead, decode
from agent.voice import SpeechVoice
from devkit.caller.caller import SipCaller
from devkit.caller.mobile import start_mobile
from devkit.caller.script import run_script
from devkit.sandbox.pbx import Sandbox
from tests.conftest import sandbox_config
from tests.integration.test_call import SIP

pytestmark = [pytest.mark.pbx, pytest.mark.models, pytest.mark.faults]

log = logging.getLogger(__name__)

MOBILE_PORT = 15070
PROBLEM = "Bonjour, j'ai une fuite d'eau sous l'évier de la cuisine."


@contextlib.asynccontextmanager
async def running(config_dir: Path, **sections: dict[str, Any]) -> AsyncIterator[Agent]:
    agent = await build_agent(sandbox_config(config_dir, **sections))
    task = asyncio.get_running_loop().create_task(agent.run())
    await asyncio.wait_for(agent.stream.connected.wait(), 10)
    try:
        yield agent
        assert not task.done(), "the agent stopped"  # alive through it all
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def _until(condition: Callable[[], object], timeout_s: float, what: str) -> float:
    """Seconds it took `condition` to hold; fails after `timeout_s`."""
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < timeout_s, f"{what}: not within {timeout_s} s"
        await asyncio.sleep(0.05)
    return time.monotonic() - started


def _leftovers(pbx: Sandbox) -> list[str]:
    channels = [c["name"] for c in pbx.ari_get("/channels") or []]
    bridges = [b["id"] for b in pbx.ari_get("/bridges") or [] if b["id"].endswith(BRIDGE_SUFFIX)]
    return channels + bridges


def _brown_noise(seconds: float, seed: int) -> Pcm:
    steps = np.random.default_rng(seed).normal(0, 1, int(seconds * 8000))
    walk = np.cumsum(steps)
    walk -= np.convolve(walk, np.ones(400) / 400, mode="same")  # no DC drift, still rumbling
    loud: Pcm = (walk / np.max(np.abs(walk)) * 20000).astype(np.int16)
    return loud


async def _early_hang_up(index: int, after_s: float) -> None:
    call = await SipCaller.dial(*SIP, caller_id=f"06100000{index:02d}", timeout_s=20)
    await asyncio.sleep(after_s)
    await call.hangup()


async def _noise_caller(index: int) -> None:
    call = await SipCaller.dial(*SIP, caller_id=f"06200000{index:02d}", timeout_s=20)
    await call.say(_brown_noise(10.0, index)).done
    await call.hangup()


async def test_early_hang_ups_and_noise_leave_nothing_behind(pbx: Sandbox, tmp_path: Path) -> None:
    async with running(tmp_path, media={"max_calls": 30}) as agent:
        offsets = np.linspace(0.0, 3.0, 20)
        callers = [_early_hang_up(i, float(s)) for i, s in enumerate(offsets)]
        callers += [_noise_caller(i) for i in range(3)]
        await asyncio.gather(*callers)
        waited = await _until(lambda: not _leftovers(pbx), 10, f"leftovers {_leftovers(pbx)}")
        log.warning("reliability: Asterisk clean %.2f s after the last hang-up", waited)
        await _until(lambda: all(r.ended_at for r in agent.manager.deps.store.recent(100)), 10,
                     "every call row closed")  # fmt: skip
        rows = agent.manager.deps.store.recent(100)
        assert len(rows) == 23 and not agent.manager.active_calls
        noise = {f"06200000{i:02d}" for i in range(3)}
        leads = [s.lead for s in agent.services.leads.recent(100)]
        made_of_noise = [
            lead for lead in leads
            if lead.caller_number and lead.caller_number[-10:].replace("+33", "0") in noise
            and (lead.urgent or lead.problem or lead.name or lead.street)
        ]  # fmt: skip
        assert made_of_noise == []
        greeted = await SipCaller.dial(*SIP, caller_id="0611112222")  # still answering
        assert await greeted.wait_for_agent_turn(greeted.answered_at, quiet_s=0.5) is not None
        await greeted.hangup()


# ---- disk full -------------------------------------------------------------------------


@contextlib.contextmanager
def small_disk(path: Path, size_kb: int) -> Iterator[Path]:
    """A tmpfs of `size_kb` mounted at `path` (the tests run as root); unmounted after."""
    path.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(path)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs: {mounted.stderr.decode().strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def fill(disk: Path) -> None:
    """Write until the disk refuses: not a byte left."""
    with (disk / "filler").open("ab") as out:
        with contextlib.suppress(OSError):
            while True:
                out.write(b"\xff" * 65536)
                out.flush()
        with contextlib.suppress(OSError):  # the last partial blocks too
            while True:
                os.write(out.fileno(), b"\xff" * 512)


def free(disk: Path) -> None:
    (disk / "filler").unlink()


def _mobiles_up(pbx: Sandbox) -> int:
    channels = pbx.ari_get("/channels") or []
    return sum(1 for c in channels if c["name"].startswith("PJSIP/trunk") and c["state"] == "Up")


def _spooled_leads(agent: Agent) -> list[SpooledLead]:
    spool = agent.services.keeper.spool
    assert spool is not None
    if not spool.path.exists():
        return []
    entries = [decode(line) for line in spool.path.read_text().splitlines()]
    return [e for e in entries if isinstance(e, SpooledLead)]


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Path]:
    with small_disk(tmp_path / "var", 6144) as path:
        yield path


def _mobile(calls: int) -> subprocess.Popen[bytes]:
    return start_mobile("uas", MOBILE_PORT, calls=calls, timeout_s=60)


async def test_disk_full_at_the_door_every_caller_reaches_the_mobile(
    pbx: Sandbox, tmp_path: Path, disk: Path
) -> None:
    mobile = _mobile(3)
    try:
        async with running(tmp_path) as agent:
            fill(disk)
            dialled = time.monotonic()
            calls = await asyncio.gather(
                *(SipCaller.dial(*SIP, caller_id=f"06300000{i}", timeout_s=10) for i in range(3))
            )
            took = await _until(lambda: _mobiles_up(pbx) == 3, 5.0, "3 callers on the mobile")
            log.warning("reliability: disk full, INVITE to 200 OK %s s, all on the mobile %.2f s",
                        [round(c.answered_at - c.invite_at, 2) for c in calls],
                        time.monotonic() - dialled)  # fmt: skip
            assert took < 5.0
            for call in calls:
                await call.hangup()
            free(disk)
            store = agent.manager.deps.store
            await _until(lambda: sum(1 for r in store.recent() if r.ended_at) == 3, 5.0,
                         "the refused calls' rows replayed")  # fmt: skip
            assert {r.outcome for r in store.recent()} == {"storage_failed"}
    finally:
        mobile.kill()
        mobile.wait(10)


async def test_disk_full_mid_call_hands_back_and_keeps_what_was_understood(
    pbx: Sandbox, tmp_path: Path, disk: Path, voice: SpeechVoice
) -> None:
    mobile = _mobile(1)
    try:
        async with running(tmp_path) as agent:
            call = await SipCaller.dial(*SIP, caller_id="0640000001")
            script = await run_script(call, voice, [PROBLEM])  # greeting, problem, question
            assert script.exchanges[0].agent_replied_at is not None
            fill(disk)
            took = await _until(lambda: _mobiles_up(pbx) == 1, 5.0, "the caller on the mobile")
            log.warning("reliability: disk filled mid-call, on the mobile after %.2f s", took)
            await call.hangup()
            (kept,) = await _wait_value(lambda: _spooled_leads(agent), 10.0, "the spooled lead")
            assert "fuite" in kept.lead.problem.lower()
            free(disk)
            await _until(lambda: agent.services.leads.recent(), 5.0, "the lead replayed")
            (stored,) = agent.services.leads.recent()
            assert stored.lead.problem == kept.lead.problem
            assert stored.lead.caller_number == "+33640000001"
            row = agent.manager.deps.store.get(call_channel(agent))
            assert row is not None and row.outcome == "storage_failed" and row.ended_at
            assert agent.services.outbox.rows() == []  # handed to the artisan: nobody texted
    finally:
        mobile.kill()
        mobile.wait(10)


def call_channel(agent: Agent) -> str:
    (row,) = agent.manager.deps.store.recent()
    return row.channel_id


async def _wait_value(
    get: Callable[[], list[SpooledLead]], timeout_s: float, what: str
) -> list[SpooledLead]:
    deadline = time.monotonic() + timeout_s
    while not (value := get()):
        assert time.monotonic() < deadline, f"{what}: not within {timeout_s} s"
        await asyncio.sleep(0.1)
    return value
