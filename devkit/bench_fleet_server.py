"""The speech server a bench fleet shares (`decroche bench --fleet N --serve`), and what it costs.

`--serve` starts the stock server of the engine on the box's own Whisper base folder, offline,
on a free local port: wyoming-faster-whisper (int8, beam 3, 2 threads: the local engine's
settings) or faster-whisper-server (OpenAI-compatible; it has no compute-type option and
runs float32). Its CPU seconds and peak memory are read from /proc, for a server started
here or one given by `--server-pid`.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from agent.speech.paths import whisper_dir
from agent.speech.settings import SttSettings

READY_S = 120.0  # loading a model on a busy 2-core box
TICKS = os.sysconf("SC_CLK_TCK")


class ServerError(RuntimeError):
    """The speech server could not be started (not installed, exited, never listened)."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def process_cpu_s(pid: int) -> float:
    """User + system CPU seconds of `pid` and of the children it has waited for."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    # After the command name: state is field 3, utime..cstime are fields 14..17.
    return sum(int(v) for v in fields[11:15]) / TICKS


def process_peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _tool(name: str) -> str:
    path = Path(sys.executable).parent / name
    if not path.exists():
        raise ServerError(f"{name} is not installed here: pip install -e '.[dev]'")
    return str(path)


def server_command(
    engine: str, stt: SttSettings, port: int, data_dir: Path
) -> tuple[list[str], str]:
    """The command line and the `uri` the agents use."""
    folder = whisper_dir(stt.models_dir, stt.model)
    if not (folder / "model.bin").is_file():
        raise ServerError(f"Whisper {stt.model} is absent from {folder}: run `make models`")
    if engine == "wyoming":
        command = [
            _tool("wyoming-faster-whisper"),
            *("--uri", f"tcp://127.0.0.1:{port}", "--model", str(folder)),
            *("--data-dir", str(data_dir), "--local-files-only", "--language", stt.language),
            *("--beam-size", str(stt.beam_size), "--cpu-threads", str(stt.cpu_threads)),
            *("--compute-type", stt.compute_type),
        ]
        return command, f"tcp://127.0.0.1:{port}"
    if engine == "openai":
        command = [
            _tool("faster-whisper-server"),
            *(str(folder), "--host", "127.0.0.1", "--port", str(port)),
        ]
        return command, f"http://127.0.0.1:{port}/v1"
    raise ServerError(f"--serve starts a wyoming or openai server, not {engine!r}")


@dataclass
class SpeechServer:
    command: list[str]
    port: int
    uri: str
    log: Path
    process: subprocess.Popen[bytes] | None = None

    @classmethod
    def for_engine(cls, engine: str, stt: SttSettings, work: Path) -> SpeechServer:
        port = free_port()
        work.mkdir(parents=True, exist_ok=True)
        command, uri = server_command(engine, stt, port, work / "server-data")
        return cls(command, port, uri, work / f"{engine}-server.log")

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def start(self) -> None:
        with self.log.open("ab") as out:
            # Its own process group: stop() ends it and anything it started.
            self.process = subprocess.Popen(
                self.command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + READY_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerError(f"{self.command[0]} exited: {self.log.read_text()[-1500:]}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port)):
                return
            time.sleep(0.2)
        self.stop()
        raise ServerError(f"{self.command[0]} not listening after {READY_S:.0f} s")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)
