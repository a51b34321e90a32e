"""Issue 9 point 1: a hang-up always ends the session, whatever the conversation does."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from agent.call.context import CallContext
from tests.call.fakes import CALLER_ID, JumpingClock, harness


class DeafConversation:
    """Ignores its cancel (as wait_for on 3.11 can make a conversation do) and runs on."""

    def __init__(self) -> None:
        self.cancels = 0
        self.saved = False

    async def run(self, call: CallContext) -> str:
        while True:
            try:
                await asyncio.sleep(3600)
            except asyncio.CancelledError:
                self.cancels += 1
                if self.cancels > 2:  # the session cancels twice; the test loop's own cancel
                    raise  # at shutdown must still end it

    async def caller_hung_up(self, call: CallContext) -> str | None:
        call.note("caller", "mon adresse c'est")
        self.saved = True
        return "callback_needed"


class SlowSaver(DeafConversation):
    def __init__(self) -> None:
        super().__init__()
        self.saving = asyncio.Event()

    async def caller_hung_up(self, call: CallContext) -> str | None:
        self.saving.set()
        await asyncio.sleep(3600)  # Whisper stuck on the last words
        return "callback_needed"


async def test_conversation_ignoring_the_hang_up_does_not_keep_the_call_open(
    tmp_path: Path,
) -> None:
    conversation = DeafConversation()
    call = harness(tmp_path, conversation, grace_s=0.3)
    runner = asyncio.get_running_loop().create_task(call.session.run())
    await call.start_call()
    hung_up_at = time.monotonic()
    call.hang_up()
    await asyncio.wait_for(runner, 3.0)
    assert time.monotonic() - hung_up_at < 1.5
    assert conversation.cancels >= 1 and conversation.saved  # the lead and SMS are still kept
    row = call.store.get(CALLER_ID)
    assert row is not None and row.ended_at is not None
    assert row.outcome == "callback_needed"
    assert [t["text"] for t in row.transcript] == ["mon adresse c'est"]
    assert row.recording_path is not None and Path(row.recording_path).is_file()
    assert call.control.called("destroy_bridge")  # media released too


async def test_saving_that_never_ends_still_closes_the_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = JumpingClock(monkeypatch)
    saver = SlowSaver()
    call = harness(tmp_path, saver, grace_s=0.1)
    runner = asyncio.get_running_loop().create_task(call.session.run())
    await call.start_call()
    call.hang_up()
    await asyncio.wait_for(saver.saving.wait(), 2.0)
    await asyncio.sleep(0.05)
    assert not runner.done()  # still given its time to save
    clock.advance(2.5)  # past hangup_save_s (2 s in the harness)
    await asyncio.wait_for(runner, 1.0)
    row = call.store.get(CALLER_ID)
    assert row is not None and row.ended_at is not None
    assert row.outcome == "agent_error"


async def test_recording_write_failure_still_closes_the_row(tmp_path: Path) -> None:
    call = harness(tmp_path, DeafConversation())
    (tmp_path / "recordings").write_text("a file where the folder should be")
    runner = asyncio.get_running_loop().create_task(call.session.run())
    await call.start_call()
    call.hang_up()
    await asyncio.wait_for(runner, 3.0)
    row = call.store.get(CALLER_ID)
    assert row is not None and row.ended_at is not None and row.recording_path is None
