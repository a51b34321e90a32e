"""Remote speech engines against the real servers, started here on free ports, offline:
wyoming-faster-whisper and faster-whisper-server (OpenAI-compatible) on the local Whisper base
folder, wyoming-piper with the English test voice; and a Wyoming server killed mid-test."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from agent.cli import main as decroche
from agent.speech.audio import Pcm, decode_file, phone_channel
from agent.speech.hint import Hint
from agent.speech.remote import FIRST_RETRY_S, SpeechUnavailableError
from agent.speech.remote_stt import FallbackTranscriber, WyomingTranscriber
from agent.speech.settings import SttSettings, TtsSettings
from agent.speech.stt_engines import make_transcriber
from agent.speech.tts_engines import make_synthesizer
from tests.speech.servers import (
    Server,
    free_port,
    openai_whisper,
    running,
    wyoming_piper,
    wyoming_whisper,
)
from tests.speech.test_remote_faults import Local

pytestmark = pytest.mark.models

SLOW = 60000  # ms: a server on this shared 2-core box, loading its model on the first turn


@pytest.fixture(scope="module")
def tmp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("servers")


@pytest.fixture(scope="module")
def wyoming_stt(tmp: Path) -> Iterator[Server]:
    with running(wyoming_whisper(tmp)) as server:
        yield server


@pytest.fixture
def car(speech_fr: Path) -> Pcm:
    """7.2 s of read French through the phone line ("... le contrôle de sa voiture ...")."""
    return phone_channel(decode_file(speech_fr / "fleurs-fr-005.ogg"))


async def test_wyoming_whisper_transcribes_a_turn(wyoming_stt: Server, car: Pcm) -> None:
    # Generous time: the server shares this box's two cores with everything else.
    settings = SttSettings(engine="wyoming", uri=wyoming_stt.uri, fallback="none", timeout_ms=SLOW)
    stt = make_transcriber(settings)
    transcript = await stt.transcribe(car, Hint("problem", "problem"))
    assert "voiture" in transcript.text
    assert transcript.seconds == pytest.approx(7.2, abs=0.1)
    assert transcript.confidence == 1.0 and transcript.alternatives == ()


async def test_wyoming_killed_mid_call_then_back(tmp: Path, car: Pcm) -> None:
    server = wyoming_whisper(tmp)
    settings = SttSettings(engine="wyoming", uri=server.uri, timeout_ms=SLOW)
    local = Local()
    stt = FallbackTranscriber(WyomingTranscriber(settings), local, "Wyoming STT")
    with running(server):
        assert "voiture" in (await stt.transcribe(car)).text
    # Killed (SIGKILL): the next turns are heard locally, without waiting for the server.
    started = time.monotonic()
    assert (await stt.transcribe(car)).text == "heard locally"
    assert (await stt.transcribe(car)).text == "heard locally"
    assert time.monotonic() - started < 1.0
    with running(wyoming_whisper(tmp, port=server.port)):
        await asyncio.sleep(FIRST_RETRY_S)
        assert "voiture" in (await stt.transcribe(car)).text  # noticed without a restart
    assert local.turns == 2 and not stt.outage.down


async def test_wyoming_without_fallback_raises_when_killed(tmp: Path, car: Pcm) -> None:
    server = wyoming_whisper(tmp)
    stt = make_transcriber(SttSettings(engine="wyoming", uri=server.uri, fallback="none"))
    with pytest.raises(SpeechUnavailableError):
        await stt.transcribe(car)


async def test_openai_compatible_server_transcribes_with_prompt(tmp: Path, car: Pcm) -> None:
    with running(openai_whisper(tmp)) as server:
        settings = SttSettings(engine="openai", uri=server.uri, fallback="none", timeout_ms=SLOW)
        stt = make_transcriber(settings)
        transcript = await stt.transcribe(car, Hint("problem", "problem"))
        town = await stt.transcribe(car[: 16000 * 2], Hint("town", "town", ("Bron", "Lyon")))
    assert "voiture" in transcript.text
    assert 0.2 < transcript.confidence < 1.0  # scored from the segments, as a local turn
    assert town.seconds == pytest.approx(2.0)


async def test_wyoming_piper_speaks_in_chunks(tmp: Path) -> None:
    with running(wyoming_piper(tmp)) as server:
        synth = make_synthesizer(
            TtsSettings(engine="wyoming", uri=server.uri, fallback="none", timeout_ms=30000)
        )
        assert synth.name == "wyoming" and synth.sample_rate == 16000
        pcm = await synth.synthesize("Hello, this is the plumber's answering service.")
        text = "Hello, this is the plumber's answering service. Please tell me your name."
        pieces = [p async for p in synth.stream(text, 8000)]
    seconds = pcm.size / 16000
    assert 1.5 < seconds < 6.0
    assert float(np.abs(pcm.astype(np.float32)).mean()) > 300  # speech, not silence
    assert len(pieces) == 2 and sum(p.size for p in pieces) / 8000 > seconds


def test_transcribe_cli_through_wyoming(
    wyoming_stt: Server, speech_fr: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = speech_fr / "fleurs-fr-005.ogg"
    dead = f"tcp://127.0.0.1:{free_port()}"
    code = decroche(
        ["transcribe", "--engine", "wyoming", "--uri", wyoming_stt.uri, "--phone", str(good)]
    )
    out, _ = capsys.readouterr()
    line = json.loads(out)
    assert code == 0 and line["file"] == str(good) and "voiture" in line["text"]
    assert line["seconds"] == pytest.approx(7.2, abs=0.1) and line["confidence"] == 1.0
    code = decroche(["transcribe", "--engine", "wyoming", "--uri", dead, str(good)])
    out, err = capsys.readouterr()
    assert code == 1 and out == "" and "ConnectionRefusedError" in err
