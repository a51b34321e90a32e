"""Remote speech engines when their server fails: no server, too slow, garbage, and the
outage bookkeeping (one warning per outage, the server's return noticed). No model needed:
the servers here are fakes or absent, the local engine a stand-in that says it answered."""

from __future__ import annotations

import logging
import time

import numpy as np
import pytest

from agent.config import ConfigError, load_config
from agent.speech.audio import Pcm
from agent.speech.hint import Hint
from agent.speech.openai_client import parse
from agent.speech.remote import Outage, RemoteSpeechError, SpeechUnavailableError
from agent.speech.remote_stt import FallbackTranscriber, WyomingTranscriber
from agent.speech.remote_tts import WyomingSynthesizer
from agent.speech.settings import SttSettings
from agent.speech.stt import Transcript
from agent.speech.stt_engines import make_transcriber
from tests.speech.servers import FakeWyoming, free_port

TURN = np.full(16000, 500, dtype=np.int16)


class Local:
    """The box's own engine, standing in: it says it answered."""

    def __init__(self) -> None:
        self.turns = 0

    async def transcribe(self, pcm16k: Pcm, hint: Hint | None = None) -> Transcript:
        self.turns += 1
        return Transcript("heard locally", pcm16k.size / 16000, 0.1, "fr")


def _wyoming(uri: str, timeout_ms: int = 1000) -> WyomingTranscriber:
    return WyomingTranscriber(SttSettings(engine="wyoming", uri=uri, timeout_ms=timeout_ms))


def _warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


async def test_server_down_at_start_falls_back_and_warns_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    local = Local()
    stt = FallbackTranscriber(_wyoming(f"tcp://127.0.0.1:{free_port()}"), local, "STT server")
    for _ in range(5):
        assert (await stt.transcribe(TURN)).text == "heard locally"
    assert local.turns == 5
    down = [m for m in _warnings(caplog) if "STT server failed" in m]
    assert len(down) == 1, down
    assert "ConnectionRefusedError" in down[0]


async def test_server_down_without_fallback_raises_the_typed_error() -> None:
    stt = FallbackTranscriber(_wyoming(f"tcp://127.0.0.1:{free_port()}"), None, "STT server")
    with pytest.raises(SpeechUnavailableError, match="ConnectionRefusedError"):
        await stt.transcribe(TURN)


async def test_slower_than_timeout_uses_local_within_the_timeout() -> None:
    answer = b'{"type": "transcript", "data": {"text": "trop tard"}}\n'
    async with FakeWyoming(answer, delay_s=3.0) as server:
        stt = FallbackTranscriber(_wyoming(server.uri, timeout_ms=300), Local(), "STT server")
        started = time.monotonic()
        transcript = await stt.transcribe(TURN)
    assert transcript.text == "heard locally"
    assert time.monotonic() - started < 1.5


async def test_answer_within_timeout_is_the_servers() -> None:
    answer = b'{"type": "transcript", "data": {"text": "  Bonjour, une fuite.  "}}\n'
    async with FakeWyoming(answer, delay_s=0.05) as server:
        stt = FallbackTranscriber(_wyoming(server.uri), Local(), "STT server")
        transcript = await stt.transcribe(TURN)
    assert transcript.text == "Bonjour, une fuite."
    assert transcript.seconds == pytest.approx(1.0)


@pytest.mark.parametrize(
    "garbage",
    [
        b"HTTP/1.1 400 Bad Request\r\n\r\n",  # not the protocol at all
        b"[1, 2, 3]\n",  # JSON, not an event
        b'{"data": {"text": "x"}}\n',  # an event without a type
        b'{"type": "transcript", "data": {"text": 42}}\n',  # text that is not text
        b'{"type": "error", "data": {"text": "model failed"}}\n',
        b"",  # closed without a word
    ],
)
async def test_garbage_answers_are_failures(garbage: bytes) -> None:
    async with FakeWyoming(garbage) as server:
        with pytest.raises(RemoteSpeechError):
            await _wyoming(server.uri).transcribe(TURN)
        stt = FallbackTranscriber(_wyoming(server.uri), Local(), "STT server")
        assert (await stt.transcribe(TURN)).text == "heard locally"


