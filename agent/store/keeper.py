"""Writes that must not be lost: to the database, else to the spool, and back when it heals.

`Keeper.write` is the one path every call-time write takes (call rows, leads, texts). A
storage fault (disk full, read-only, I/O error) is logged once per outage as a typed
`StorageUnavailable`, the entry goes to the spool, and the listeners hear of the outage (the
call manager hands every caller to the fallback: see agent.call.manager). `StorageWatch`
probes the data dir's free space every second and replays the spool once it is back.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, TypeVar

from agent.leads.model import Lead
from agent.sms.base import SmsQueue
from agent.store.calls import ClosedCall
from agent.store.spool import Spool, SpooledLead, SpooledSms, SpoolEntry
from nlp.phone_numbers import InvalidPhoneNumber

__all__ = [
    "Keeper",
    "Replayer",
    "StorageHealth",
    "StorageUnavailable",
    "StorageWatch",
    "is_storage_fault",
]

log = logging.getLogger(__name__)

T = TypeVar("T")


class StorageUnavailable(Exception):
    """The database (or the data dir) refused a write: full, read-only, failing."""

    def __init__(self, what: str, cause: BaseException) -> None:
        super().__init__(f"cannot write the {what}: {cause}")
        self.what = what


def is_storage_fault(exc: BaseException) -> bool:
    """Faults of the disk, not of the program: sqlite's "database or disk is full",
    "attempt to write a readonly database", "disk I/O error", or the OS's own."""
    return isinstance(exc, (sqlite3.OperationalError, OSError))


@dataclass
class StorageHealth:
    """Whether the data dir takes writes. Logs an outage once, and its end once."""

    folder: Path | None = None  # probed for free space; None: only write failures count
    min_free_bytes: int = 1024 * 1024
    listeners: list[Callable[[], None]] = field(default_factory=list)
    down_since: float | None = None

    @property
    def ok(self) -> bool:
        return self.down_since is None

    def failed(self, error: StorageUnavailable) -> None:
        if self.down_since is not None:
            log.debug("storage still down: %s", error)
            return
        self.down_since = time.monotonic()
        log.error("%s: %s; callers go to the mobile, the rest is spooled",
                  type(error).__name__, error)  # fmt: skip
        for listener in list(self.listeners):
            listener()

    def recovered(self) -> None:
        if self.down_since is not None:
            log.warning("storage back after %.0f s", time.monotonic() - self.down_since)
            self.down_since = None

    def probe(self) -> bool:
        """Room to write, on a writable file system? Flips the state either way."""
        if self.folder is None:
            return self.ok
        try:
            stats = os.statvfs(self.folder)
        except OSError as exc:
            self.failed(StorageUnavailable("data dir", exc))
            return False
        free = stats.f_bavail * stats.f_frsize
        if stats.f_flag & os.ST_RDONLY or free < self.min_free_bytes:
            why = "read-only file system" if stats.f_flag & os.ST_RDONLY else f"{free} bytes free"
            self.failed(StorageUnavailable("data dir", OSError(why)))
            return False
        self.recovered()
        return True


@dataclass
class Keeper:
    """Writes through to the database; on a storage fault, to the spool instead."""

    spool: Spool | None = None  # None: what the database refuses is kept in the log only
    health: StorageHealth = field(default_factory=StorageHealth)

    def write(
        self, what: str, write: Callable[[], object], entry: Callable[[], SpoolEntry]
    ) -> bool:
        """True when `write()` stored it; on a storage fault `entry()` is spooled instead."""
        if self.try_write(what, write):
            return True
        self.keep(entry())
        return False

    def try_write(self, what: str, write: Callable[[], object]) -> bool:
        """True when `write()` went through; False after a storage fault (nothing kept)."""

        def written() -> bool:
            write()
            return True

        return self.attempt(what, written) is not None

    def attempt(self, what: str, write: Callable[[], T]) -> T | None:
        """`write()`'s result, or None after a storage fault (logged, listeners told).
        Other errors are bugs and propagate. For a `write` without a result, `try_write`."""
        try:
            return write()
        except Exception as exc:
            if not is_storage_fault(exc):
                raise
            self.health.failed(StorageUnavailable(what, exc))
            return None

    def keep(self, entry: SpoolEntry) -> None:
        if self.spool is None or not self.spool.append(entry):
            log.error("not stored, not spooled: %r", entry)


class CallRows(Protocol):
    def put(self, call: ClosedCall) -> None: ...


class LeadRows(Protocol):
    def restore(self, lead: Lead, at: float) -> int: ...


@dataclass(frozen=True)
class Replayer:
    """Writes spooled entries into their tables; each write is idempotent."""

    calls: CallRows
    leads: LeadRows
    sms: SmsQueue

    def __call__(self, entry: SpoolEntry) -> None:
        if isinstance(entry, ClosedCall):
            self.calls.put(entry)
        elif isinstance(entry, SpooledLead):
            self.leads.restore(entry.lead, entry.at)
        else:
            self._text(entry)

    def _text(self, sms: SpooledSms) -> None:
        try:
            self.sms.enqueue(sms.idem_key, sms.recipient, sms.text, sms.kind)
        except InvalidPhoneNumber as exc:  # as when the call queued it: never sendable
            log.warning("spooled SMS %s dropped: %s", sms.kind, exc)


@dataclass
class StorageWatch:
    """Probes storage every `every_s`; replays the spool when it is back."""

    keeper: Keeper
    replay: Callable[[SpoolEntry], None]
    every_s: float = 1.0
    retry_replay_s: float = 30.0  # replay failed though the disk looks fine: try again later
    _next_replay: float = 0.0

    def replay_now(self) -> int:
        spool = self.keeper.spool
        if spool is None:
            return 0
        done = spool.replay(self.replay) if spool.pending() else 0
        if done:
            log.warning("spool: %d entries written to the database", done)
        if spool.pending():
            self._next_replay = time.monotonic() + self.retry_replay_s
        else:
            spool.make_reserve()
        return done

    def tick(self) -> None:
        healthy = self.keeper.health.probe()
        spool = self.keeper.spool
        if not healthy or spool is None:
            return
        if spool.pending() and time.monotonic() >= self._next_replay:
            self.replay_now()
        elif not spool.pending():
            spool.make_reserve()

    async def run(self) -> None:
        while True:
            try:
                self.tick()
            except Exception:  # the watch must outlive any one bad probe or replay
                log.exception("storage watch failed")
            await asyncio.sleep(self.every_s)
