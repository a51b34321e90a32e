"""The spool: what must not be lost while the database cannot be written (issue 9).

A disk that fills, or a data dir gone read-only, must not lose a call's row, its lead or its
texts. What the database refuses goes to one small append-only JSON-lines file
(`<spool_dir>/spool.jsonl`, one entry a line, fsynced at each append) and is replayed into
the database when it takes writes again (agent.store.keeper).

A full disk refuses the spool too, so the spool keeps a ballast: a file of `reserve_bytes`
written while there is room (`<spool_dir>/reserve`). When an append fails for want of space
the ballast is deleted and the append tried again: the space it held is the spool's. It is
rebuilt after a replay. A spool that cannot be written at all (read-only file system) leaves
the entry, whole, in the log at ERROR: the last place it can go.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import json
import logging
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from agent.leads.model import Lead, Turn
from agent.store.calls import AudioTotals, ClosedCall

__all__ = ["Spool", "SpoolEntry", "SpooledLead", "SpooledSms", "decode", "encode"]

log = logging.getLogger(__name__)

SPOOL_FILE = "spool.jsonl"
REPLAYING_FILE = "spool.replaying.jsonl"
RESERVE_FILE = "reserve"


@dataclass(frozen=True)
class SpooledLead:
    lead: Lead
    at: float  # when it was understood (epoch seconds): the lead keeps the call's time


@dataclass(frozen=True)
class SpooledSms:
    idem_key: str
    recipient: str
    text: str
    kind: str


SpoolEntry = ClosedCall | SpooledLead | SpooledSms
Kind = Literal["call", "lead", "sms"]


def encode(entry: SpoolEntry) -> str:
    """One JSON line (no newline inside: json.dumps escapes them)."""
    kind: Kind = (
        "call"
        if isinstance(entry, ClosedCall)
        else "lead"
        if isinstance(entry, SpooledLead)
        else "sms"
    )
    return json.dumps({"kind": kind, "data": dataclasses.asdict(entry)}, ensure_ascii=False)


def decode(line: str) -> SpoolEntry:
    """The entry of one line; ValueError (or KeyError, TypeError) for a line it is not."""
    raw = json.loads(line)
    kind, data = raw["kind"], raw["data"]
    if kind == "call":
        audio = AudioTotals(**data.pop("audio"))
        return ClosedCall(audio=audio, transcript=tuple(data.pop("transcript")), **data)
    if kind == "lead":
        return SpooledLead(_lead(data["lead"]), float(data["at"]))
    if kind == "sms":
        return SpooledSms(**data)
    raise ValueError(f"unknown spool entry kind {kind!r}")


def _lead(data: dict[str, Any]) -> Lead:
    turns = tuple(Turn(t["speaker"], t["text"]) for t in data.pop("transcript"))
    clips = tuple((str(f), str(p)) for f, p in data.pop("clips"))
    return Lead(transcript=turns, clips=clips, to_check=tuple(data.pop("to_check")), **data)


class Spool:
    def __init__(self, folder: Path, reserve_bytes: int = 256 * 1024) -> None:
        self.folder = folder
        self.reserve_bytes = reserve_bytes
        self.path = folder / SPOOL_FILE
        self._replaying = folder / REPLAYING_FILE
        self._reserve = folder / RESERVE_FILE

    def append(self, entry: SpoolEntry) -> bool:
        """Keep `entry` durably; False (and the entry in the log) when even that failed."""
        line = encode(entry) + "\n"
        try:
            self._write(line)
        except OSError as exc:
            if exc.errno not in (errno.ENOSPC, errno.EDQUOT) or not self._drop_reserve():
                return _last_resort(line, exc)
            try:
                self._write(line)
            except OSError as again:
                return _last_resort(line, again)
        return True

    def _write(self, line: str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as out:
            out.write(line)
            out.flush()
            os.fsync(out.fileno())

    def _drop_reserve(self) -> bool:
        try:
            self._reserve.unlink()
        except FileNotFoundError:
            return False
        log.warning("spool: disk full, ballast %s released for the spool", self._reserve)
        return True

    def make_reserve(self) -> bool:
        """Write the ballast if it is missing; False when there is no room for it (yet)."""
        if self._reserve.exists() and self._reserve.stat().st_size >= self.reserve_bytes:
            return True
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with self._reserve.open("wb") as out:
                out.write(b"\0" * self.reserve_bytes)  # real blocks: not a sparse file
                out.flush()
                os.fsync(out.fileno())
        except OSError as exc:
            with contextlib.suppress(OSError):
                self._reserve.unlink()
            log.debug("spool: no room for the ballast yet: %s", exc)
            return False
        return True

    def pending(self) -> bool:
        return self.path.exists() or self._replaying.exists()

    def replay(self, write: Callable[[SpoolEntry], None]) -> int:
        """Give every entry to `write`; those it fails on stay spooled. Returns how many
        went through. The file is moved aside first (a rename needs no space), so entries
        spooled meanwhile are kept, and a replay cut short resumes at the next one."""
        if not self._replaying.exists():
            try:
                self.path.rename(self._replaying)
            except FileNotFoundError:
                return 0
        done, kept = 0, []
        for line in self._replaying.read_text(encoding="utf-8").splitlines():
            if line.strip():
                if _replay_one(line, write):
                    done += 1
                else:
                    kept.append(line)
        for line in kept:  # back into the live spool, behind anything spooled meanwhile
            self._write(line + "\n")
        self._replaying.unlink()
        return done


def _replay_one(line: str, write: Callable[[SpoolEntry], None]) -> bool:
    try:
        entry = decode(line)
    except (ValueError, KeyError, TypeError) as exc:
        log.error("spool: unreadable entry dropped (%s): %s", exc, line)
        return True
    try:
        write(entry)
    except (sqlite3.OperationalError, OSError) as exc:  # refused again: it stays spooled
        log.debug("spool: entry not replayed yet: %s", exc)
        return False
    except Exception:  # a bug, not the disk: kept all the same, and said loudly
        log.exception("spool: entry not replayed, kept: %s", line)
        return False
    return True


def _last_resort(line: str, exc: OSError) -> bool:
    log.error("spool: cannot write (%s); the entry, kept here only: %s", exc, line.strip())
    return False
