"""The spool file: entries survive a round trip, a full disk, a failed replay."""

from __future__ import annotations

import errno
import logging
import sqlite3
from pathlib import Path

import pytest

from agent.leads.model import Lead, Turn
from agent.store.calls import AudioTotals, ClosedCall
from agent.store.keeper import Keeper, StorageHealth, StorageWatch
from agent.store.spool import Spool, SpooledLead, SpooledSms, SpoolEntry, decode, encode

CALL = ClosedCall(
    "chan-1",
    "0612345678",
    None,
    "2024-05-02T10:00:00.000+00:00",
    "2024-05-02T10:01:00.000+00:00",
    "callback_needed",
    answered_at="2024-05-02T10:00:01.000+00:00",
    audio=AudioTotals(60000, 9000, 30000),
    transcript=({"speaker": "caller", "text": "une fuite\nau sous-sol"},),
)
LEAD = SpooledLead(
    Lead("transferred", caller_number="+33612345678", name="Zoé Lefèvre", urgent=True,
         transcript=(Turn("caller", "ça inonde"),), to_check=("address",),
         clips=(("name", "/x/call-000001-name-1.wav"),), address_confidence=0.5),
    1714644000.5,
)  # fmt: skip
SMS = SpooledSms("7:+33612345678:caller_recap", "+33612345678", "Bien noté.", "caller_recap")


@pytest.mark.parametrize("entry", [CALL, LEAD, SMS])
def test_entry_round_trips_on_one_line(entry: SpoolEntry) -> None:
    line = encode(entry)
    assert "\n" not in line
    assert decode(line) == entry


class FullOnce(Spool):
    """The first append meets a full disk, as the ballast is still there to give way."""

    fails = 1

    def _write(self, line: str) -> None:
        if self.fails and (self.folder / "reserve").exists():
            self.fails -= 1
            raise OSError(errno.ENOSPC, "No space left on device")
        super()._write(line)


def test_full_disk_releases_the_ballast_for_the_spool(tmp_path: Path) -> None:
    spool = FullOnce(tmp_path, reserve_bytes=4096)
    assert spool.make_reserve() and (tmp_path / "reserve").stat().st_size == 4096
    assert spool.append(SMS)
    assert not (tmp_path / "reserve").exists()
    assert [decode(line) for line in spool.path.read_text().splitlines()] == [SMS]


def test_spool_that_cannot_be_written_leaves_the_entry_in_the_log(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "spool"
    blocker.write_text("a file where the folder should be")
    with caplog.at_level(logging.ERROR):
        assert not Spool(blocker).append(LEAD)
    assert "Zoé Lefèvre" in caplog.text


def test_replay_keeps_what_is_refused_and_drops_what_is_unreadable(tmp_path: Path) -> None:
    spool = Spool(tmp_path)
    for entry in (CALL, LEAD, SMS):
        assert spool.append(entry)
    with spool.path.open("a") as out:
        out.write("{not json\n")
    written: list[SpoolEntry] = []

    def write(entry: SpoolEntry) -> None:
        if isinstance(entry, SpooledLead):
            raise sqlite3.OperationalError("database or disk is full")
        written.append(entry)

    assert spool.replay(write) == 3  # the call, the text, the unreadable line (dropped)
    assert written == [CALL, SMS]
    assert [decode(line) for line in spool.path.read_text().splitlines()] == [LEAD]
    assert spool.replay(written.append) == 1 and not spool.pending()


def test_watch_replays_once_there_is_room_and_rebuilds_the_ballast(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "spool", reserve_bytes=1024)
    health = StorageHealth(tmp_path, min_free_bytes=1 << 62)  # more than any disk: "full"
    replayed: list[SpoolEntry] = []
    watch = StorageWatch(Keeper(spool, health), replayed.append)
    spool.append(SMS)
    watch.tick()
    assert not health.ok and replayed == [] and spool.pending()
    health.min_free_bytes = 0  # space freed
    watch.tick()
    assert health.ok and replayed == [SMS] and not spool.pending()
    assert (tmp_path / "spool" / "reserve").stat().st_size == 1024


def test_keeper_lets_program_errors_through(tmp_path: Path) -> None:
    keeper = Keeper(Spool(tmp_path))

    def bug() -> None:
        raise sqlite3.IntegrityError("CHECK constraint failed")

    with pytest.raises(sqlite3.IntegrityError):
        keeper.write("lead", bug, lambda: SMS)
    assert keeper.health.ok and not keeper.spool.pending()  # type: ignore[union-attr]
