"""This box: the data folders take writes, the disk has room, the clock is right.

Writability is proven by writing (a probe file, fsynced, removed), not by mode bits: the agent
runs as root in some installs, where mode bits say nothing, and a read-only mount or a file in
place of a folder only shows when something is written.

The clock matters for opening hours, callback times, calendar bookings and TLS to the SMS
provider. Sources, first that answers: systemd-timesyncd/NTP (timedatectl), chrony (chronyc),
the kernel's NTP state (adjtimex); else the Asterisk host's clock (ARI's HTTP Date header).
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import errno
import os
import shutil
from pathlib import Path

from agent.doctor.checks import Check, CheckFailed, CheckSkipped, Context

# 8 kHz 16-bit WAV recordings are ~1 MB a minute: 1 GiB is about a thousand minutes of calls.
MIN_FREE_BYTES = 1 << 30
MAX_OFFSET_S = 2.0  # the Date header has a one-second resolution
TIME_ERROR = 5  # adjtimex(2): the clock is not synchronized


def _probe(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / f".doctor-probe-{os.getpid()}"
        with probe.open("wb") as out:
            out.write(b"decroche doctor\n")
            out.flush()
            os.fsync(out.fileno())
        probe.unlink()
    except (FileExistsError, NotADirectoryError):
        raise CheckFailed(
            f"{folder} (or a folder above it) is a file, not a folder",
            "move that file away, or set [store] data_dir elsewhere",
        ) from None
    except OSError as exc:
        why = "read-only file system" if exc.errno == errno.EROFS else (exc.strerror or str(exc))
        raise CheckFailed(
            f"cannot write in {folder}: {why}",
            f"give the agent's user write access to {folder} (systemd: ReadWritePaths=), "
            "or set [store] data_dir to a writable folder",
        ) from None


async def data_dir(ctx: Context) -> str:
    config = ctx.require_config()
    folders = [config.data_dir, config.database.parent, config.spool.dir]
    if config.call.recording and config.call.recordings_dir is not None:
        folders.append(config.call.recordings_dir)
    unique = list(dict.fromkeys(folders))
    for folder in unique:
        _probe(folder)
    return "writable: " + ", ".join(str(f) for f in unique)


async def disk_space(ctx: Context) -> str:
    config = ctx.require_config()
    usage = shutil.disk_usage(config.data_dir)
    needed = max(MIN_FREE_BYTES, config.spool.min_free_kb * 1024)
    free_gib = usage.free / (1 << 30)
    if usage.free < needed:
        raise CheckFailed(
            f"{free_gib:.2f} GiB free under {config.data_dir}: recordings and the database "
            "will fill it within days",
            f"free space or move [store] data_dir (needs {needed / (1 << 30):.1f} GiB); "
            "shorten [call] retention_days",
        )
    return f"{free_gib:.1f} GiB free under {config.data_dir}"


async def clock(ctx: Context) -> str:
    for source in (_timedatectl, _chrony):
        said = await source()
        if said is None:
            continue
        synced, detail = said
        if not synced:
            raise CheckFailed(detail, "enable time sync: timedatectl set-ntp true (or chrony)")
        return detail
    if _kernel_synced():
        return "the kernel's clock is NTP-synchronized (adjtimex)"
    return _against_asterisk(ctx)


async def _run(*argv: str) -> str | None:
    if shutil.which(argv[0]) is None:
        return None
    proc = await asyncio.create_subprocess_exec(
        *argv, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL
    )
    out, _ = await asyncio.wait_for(proc.communicate(), 5)
    return out.decode(errors="replace") if proc.returncode == 0 else None


async def _timedatectl() -> tuple[bool, str] | None:
    out = await _run("timedatectl", "show", "-p", "NTPSynchronized", "--value")
    if out is None:  # no systemd (containers): no answer, not "unsynchronized"
        return None
    synced = out.strip() == "yes"
    return synced, f"timedatectl: NTP {'synchronized' if synced else 'NOT synchronized'}"


async def _chrony() -> tuple[bool, str] | None:
    out = await _run("chronyc", "-n", "tracking")
    if out is None:
        return None
    leap = next((line.split(":", 1)[1].strip() for line in out.splitlines()
                 if line.startswith("Leap status")), "")  # fmt: skip
    return leap == "Normal", f"chrony: leap status {leap or 'unknown'}"


def _kernel_synced() -> bool:
    """adjtimex(2) with modes 0 only reads; TIME_ERROR means no NTP daemon disciplines the
    clock, which is also the case of a clock kept right by its hypervisor: not conclusive."""
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    buffer = ctypes.create_string_buffer(512)  # struct timex, zeroed: modes = 0
    state: int = ctypes.CDLL(name, use_errno=True).adjtimex(buffer)
    return 0 <= state < TIME_ERROR


def _against_asterisk(ctx: Context) -> str:
    seen = ctx.ari_clock
    if seen is None:
        raise CheckSkipped(
            "no time-sync service to ask (timedatectl, chronyc) and no Asterisk clock to compare"
        )
    offset = seen.local_epoch - seen.asterisk_epoch
    if abs(offset) > MAX_OFFSET_S:
        raise CheckFailed(
            f"this box's clock is {offset:+.1f} s off the Asterisk host's",
            "enable NTP on both machines (timedatectl set-ntp true, or chrony)",
        )
    return (
        f"no time-sync service state here (no systemd, no chrony, kernel unsynchronized); "
        f"agrees with the Asterisk host's clock within {abs(offset):.1f} s (ARI Date header; "
        "on the same machine this only shows they share one clock)"
    )


CHECKS = (
    Check("data_dir", "data folders writable", data_dir),
    Check("disk_space", "disk space", disk_space, ("data_dir",)),
    Check("clock", "clock in sync", clock),
)
