"""A sandbox Asterisk the project manages: Debian's package in a debootstrap folder, chrooted.

Debian sid carries Asterisk 22 (bookworm does not): `debootstrap --variant=minbase` installs it
into `<sandbox_dir>/root` in about a minute without touching the host. It shares the host's
network namespace, so every port it binds is rendered onto the configured loopback address.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
from base64 import b64encode
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agent.config import Config
from agent.pbx.render import write_rendered

DEFAULT_MIRROR = "http://deb.debian.org/debian"
# Stock Debian files kept as they are (tone tables, features, ...): Asterisk complains without them.
STOCK_CONFIGS = (
    "indications.conf",
    "features.conf",
    "ccss.conf",
    "acl.conf",
    "udptl.conf",
    "cel.conf",
    "pjproject.conf",
    "pjsip_wizard.conf",
    "res_parking.conf",
    "musiconhold.conf",
    "res_stun_monitor.conf",
    "cli.conf",
)
ASTERISK_DIRS = (
    "/var/lib/asterisk",
    "/var/log/asterisk",
    "/var/spool/asterisk",
    "/run/asterisk",
    "/var/cache/asterisk",
)


class SandboxError(RuntimeError):
    """The sandbox cannot be installed or started; the message says why and what to do."""


@dataclass(frozen=True)
class SandboxStatus:
    installed: bool
    running: bool
    pid: int | None
    ari_ready: bool
    version: str | None


class Sandbox:
    def __init__(self, config: Config) -> None:
        self.config = config
        self.dir = config.pbx.sandbox_dir
        self.root = self.dir / "root"
        self.pid_file = self.dir / "asterisk.pid"
        self.log_file = self.dir / "asterisk.console.log"

    # ---- install -------------------------------------------------------------------------
    @property
    def installed(self) -> bool:
        return (self.root / "usr/sbin/asterisk").exists()

    def install(self) -> None:
        """debootstrap Debian sid with Asterisk into the sandbox folder (once)."""
        if self.installed:
            return
        _require_root("install the sandbox Asterisk (debootstrap + chroot)")
        if shutil.which("debootstrap") is None:
            raise SandboxError(
                "debootstrap is missing: run `make deps` (apt-get install debootstrap)"
            )
        mirror = self.config.pbx.mirror or host_debian_mirror()
        staging = self.dir / "root.partial"
        shutil.rmtree(staging, ignore_errors=True)
        self.dir.mkdir(parents=True, exist_ok=True)
        cmd = [
            "debootstrap",
            "--variant=minbase",
            "--include=asterisk,asterisk-modules",
            "sid",
            str(staging),
            mirror,
        ]
        print(f"decroche pbx: installing Debian's Asterisk into {self.root} from {mirror} ...")
        log = self.dir / "debootstrap.log"
        with log.open("w") as out:
            result = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, check=False)
        if result.returncode != 0:
            tail = log.read_text(errors="replace").splitlines()[-5:]
            raise SandboxError(
                f"debootstrap failed (exit {result.returncode}) with mirror {mirror}; "
                f"set [pbx] mirror in the config if this mirror is unreachable. "
                f"Last lines of {log}:\n  " + "\n  ".join(tail)
            )
        staging.rename(self.root)
        # Keep Debian's sample configs aside: only the project's rendered files are live.
        etc = self.root / "etc/asterisk"
        etc.rename(self.root / "etc/asterisk.dist")
        etc.mkdir()

    # ---- run -----------------------------------------------------------------------------
    def pid(self) -> int | None:
        try:
            pid = int(self.pid_file.read_text().strip())
        except (FileNotFoundError, ValueError):
            return None
        return pid if _alive(pid) else None

    def render(self) -> None:
        etc = self.root / "etc/asterisk"
        write_rendered(self.config, etc, sandbox=True)
        for name in STOCK_CONFIGS:
            stock = self.root / "etc/asterisk.dist" / name
            if stock.exists() and not (etc / name).exists():
                shutil.copy2(stock, etc / name)

    def start(self, wait_s: float = 60.0) -> None:
        """Install if needed, render the configs, start Asterisk and wait until ARI answers."""
        self.install()
        if self.pid() is not None:
            self.render()
            self.cli("core reload")
            self.wait_ready(wait_s)
            return
        _require_root("start the sandbox Asterisk (chroot)")
        self.render()
        self._prepare_chroot()
        with self.log_file.open("ab") as out:
            proc = subprocess.Popen(
                [
                    "chroot",
                    str(self.root),
                    "/usr/sbin/asterisk",
                    "-f",
                    "-U",
                    "asterisk",
                    "-G",
                    "asterisk",
                ],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.pid_file.write_text(str(proc.pid))
        self.wait_ready(wait_s, proc)

    def _prepare_chroot(self) -> None:
        proc_dir = self.root / "proc"
        if not os.path.ismount(proc_dir):
            subprocess.run(["mount", "-t", "proc", "proc", str(proc_dir)], check=True)
        for folder in ASTERISK_DIRS:
            (self.root / folder.lstrip("/")).mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                "chroot",
                str(self.root),
                "chown",
                "-R",
                "asterisk:asterisk",
                *ASTERISK_DIRS,
                "/etc/asterisk",
            ],
            check=True,
        )

    def wait_ready(self, wait_s: float, proc: subprocess.Popen[bytes] | None = None) -> None:
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline:
            if proc is not None and proc.poll() is not None:
                tail = self.log_file.read_text(errors="replace").splitlines()[-10:]
                raise SandboxError("Asterisk exited at start:\n  " + "\n  ".join(tail))
            if self.ari_version() is not None:
                return
            time.sleep(0.2)
        raise SandboxError(
            f"Asterisk started but ARI did not answer within {wait_s:.0f} s "
            f"on {self.config.ari.url}; see {self.log_file}"
        )

    def stop(self, wait_s: float = 15.0) -> None:
        pid = self.pid()
        if pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGTERM)
            deadline = time.monotonic() + wait_s
            while self.pid() is not None and time.monotonic() < deadline:
                time.sleep(0.1)
            if self.pid() is not None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(pid, signal.SIGKILL)
        self.pid_file.unlink(missing_ok=True)
        proc_dir = self.root / "proc"
        if os.path.ismount(proc_dir):
            subprocess.run(["umount", "-l", str(proc_dir)], check=False)

    def kill_hard(self) -> None:
        """SIGKILL, as a crash would (fault tests)."""
        pid = self.pid()
        if pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
            while self.pid() is not None:
                time.sleep(0.05)

    def cli(self, command: str) -> str:
        if self.pid() is None:
            raise SandboxError("the sandbox Asterisk is not running: `decroche pbx up`")
        result = subprocess.run(
            ["chroot", str(self.root), "/usr/sbin/asterisk", "-rx", command],
            capture_output=True,
            text=True,
            check=False,
            timeout=30,
        )
        return result.stdout + result.stderr

    def ari_get(self, path: str) -> Any:
        """GET an ARI resource (JSON) with the configured credentials; None if unreachable."""
        ari = self.config.ari
        token = b64encode(f"{ari.username}:{ari.password}".encode()).decode()
        request = urllib.request.Request(
            f"{ari.url}/ari{path}", headers={"Authorization": f"Basic {token}"}
        )
        try:
            with urllib.request.urlopen(request, timeout=1.0) as response:
                return json.loads(response.read())
        except (urllib.error.URLError, ConnectionError, TimeoutError, ValueError):
            return None

    def ari_version(self) -> str | None:
        info = self.ari_get("/asterisk/info")
        if info is None:
            return None
        return str(info.get("system", {}).get("version", "?"))

    def status(self) -> SandboxStatus:
        pid = self.pid()
        version = self.ari_version() if pid is not None else None
        return SandboxStatus(self.installed, pid is not None, pid, version is not None, version)


def _alive(pid: int) -> bool:
    """True while any thread of the process runs. A leader in state Z may still have threads
    exiting (Asterisk has dozens), so the process is dead only once it is reaped or gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    if stat.rsplit(")", 1)[-1].split()[0] != "Z":
        return True
    try:
        reaped, _ = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:  # not our child: dead once no thread is left
        return len(list(Path(f"/proc/{pid}/task").glob("*"))) > 1
    return reaped == 0


def _require_root(what: str) -> None:
    if os.geteuid() != 0:
        raise SandboxError(
            f"root is needed to {what}; run it with sudo (the sandbox stays "
            "inside the project's .sandbox folder)"
        )


def host_debian_mirror() -> str:
    """The Debian mirror the host's apt already uses, else deb.debian.org (Ubuntu hosts)."""
    candidates = sorted(Path("/etc/apt/sources.list.d").glob("*.sources"))
    candidates.append(Path("/etc/apt/sources.list"))
    for path in candidates:
        try:
            text = path.read_text()
        except OSError:
            continue
        for line in text.splitlines():
            words = line.replace("URIs:", " ").split()
            for word in words:
                if word.startswith("http") and word.rstrip("/").endswith("/debian"):
                    return word.rstrip("/")
    return DEFAULT_MIRROR
