"""A real CalDAV server for the tests: Radicale as a subprocess on a free port, its storage in
a temp folder, one user with a plain-text password."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from caldav.collection import Calendar
from caldav.davclient import DAVClient

USER, PASSWORD = "artisan", "app-password"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class Radicale:
    port: int
    process: subprocess.Popen[bytes]

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def collection(self, name: str = "travaux") -> str:
        return f"{self.root}{USER}/{name}/"

    def make_calendar(self, name: str = "travaux") -> Calendar:
        client = DAVClient(url=self.root, username=USER, password=PASSWORD, require_tls=False)
        made = client.get_principal().make_calendar(name=name, cal_id=name)
        # make_calendar is typed for the async client too (a coroutine); this one is blocking.
        assert isinstance(made, Calendar)
        return made


@contextmanager
def radicale(folder: Path) -> Iterator[Radicale]:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "users").write_text(f"{USER}:{PASSWORD}\n")
    port = free_port()
    config = folder / "config"
    config.write_text(
        f"[server]\nhosts = 127.0.0.1:{port}\n"
        f"[auth]\ntype = htpasswd\nhtpasswd_filename = {folder / 'users'}\n"
        "htpasswd_encryption = plain\ndelay = 0\n"
        f"[storage]\nfilesystem_folder = {folder / 'collections'}\n"
        "[rights]\ntype = owner_only\n[logging]\nlevel = warning\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "radicale", "--config", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_listening(port, process)
        yield Radicale(port, process)
    finally:
        process.terminate()
        process.wait(timeout=10)


def _wait_listening(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            err = process.stderr.read().decode() if process.stderr else ""
            raise RuntimeError(f"radicale exited: {err}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("radicale did not start")


@contextmanager
def mute_server() -> Iterator[int]:
    """A port that accepts connections and never answers (a hung server)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(8)
        yield int(s.getsockname()[1])


def event(uid: str, start: object, end: object, summary: str = "occupé", **props: object) -> str:
    """One event's iCalendar text (with its VTIMEZONE), built with icalendar."""
    import icalendar

    cal = icalendar.Calendar()
    cal.add("prodid", "-//decroche tests//FR")
    cal.add("version", "2.0")
    ev = icalendar.Event()
    ev.add("uid", uid)
    ev.add("dtstamp", datetime(2026, 11, 1, tzinfo=UTC))
    ev.add("dtstart", start)
    ev.add("dtend", end)
    ev.add("summary", summary)
    for key, value in props.items():
        ev.add(key, value)
    cal.add_component(ev)
    cal.add_missing_timezones()
    return str(cal.to_ical().decode())
