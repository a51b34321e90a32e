"""Shared fixtures: the sandbox Asterisk (real, started once) and an in-process agent."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from agent.config import Config, load_config
from agent.service import Agent, build_agent
from agent.speech.settings import SttSettings, TtsSettings
from agent.speech.stt import Transcriber, WhisperEngine
from agent.speech.tts_engines import make_synthesizer
from agent.voice import SpeechVoice
from agent.wiring import build_transcriber
from devkit.sandbox.pbx import Sandbox


def sandbox_config(tmp_path: Path, **sections: dict[str, Any]) -> Config:
    overrides: dict[str, dict[str, Any]] = {
        "store": {"data_dir": str(tmp_path / "var")},
        # The sandbox CDR file holds earlier tests' calls: only the missed-call tests read it.
        "missed": {"enabled": False},
    }
    overrides.update(sections)
    return load_config(None, overrides)


@pytest.fixture(scope="session")
def pbx() -> Iterator[Sandbox]:
    """The sandbox Asterisk, installed and started by the project's own code."""
    sandbox = Sandbox(load_config())
    sandbox.start()
    yield sandbox
    sandbox.stop()


@pytest.fixture(scope="session")
def voice() -> SpeechVoice:
    return SpeechVoice(make_synthesizer(TtsSettings()))


@pytest.fixture(scope="session")
def whisper_engine() -> Iterator[WhisperEngine]:
    """One Whisper model for every in-process agent of the session (a model each is
    seconds of loading and ~150 MB)."""
    engine = WhisperEngine(SttSettings())
    yield engine
    engine.close()


@pytest.fixture
def agent_config(tmp_path: Path) -> Config:
    return sandbox_config(tmp_path)


@pytest.fixture
def transcriber(agent_config: Config, whisper_engine: WhisperEngine) -> Transcriber:
    """The `agent` fixture's transcriber (a test's Harness needs it too)."""
    return build_transcriber(agent_config, whisper_engine)


@pytest.fixture
async def agent(
    pbx: Sandbox, agent_config: Config, voice: SpeechVoice, transcriber: Transcriber
) -> AsyncIterator[Agent]:
    running = await build_agent(agent_config, voice=voice, transcriber=transcriber)
    task = asyncio.get_running_loop().create_task(running.run())
    await asyncio.wait_for(running.stream.connected.wait(), 10)
    yield running
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
