"""Issue 9 points 2, 3 and 8: a storage fault never leaves a caller ringing nor loses a call.

The database is a real SQLite file that starts refusing writes the way a full disk makes it
(sqlite3.OperationalError "database or disk is full"); the spool is a real file.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from agent.ari.models import Channel, StasisStart
from agent.call.context import CallContext
from agent.call.manager import CallManager
from agent.call.session import STORAGE_FAILED
from agent.leads.model import Lead
from agent.leads.store import SqliteLeadStore
from agent.store.calls import AudioTotals, CallStore, ClosedCall
from agent.store.db import connect
from agent.store.keeper import Keeper, Replayer, StorageUnavailable
from agent.store.spool import Spool, SpooledLead, SpoolEntry, decode
from tests.call.fakes import CALLER_ID, FakeControl, event, harness


class FullDiskStore(CallStore):
    """A call store whose disk fills (or frees) when the test says so."""

    full = False

    def _check(self) -> None:
        if self.full:
            raise sqlite3.OperationalError("database or disk is full")

    def create(self, channel_id: str, caller_number: str, caller_name: str = "") -> int:
        self._check()
        return super().create(channel_id, caller_number, caller_name)

    def mark_answered(self, channel_id: str) -> None:
        self._check()
        super().mark_answered(channel_id)

    def set_recording(self, channel_id: str, path: str) -> None:
        self._check()
        super().set_recording(channel_id, path)

    def finish(
        self, channel_id: str, outcome: str, audio: AudioTotals, transcript: list[dict[str, Any]]
    ) -> None:
        self._check()
        super().finish(channel_id, outcome, audio, transcript)

    def put(self, call: ClosedCall) -> None:
        self._check()
        super().put(call)


class Talker:
    """Talks until cancelled; on the hang-up (or hand-back) notes what it understood."""

    def __init__(self, closing: bool = False) -> None:
        self.started = asyncio.Event()
        self.handed_back: list[bool] = []
        self.closing = closing  # the dialogue has ended: its lead is saved, goodbye playing

    async def run(self, call: CallContext) -> str:
        call.closing = self.closing
        self.started.set()
        await asyncio.Event().wait()
        return "completed"

    async def caller_hung_up(self, call: CallContext) -> str | None:
        self.handed_back.append(call.handed_back)
        call.note("caller", "fuite sous l'évier")
        return "callback_needed"


def _store(tmp_path: Path) -> FullDiskStore:
    return FullDiskStore(connect(tmp_path / "db.sqlite"))


def _keeper(tmp_path: Path) -> Keeper:
    return Keeper(Spool(tmp_path / "spool"))


def _spooled(keeper: Keeper) -> list[SpoolEntry]:
    assert keeper.spool is not None
    path = keeper.spool.path
    return [decode(line) for line in path.read_text().splitlines()] if path.exists() else []


def _replay(keeper: Keeper, store: CallStore, write: Callable[[SpoolEntry], None] | None) -> int:
    assert keeper.spool is not None
    replay = write or Replayer(store, None, None)  # type: ignore[arg-type]
    return keeper.spool.replay(replay)


async def test_full_disk_at_the_door_hands_the_caller_back_before_answering(
    tmp_path: Path,
) -> None:
    store, keeper = _store(tmp_path), _keeper(tmp_path)
    store.full = True
    call = harness(tmp_path, Talker(), store=store, keeper=keeper)
    started = time.monotonic()
    call.session.queue.put_nowait(event(StasisStart, CALLER_ID))
    await asyncio.wait_for(call.session.run(), 2.0)
    assert time.monotonic() - started < 0.5
    assert call.control.called("continue") == [(CALLER_ID, "decroche-fallback")]
    assert not call.control.called("answer")  # never answered: no dead air, no ringing
    assert not keeper.health.ok
    (row,) = _spooled(keeper)  # the row the database refused
    assert isinstance(row, ClosedCall) and row.outcome == STORAGE_FAILED
    assert row.caller_number == "0698765432"
    store.full = False
    assert _replay(keeper, store, None) == 1
    stored = store.get(CALLER_ID)
    assert stored is not None and stored.outcome == STORAGE_FAILED and stored.ended_at
    assert _spooled(keeper) == []


async def test_full_disk_mid_call_still_closes_the_row_through_the_spool(
    tmp_path: Path,
) -> None:
    store, keeper = _store(tmp_path), _keeper(tmp_path)
    call = harness(tmp_path, Talker(), store=store, keeper=keeper)
    runner = asyncio.get_running_loop().create_task(call.session.run())
    await call.start_call()
    store.full = True  # the recording path, then the row's close, are refused
    call.hang_up()
    await asyncio.wait_for(runner, 3.0)
    (row,) = _spooled(keeper)
    assert isinstance(row, ClosedCall) and row.outcome == "callback_needed"
    assert row.recording_path is not None and Path(row.recording_path).is_file()
    assert [t["text"] for t in row.transcript] == ["fuite sous l'évier"]
    store.full = False
    _replay(keeper, store, None)
    stored = store.get(CALLER_ID)
    assert stored is not None and stored.ended_at and stored.outcome == "callback_needed"
    assert stored.answered_at and stored.recording_path == row.recording_path


def _manager(
    tmp_path: Path, max_calls: int = 4, talker: Talker | None = None
) -> tuple[CallManager, FakeControl, Talker]:
    call = harness(tmp_path, Talker(), store=_store(tmp_path), keeper=_keeper(tmp_path))
    talker = talker or Talker()
    deps = call.session.deps.__class__(
        **{**call.session.deps.__dict__, "new_conversation": lambda _c: talker}
    )
    return CallManager(deps, "decroche", max_calls), call.control, talker


def _caller(index: int) -> StasisStart:
    channel = Channel(f"chan-{index}", "PJSIP/caller", "Ring", caller_number=f"061234567{index}")
    return StasisStart("StasisStart", "decroche", {}, channel)


async def test_overflow_call_is_handed_back_and_gets_a_row(tmp_path: Path) -> None:
    manager, control, _ = _manager(tmp_path, max_calls=0)
    await manager.dispatch(_caller(1))
    assert control.called("continue") == [("chan-1", "decroche-fallback")]
    row = manager.deps.store.get("chan-1")
    assert row is not None and row.outcome == "overflow" and row.ended_at
    assert row.caller_number == "0612345671"


async def test_overflow_row_refused_still_hands_back_and_spools(tmp_path: Path) -> None:
    manager, control, _ = _manager(tmp_path, max_calls=0)
    store = manager.deps.store
    assert isinstance(store, FullDiskStore)
    store.full = True
    await manager.dispatch(_caller(2))
    assert control.called("continue") == [("chan-2", "decroche-fallback")]
    (row,) = _spooled(manager.deps.keeper)
    assert isinstance(row, ClosedCall) and row.outcome == "overflow"


async def test_storage_down_hands_every_live_caller_back_keeping_what_was_said(
    tmp_path: Path,
) -> None:
    manager, control, talker = _manager(tmp_path)
    await manager.dispatch(_caller(3))
    media_id = "chan-3-media"
    for _ in range(100):
        if manager.owns(media_id):
            break
        await asyncio.sleep(0.01)
    media = Channel(media_id, "UnicastRTP/127.0.0.1:9", "Up")
    await manager.dispatch(StasisStart("StasisStart", "decroche", {}, media))
    await asyncio.wait_for(talker.started.wait(), 2)
    manager.deps.keeper.health.failed(_full())
    for _ in range(200):
        if not manager.active_calls:
            break
        await asyncio.sleep(0.01)
    assert control.called("continue") == [("chan-3", "decroche-fallback")]
    assert talker.handed_back == [True]  # the lead is kept, texts are not sent
    row = manager.deps.store.get("chan-3")
    assert row is not None and row.outcome == STORAGE_FAILED
    await manager.dispatch(_caller(4))  # while storage is down, new callers go straight on
    assert control.called("continue")[-1] == ("chan-4", "decroche-fallback")
    assert not [a for a in control.called("answer") if a == ("chan-4",)]


async def test_storage_lost_during_the_goodbye_does_not_ring_the_mobile(
    tmp_path: Path,
) -> None:
    manager, control, talker = _manager(tmp_path, talker=Talker(closing=True))
    await manager.dispatch(_caller(5))
    for _ in range(100):
        if manager.owns("chan-5-media"):
            break
        await asyncio.sleep(0.01)
    media = Channel("chan-5-media", "UnicastRTP/127.0.0.1:9", "Up")
    await manager.dispatch(StasisStart("StasisStart", "decroche", {}, media))
    await asyncio.wait_for(talker.started.wait(), 2)
    manager.deps.keeper.health.failed(_full())
    await asyncio.sleep(0.1)
    assert control.called("continue") == []
    assert manager.active_calls == 1  # the goodbye goes on; the lead was already spooled


def _full() -> StorageUnavailable:
    return StorageUnavailable("call row", sqlite3.OperationalError("database or disk is full"))


async def test_storage_fault_is_logged_once_per_outage(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    manager, control, _ = _manager(tmp_path, max_calls=0)
    store = manager.deps.store
    assert isinstance(store, FullDiskStore)
    store.full = True
    with caplog.at_level(logging.ERROR):
        for index in range(3):
            await manager.dispatch(_caller(index))
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and "StorageUnavailable" in errors[0].getMessage()
    assert "database or disk is full" in errors[0].getMessage()
    assert len(control.called("continue")) == 3


def test_spooled_lead_keeps_its_time_and_is_replayed_once(tmp_path: Path) -> None:
    conn = connect(tmp_path / "db.sqlite")
    calls, leads = CallStore(conn), SqliteLeadStore(conn)
    keeper = _keeper(tmp_path)
    call_id = calls.create("chan-9", "0612345679")
    lead = Lead("callback_needed", caller_number="+33612345679", name="Léa Petit",
                street="3 rue des Lilas", city="Lyon", problem="chaudière en panne",
                urgent=True, call_id=call_id)  # fmt: skip
    understood_at = time.time() - 3600
    assert keeper.spool is not None
    keeper.keep(SpooledLead(lead, understood_at))
    keeper.keep(SpooledLead(lead, understood_at))  # a replay cut short: the same lead twice
    replay = Replayer(calls, leads, None)  # type: ignore[arg-type]
    assert keeper.spool.replay(replay) == 2
    (stored,) = leads.recent()
    assert stored.lead.name == "Léa Petit" and stored.lead.urgent
    assert stored.lead.street == "3 rue des Lilas" and stored.lead.call_id == call_id
    assert stored.created_at == datetime.fromtimestamp(understood_at, UTC).isoformat(
        timespec="seconds"
    )