@pytest.mark.parametrize(
    "body",
    [b"<html>proxy error</html>", b'{"error": "no model"}', b'["text"]', b'{"text": null}'],
)
def test_openai_garbage_is_a_failure(body: bytes) -> None:
    with pytest.raises(RemoteSpeechError):
        parse(body)


def test_openai_scores_become_a_confidence() -> None:
    body = (
        b'{"text": " Oui.", "segments": [{"avg_logprob": -0.2, "no_speech_prob": 0.1,'
        b' "tokens": [1, 2, 3]}, {"avg_logprob": -0.6, "no_speech_prob": 0.3, "tokens": [4]}]}'
    )
    reading = parse(body)
    assert reading.text == " Oui."
    assert reading.mean_logprob == pytest.approx(-0.3)
    assert reading.no_speech_prob == pytest.approx(0.3)
    assert parse(b'{"text": "Oui."}').probability is None


def test_outage_warns_once_backs_off_and_notices_the_return(
    caplog: pytest.LogCaptureFixture,
) -> None:
    now = [100.0]
    outage = Outage("server", clock=lambda: now[0])
    outage.failed(OSError("refused"), "local")
    assert outage.down and not outage.worth_trying()
    now[0] += 2.0
    assert outage.worth_trying()  # first retry after 2 s
    outage.failed(OSError("refused"), "local")
    now[0] += 2.0
    assert not outage.worth_trying()  # then 4 s
    now[0] += 2.0
    assert outage.worth_trying()
    for _ in range(10):
        outage.failed(OSError("refused"), "local")
    now[0] += 30.0
    assert outage.worth_trying()  # never more than 30 s apart
    outage.succeeded()
    assert not outage.down and outage.worth_trying()
    messages = _warnings(caplog)
    assert sum("server failed" in m for m in messages) == 1
    assert sum("answers again after" in m for m in messages) == 1
    outage.failed(OSError("reset"), "local")  # a second outage: a second warning
    assert outage.outages == 2


class Voice:
    name = "pico"
    sample_rate = 8000

    async def synthesize(self, text: str) -> Pcm:
        return np.full(800, 1000, dtype=np.int16)  # 100 ms


async def test_tts_server_down_speaks_with_the_local_voice() -> None:
    uri = f"tcp://127.0.0.1:{free_port()}"
    synth = WyomingSynthesizer(uri, None, 500, Voice())  # type: ignore[arg-type]
    pcm = await synth.synthesize("Bonjour.")
    assert pcm.size == 1600  # 100 ms at the engine's 16 kHz
    text = "Bonjour, vous êtes bien chez le plombier. Une fuite sous l'évier, c'est bien noté."
    chunks = [c async for c in synth.stream(text, 8000)]
    assert sum(c.size for c in chunks) == pytest.approx(1600, abs=40)  # 2 x 100 ms at 8 kHz
    with pytest.raises(SpeechUnavailableError):
        await WyomingSynthesizer(uri, None, 500, None).synthesize("Bonjour.")


def test_config_requires_uri_and_accepts_local() -> None:
    with pytest.raises(ConfigError, match=r"stt\.uri"):
        load_config(None, {"stt": {"engine": "wyoming"}})
    with pytest.raises(ConfigError, match=r"tts\.uri"):
        load_config(None, {"tts": {"engine": "wyoming"}})
    with pytest.raises(ConfigError, match=r"stt\.fallback"):
        load_config(None, {"stt": {"engine": "openai", "uri": "http://x/v1", "fallback": "no"}})
    config = load_config(
        None, {"stt": {"engine": "wyoming", "uri": "tcp://h:1", "fallback": "none"}}
    )
    assert config.stt.timeout_ms == 2500 and config.stt.fallback == "none"
    assert isinstance(make_transcriber(config.stt), FallbackTranscriber)
    assert load_config(None, {"stt": {"engine": "local"}}).stt.engine == "local"
