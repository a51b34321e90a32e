"""Agent down, the mobile busy, the caller on voicemail: the real CDR gets both SMS queued."""

from __future__ import annotations

import asyncio
import random
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from agent.missed import MissedCall, sandbox_cdr_path
from devkit.caller.caller import SipCaller
from devkit.sandbox.pbx import Sandbox

from .helpers import make_rig

pytestmark = pytest.mark.pbx

SIP = ("127.0.0.1", 15060)
MOBILE_PORT = 15070  # [trunk] default: where the sandbox reaches "the artisan's mobile"

BUSY_UAS = """<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="the artisan's mobile, busy">
  <recv request="INVITE" />
  <send>
    <![CDATA[
SIP/2.0 486 Busy Here
[last_Via:]
[last_From:]
[last_To:];tag=[pid]SIPpTag01[call_number]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0

    ]]>
  </send>
  <recv request="ACK" />
</scenario>
"""


def _busy_mobile(folder: Path) -> subprocess.Popen[bytes]:
    scenario = folder / "busy.xml"
    scenario.write_text(BUSY_UAS, encoding="ascii")
    return subprocess.Popen(
        ["sipp", "-sf", str(scenario), "-i", "127.0.0.1", "-p", str(MOBILE_PORT),
         "-m", "1", "-timeout", "20", "-nostdin"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=folder,
    )  # fmt: skip


async def test_call_missed_while_agent_down_is_texted_once(pbx: Sandbox, tmp_path: Path) -> None:
    rig = make_rig(sandbox_cdr_path(pbx.dir), tmp_path / "db.sqlite3", lambda: datetime.now(UTC))
    # Earlier calls in the sandbox's Master.csv are this test's baseline, not its subject.
    await asyncio.to_thread(rig.scanner.scan_once)
    baseline = len(rig.queued())
    caller_id = f"06{random.randrange(10**8):08d}"
    mobile = _busy_mobile(tmp_path)
    try:
        await asyncio.sleep(0.5)
        # No agent: Stasis fails, the mobile is busy, the voicemail answers.
        call = await SipCaller.dial(*SIP, caller_id=caller_id, timeout_s=15)
        call.say((np.sin(np.arange(8000) * 0.2) * 6000).astype(np.int16))
        await asyncio.sleep(1.5)
        await call.hangup()
        output, _ = await asyncio.to_thread(mobile.communicate, timeout=10)
    finally:
        if mobile.poll() is None:
            mobile.kill()
    assert mobile.returncode == 0, output.decode(errors="replace")[-1500:]

    deadline = time.monotonic() + 10
    missed: list[MissedCall] = []
    while not missed and time.monotonic() < deadline:  # the CDR is written at hangup
        await asyncio.sleep(0.2)
        missed = (await asyncio.to_thread(rig.scanner.scan_once)).missed
    assert [c.caller for c in missed] == [caller_id]
    assert (missed[0].mobile_status, missed[0].voicemail) == ("BUSY", True)
    new = rig.queued()[baseline:]
    assert sorted((r.kind, r.recipient) for r in new) == [
        ("artisan_missed", "+33612345678"),
        ("caller_missed", "+33" + caller_id[1:]),
    ]
    assert (await asyncio.to_thread(rig.scanner.scan_once)).sms_queued == 0
    assert len(rig.queued()) == baseline + 2
