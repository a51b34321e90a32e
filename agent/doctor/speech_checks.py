"""Speech: the Whisper model loads, the TTS voice is there, and it speaks a word.

Loading is done for real (seconds for Whisper base) in a daemon thread with a time bound: a
model that hangs must not hang the doctor, and a daemon thread does not hold the exit.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from typing import TypeVar
from urllib.parse import urlsplit

from agent.doctor.checks import Check, CheckFailed, Context
from agent.speech import tts_engines
from agent.speech.settings import REMOTE_ENGINES, SttSettings
from agent.speech.tts import EngineBase, SynthesisError, TtsUnavailableError
from agent.speech.whisper_engine import ModelNotFoundError, load_model

T = TypeVar("T")
LOAD_TIMEOUT_S = 120.0
SPEAK_TEXT = "Bonjour"
MIN_SPOKEN_S = 0.1  # "Bonjour" is ~0.5 s in every engine; less is a broken engine


class _Overtime(Exception):
    pass


async def _in_thread(fn: Callable[[], T], timeout_s: float) -> T:
    """Run `fn` in a daemon thread; _Overtime after timeout_s (the thread is left behind)."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def target() -> None:
        try:
            value = fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the awaiting coroutine
            loop.call_soon_threadsafe(_settle, future, None, exc)
        else:
            loop.call_soon_threadsafe(_settle, future, value, None)

    threading.Thread(target=target, daemon=True, name="doctor-load").start()
    try:
        return await asyncio.wait_for(future, timeout_s)
    except TimeoutError:
        raise _Overtime from None


def _settle(future: asyncio.Future[T], value: T | None, exc: BaseException | None) -> None:
    if future.done():
        return
    if exc is not None:
        future.set_exception(exc)
    else:
        future.set_result(value)  # type: ignore[arg-type]


async def _server_answers(uri: str, timeout_s: float) -> str:
    parts = urlsplit(uri)
    host, port = parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)
    if host is None:
        raise CheckFailed(f"{uri!r} names no host", "set uri to tcp://HOST:PORT or http://...")
    try:
        _, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout_s)
    except (OSError, TimeoutError) as exc:
        raise CheckFailed(
            f"speech server {uri} does not answer ({exc})", "start it, or check uri"
        ) from None
    writer.close()
    return f"server {uri} answers"


async def stt_model(ctx: Context) -> str:
    stt = ctx.require_config().stt
    said = []
    if stt.engine in REMOTE_ENGINES:
        said.append(await _server_answers(stt.uri or "", stt.timeout_ms / 1000 + 2))
        if stt.fallback != "local":
            return said[0]
    said.append(await _load_whisper(stt))
    return "; ".join(said)


async def _load_whisper(stt: SttSettings) -> str:
    started = time.monotonic()
    try:
        model = await _in_thread(lambda: load_model(stt), LOAD_TIMEOUT_S)
    except ModelNotFoundError as exc:
        fix = f"run `decroche models install` (models folder {stt.models_dir})"
        raise CheckFailed(str(exc), fix) from None
    except _Overtime:
        raise CheckFailed(
            f"Whisper {stt.model!r} did not load within {LOAD_TIMEOUT_S:.0f} s",
            "check the box's memory and CPU (free -m, top); try a smaller model",
        ) from None
    except (RuntimeError, ValueError, OSError) as exc:  # CTranslate2's errors for a bad model
        raise CheckFailed(
            f"Whisper {stt.model!r} is there but does not load: {exc}",
            "reinstall it: `decroche models install` (delete the broken folder first)",
        ) from None
    del model
    took = time.monotonic() - started
    return f"Whisper {stt.model!r} ({stt.compute_type}) loaded in {took:.1f} s"


async def tts_voice(ctx: Context) -> str:
    tts = ctx.require_config().tts
    if tts.engine in REMOTE_ENGINES:
        said = await _server_answers(tts.uri or "", tts.timeout_ms / 1000 + 2)
        if tts.fallback != "local":
            return said
    try:
        engine = tts_engines.create(tts.engine, tts)
    except TtsUnavailableError as exc:
        raise CheckFailed(
            f"TTS engine {tts.engine!r} unavailable: {exc}",
            f"install it (`decroche models install`; models folder {tts.models_dir}) or "
            "choose another [tts] engine",
        ) from None
    ctx.shared["tts"] = engine
    return f"TTS engine {tts.engine!r} ready ({type(engine).__name__})"


async def tts_speaks(ctx: Context) -> str:
    engine = ctx.shared.get("tts")
    if not isinstance(engine, EngineBase):
        raise CheckFailed("no TTS engine was built", "see tts_voice")
    timeout = ctx.require_config().tts.timeout_s + 5
    try:
        pcm = await _in_thread(lambda: engine.synthesize_sync(SPEAK_TEXT), timeout)
    except (SynthesisError, OSError) as exc:
        raise CheckFailed(f"{engine.name} failed to say {SPEAK_TEXT!r}: {exc}",
                          "run the engine by hand to see its error") from None  # fmt: skip
    except _Overtime:
        raise CheckFailed(f"{engine.name} took over {timeout:.0f} s to say {SPEAK_TEXT!r}",
                          "check the box's load (top)") from None  # fmt: skip
    seconds = len(pcm) / engine.sample_rate
    if seconds < MIN_SPOKEN_S or not pcm.any():
        raise CheckFailed(
            f"{engine.name} returned {seconds:.2f} s of audio for {SPEAK_TEXT!r} (silent or empty)",
            "reinstall the voice (decroche models install)",
        )
    return f"{engine.name} said {SPEAK_TEXT!r}: {seconds:.2f} s of audio at {engine.sample_rate} Hz"


CHECKS = (
    Check("stt_model", "speech recognition model loads", stt_model, timeout_s=LOAD_TIMEOUT_S + 10),
    Check("tts_voice", "TTS voice present", tts_voice),
    Check("tts_speaks", "TTS speaks", tts_speaks, ("tts_voice",)),
)
