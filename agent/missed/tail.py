"""Read the lines Asterisk appended to Master.csv since the last checkpoint.

The checkpoint is (inode, byte offset, fingerprint of the first line). Asterisk only appends,
so a different inode (logrotate moved the file), a file shorter than the offset (truncated) or
a different first line (replaced by a file that already grew past the offset) all mean "a new
file": read it from the start and rely on missed_calls' unique uniqueid to skip known calls.
Only complete lines are consumed, so a line Asterisk is still writing is read at the next scan.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

__all__ = ["CdrReadError", "Checkpoint", "NewLines", "read_new_lines"]

HEAD_BYTES = 512  # the first line identifies a file (its first call's record)
MAX_CHUNK_BYTES = 4 << 20  # cap per scan: a huge backlog is read over several scans


class CdrReadError(OSError):
    """The CDR file exists but cannot be read (permissions, I/O error)."""


@dataclass(frozen=True)
class Checkpoint:
    inode: int
    offset: int
    head: str  # sha256 of the first line ("" while the file was empty)


@dataclass(frozen=True)
class NewLines:
    lines: list[str]
    checkpoint: Checkpoint
    restarted: bool  # the file was rotated or truncated: read again from the start
    more: bool  # MAX_CHUNK_BYTES reached: call again for the rest


def _head(handle: BinaryIO) -> str:
    """Fingerprint of the first line (its first HEAD_BYTES): fixed once that line is written."""
    handle.seek(0)
    data = handle.read(HEAD_BYTES)
    newline = data.find(b"\n")
    if newline >= 0:
        data = data[: newline + 1]
    return hashlib.sha256(data).hexdigest() if data else ""


def _same_file(previous: Checkpoint | None, inode: int, size: int, head: str) -> bool:
    if previous is None:
        return False
    if previous.inode != inode or previous.offset > size:
        return False
    # A file with no complete line at the last scan (offset 0) had no stable fingerprint yet.
    return previous.head == head or previous.offset == 0


def read_new_lines(
    path: Path, previous: Checkpoint | None, max_bytes: int | None = None
) -> NewLines | None:
    """New complete lines of `path` after `previous`; None when the file does not exist yet
    (Asterisk creates Master.csv at its first call). Raises CdrReadError."""
    max_bytes = max_bytes or MAX_CHUNK_BYTES
    try:
        with path.open("rb") as handle:
            stat = os.fstat(handle.fileno())
            head = _head(handle)
            same = _same_file(previous, stat.st_ino, stat.st_size, head)
            start = previous.offset if same and previous is not None else 0
            handle.seek(start)
            data = handle.read(max_bytes)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise CdrReadError(f"cannot read CDR file {path}: {exc}") from exc
    complete = data[: data.rfind(b"\n") + 1]
    # Asterisk writes UTF-8; a trunk's caller name in Latin-1 must not stop the scan. Split on
    # "\n" only: str.splitlines() would also cut at \x1c or U+2028 inside a caller's name.
    lines = complete.decode("utf-8", errors="replace").split("\n")[:-1]
    checkpoint = Checkpoint(stat.st_ino, start + len(complete), head)
    more = len(data) == max_bytes and start + len(data) < stat.st_size
    if more and not complete:
        # A single line longer than the cap: skip it rather than stall forever.
        checkpoint = Checkpoint(stat.st_ino, start + len(data), head)
    return NewLines(lines, checkpoint, restarted=previous is not None and not same, more=more)
