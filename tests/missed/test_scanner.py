"""The scanner: texts each missed call once, survives rescans, rotation and truncation."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from agent.config import load_config
from agent.config_reader import ConfigError
from agent.dialogue.endings import render
from agent.dialogue.settings import DialogueSettings
from agent.missed import MissedSettings, build_scanner, default_cdr_path, sandbox_cdr_path
from agent.missed.settings import PRODUCTION_CDR_PATH

from .helpers import SAMPLE_NOW, make_rig
from .samples import (
    AGENT_TOOK_IT,
    BUSY_THEN_VOICEMAIL,
    CALLER_GAVE_UP_RINGING,
    LANDLINE_BUSY,
    MOBILE_ANSWERED,
)

ARTISAN = "+33612345678"  # the sandbox business's mobile


@pytest.fixture
def cdr(tmp_path: Path) -> Path:
    return tmp_path / "Master.csv"


def _append(path: Path, lines: list[str]) -> None:
    with path.open("a", encoding="utf-8") as out:
        out.writelines(lines)


def test_missed_mobile_caller_gets_the_dialogue_sms_and_the_artisan_a_notice(cdr, tmp_path):
    _append(cdr, [*AGENT_TOOK_IT, *BUSY_THEN_VOICEMAIL, *MOBILE_ANSWERED])
    rig = make_rig(cdr, tmp_path / "db.sqlite3")
    result = rig.scanner.scan_once()
    assert [c.uniqueid for c in result.missed] == ["1795440989.0"]
    assert result.sms_queued == 2 and not result.bad_lines
    rows = {r.kind: r for r in rig.queued()}
    business = load_config().business
    caller_text = render(DialogueSettings(), business, DialogueSettings().sms_caller_missed)
    assert rows["caller_missed"].recipient == "+33655555551"
    assert rows["caller_missed"].body == caller_text
    assert rows["caller_missed"].idem_key == "missed:1795440989.0:+33655555551:caller_missed"
    assert rows["artisan_missed"].recipient == ARTISAN
    # 13:36 UTC is 14 h 36 in Paris in November: the time the caller rang.
    assert rows["artisan_missed"].body == "Appel manqué de 06 55 55 55 51 à 14 h 36, sans message."


def test_landline_caller_gets_no_sms_but_the_artisan_is_told(cdr, tmp_path):
    _append(cdr, LANDLINE_BUSY)
    rig = make_rig(cdr, tmp_path / "db.sqlite3")
    assert rig.scanner.scan_once().sms_queued == 1
    [row] = rig.queued()
    assert (row.kind, row.recipient) == ("artisan_missed", ARTISAN)
    assert "04 55 55 55 54" in row.body


def test_dialogue_switches_are_respected(cdr, tmp_path):
    _append(cdr, BUSY_THEN_VOICEMAIL)
    quiet = replace(DialogueSettings(), sms_to_caller=False)
    rig = make_rig(cdr, tmp_path / "db.sqlite3", dialogue=quiet)
    rig.scanner.scan_once()
    assert [r.kind for r in rig.queued()] == ["artisan_missed"]


def test_rescans_and_restarts_never_double(cdr, tmp_path):
    _append(cdr, BUSY_THEN_VOICEMAIL[:1])  # the first row of a call, then the rest later
    rig = make_rig(cdr, tmp_path / "db.sqlite3")
    assert rig.scanner.scan_once().sms_queued == 2
    _append(cdr, [BUSY_THEN_VOICEMAIL[1], *CALLER_GAVE_UP_RINGING])
    second = rig.scanner.scan_once()
    assert [c.caller for c in second.missed] == ["0655555555"]
    assert second.sms_queued == 2
    assert rig.scanner.scan_once().lines == 0
    # A restarted agent (new objects, same database) starts from the checkpoint.
    again = make_rig(cdr, tmp_path / "db.sqlite3")
    assert again.scanner.scan_once().lines == 0
    assert len(again.queued()) == 4
    assert len(rig.store.recent()) == 2


def test_an_unfinished_line_waits_for_its_end(cdr, tmp_path):
    line = CALLER_GAVE_UP_RINGING[0]
    _append(cdr, [*BUSY_THEN_VOICEMAIL, line[:40]])
    rig = make_rig(cdr, tmp_path / "db.sqlite3")
    first = rig.scanner.scan_once()
    assert first.lines == 2 and not first.bad_lines
    _append(cdr, [line[40:]])
    assert [c.caller for c in rig.scanner.scan_once().missed] == ["0655555555"]


def test_truncated_file_is_read_again_from_the_start(cdr, tmp_path):
    _append(cdr, [*BUSY_THEN_VOICEMAIL, *LANDLINE_BUSY])
    rig = make_rig(cdr, tmp_path / "db.sqlite3")
    rig.scanner.scan_once()
    cdr.write_text("".join(CALLER_GAVE_UP_RINGING), encoding="utf-8")  # same inode, shorter
    result = rig.scanner.scan_once()
    assert result.restarted
    assert [c.caller for c in result.missed] == ["0655555555"]
    assert len(rig.queued()) == 5


def test_rotated_file_that_already_grew_past_the_offset(cdr, tmp_path):
    _append(cdr, BUSY_THEN_VOICEMAIL)
    rig = make_rig(cdr, tmp_path / "db.sqlite3")
    rig.scanner.scan_once()
    os.rename(cdr, cdr.with_suffix(".csv.1"))  # logrotate
    # The new file holds an old call again (never texted twice) and a new one.
    _append(cdr, [*MOBILE_ANSWERED, *MOBILE_ANSWERED, *BUSY_THEN_VOICEMAIL, *LANDLINE_BUSY])
    result = rig.scanner.scan_once()
    assert result.restarted
    assert [c.caller for c in result.missed] == ["0455555554"]
    assert len(rig.queued()) == 3


def test_old_calls_are_recorded_but_nobody_is_texted(cdr, tmp_path):
    _append(cdr, BUSY_THEN_VOICEMAIL)
    rig = make_rig(cdr, tmp_path / "db.sqlite3", clock=lambda: SAMPLE_NOW + timedelta(days=3))
    result = rig.scanner.scan_once()
    assert result.sms_queued == 0 and rig.queued() == []
    [record] = rig.store.recent()
    assert (record.skipped_reason, record.sms_queued) == ("too_old", 0)


def test_missing_file_is_not_an_error(cdr, tmp_path):
    rig = make_rig(cdr, tmp_path / "db.sqlite3")
    assert rig.scanner.scan_once().file_missing
    _append(cdr, BUSY_THEN_VOICEMAIL)  # Asterisk creates it at its first call
    assert rig.scanner.scan_once().sms_queued == 2


def test_a_long_backlog_is_read_in_capped_chunks(cdr, tmp_path, monkeypatch):
    import agent.missed.tail as tail

    monkeypatch.setattr(tail, "MAX_CHUNK_BYTES", 700)  # about two lines per read
    _append(cdr, [*MOBILE_ANSWERED * 3, *BUSY_THEN_VOICEMAIL, *LANDLINE_BUSY])
    rig = make_rig(cdr, tmp_path / "db.sqlite3")
    reads = []
    real_read = tail.read_new_lines

    def counting_read(*args):
        reads.append(1)
        return real_read(*args)

    monkeypatch.setattr("agent.missed.scanner.read_new_lines", counting_read)
    result = rig.scanner.scan_once()
    assert result.lines == 7 and len(reads) >= 3
    assert [c.caller for c in result.missed] == ["0655555551", "0455555554"]


def test_odd_bytes_in_a_caller_name_do_not_break_lines(cdr, tmp_path):
    odd = BUSY_THEN_VOICEMAIL[1].replace('""""" <', '"""Ren\xe9\u2028\x1c"" <')
    with cdr.open("wb") as out:
        out.write(BUSY_THEN_VOICEMAIL[0].encode())
        out.write(odd.encode("latin-1", errors="replace").replace(b"?", b"\x1c"))
    rig = make_rig(cdr, tmp_path / "db.sqlite3")
    result = rig.scanner.scan_once()
    assert result.lines == 2 and not result.bad_lines
    assert [c.caller for c in result.missed] == ["0655555551"]


async def test_start_scans_at_once_then_periodically_and_stop_returns(cdr, tmp_path):
    rig = make_rig(cdr, tmp_path / "db.sqlite3")
    _append(cdr, BUSY_THEN_VOICEMAIL)
    task = rig.scanner.start()
    assert task is not None
    for _ in range(50):
        if rig.queued():
            break
        await asyncio.sleep(0.02)
    assert len(rig.queued()) == 2  # the start-up scan
    _append(cdr, LANDLINE_BUSY)
    await asyncio.sleep(1.3)  # scan_interval_s = 1
    assert len(rig.queued()) == 3
    await asyncio.wait_for(rig.scanner.stop(), 5)
    assert task.done()


async def test_disabled_scanner_does_not_start(cdr, tmp_path):
    rig = make_rig(cdr, tmp_path / "db.sqlite3")
    rig.scanner.settings = replace(rig.scanner.settings, enabled=False)
    assert rig.scanner.start() is None
    await rig.scanner.stop()


def test_settings_from_table(tmp_path):
    assert MissedSettings.from_table(None, tmp_path) == MissedSettings()
    assert MissedSettings().cdr_path == PRODUCTION_CDR_PATH
    table = {"cdr_path": "cdr/Master.csv", "scan_interval_s": 30, "enabled": False}
    settings = MissedSettings.from_table(table, tmp_path)
    assert settings.cdr_path == tmp_path / "cdr/Master.csv"
    assert (settings.scan_interval_s, settings.enabled) == (30.0, False)
    with pytest.raises(ConfigError, match=r"missed\.scan_interval_s"):
        MissedSettings.from_table({"scan_interval_s": 0}, tmp_path)
    with pytest.raises(ConfigError, match="unknown key"):
        MissedSettings.from_table({"cdr": "x"}, tmp_path)


def test_sandbox_config_reads_the_sandbox_cdr(tmp_path):
    config = load_config(None, {"store": {"data_dir": str(tmp_path / "var")}})
    assert config.missed.cdr_path == sandbox_cdr_path(config.pbx.sandbox_dir)
    assert str(config.missed.cdr_path).endswith(".sandbox/root/var/log/asterisk/cdr-csv/Master.csv")
    assert default_cdr_path(tmp_path / "decroche.toml", tmp_path) == PRODUCTION_CDR_PATH
    scanner = build_scanner(config, make_rig(tmp_path / "x", tmp_path / "db").outbox)
    assert scanner.settings.cdr_path == sandbox_cdr_path(config.pbx.sandbox_dir)


def test_never_imports_aiohttp():
    code = "import sys, agent.missed; assert 'aiohttp' not in sys.modules, 'aiohttp imported'"
    subprocess.run([sys.executable, "-c", code], check=True)
