"""Barge-in on a real call: the caller talks over the agent and the agent stops."""

from __future__ import annotations

import asyncio
import time

import numpy as np
import pytest

from agent.service import Agent
from agent.voice import SpeechVoice
from devkit.caller.caller import VOICE_RMS, SipCaller
from tests.audio_match import rms
from tests.integration.test_call import SIP, finished_row

pytestmark = pytest.mark.pbx


def _silent_from(frames: list[tuple[float, np.ndarray]], start: float, quiet_s: float) -> float:
    """First time after `start` from which the heard audio stays below voice level quiet_s."""
    quiet_since: float | None = None
    for at, frame in frames:
        if at < start:
            continue
        if rms(frame) > VOICE_RMS:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = at
        elif at - quiet_since >= quiet_s:
            return quiet_since
    raise AssertionError("the agent never went quiet")


@pytest.mark.models
async def test_caller_talking_over_the_agent_stops_it(agent: Agent, voice: SpeechVoice) -> None:
    call = await SipCaller.dial(*SIP, caller_id="0655555501")
    deadline = time.monotonic() + 5
    while call.heard.first_voice_at() is None and time.monotonic() < deadline:
        await asyncio.sleep(0.02)
    await asyncio.sleep(0.8)  # well inside the greeting
    interruption = await voice.render("Allô, oui, j'ai une fuite d'eau dans la cuisine.", 8000)
    started = time.monotonic()
    await call.say(interruption).done
    await asyncio.sleep(3.0)  # end of turn + transcription before the caller leaves
    await call.hangup()

    stopped = _silent_from(call.heard.frames, started, quiet_s=0.3)
    cut_after_ms = (stopped - started) * 1000
    # Detection needs barge_in_min_ms (400) of voice; then the next 20 ms frame is silence.
    assert cut_after_ms < 900, f"agent kept talking {cut_after_ms:.0f} ms over the caller"
    (row,) = await finished_row(agent)
    cut = [t for t in row.transcript if t["speaker"] == "agent_interrupted"]
    assert cut, row.transcript
    assert 0 < cut[0]["heard_ms"] < cut[0]["duration_ms"]
    # The interruption is kept as a caller turn. Its words are Whisper base's on a clip cut by
    # the barge-in ("j'ai une citeau dans la trisie" in the full suite, the right words when
    # run alone): accuracy is measured by the speech tests and `make eval-calls`, not here.
    said = [t["text"].lower() for t in row.transcript if t["speaker"] == "caller"]
    assert any(len(text.split()) >= 4 for text in said), said
