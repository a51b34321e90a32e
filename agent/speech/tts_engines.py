"""TTS engines: Piper (neural, needs a voice file), SVOX Pico (offline French default),
espeak-ng (last resort). Each turns text into int16 PCM at its native rate, blocking.

`ENGINES` maps each `[tts] engine` name to the function that builds it from TtsSettings, in
fallback order, and is the list of names the config accepts (agent.config checks it at load);
`make_synthesizer` takes the configured one, else the next that runs here. A new engine is a
class and one entry there, plus its keys in agent.speech.settings if it has any.
"""

from __future__ import annotations

import io
import logging
import os
import shutil
import subprocess
import tempfile
import wave
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from agent.speech.audio import Pcm
from agent.speech.paths import piper_dir
from agent.speech.pico import PicoCommand, find_pico
from agent.speech.settings import TtsSettings
from agent.speech.tts import EngineBase, SynthesisError, Synthesizer, TtsUnavailableError

log = logging.getLogger(__name__)


def read_wav(data: bytes) -> tuple[Pcm, int]:
    """Mono 16-bit WAV bytes to (samples, rate). Tolerates the bogus sizes of piped WAVs."""
    try:
        with wave.open(io.BytesIO(data), "rb") as wav:
            rate, width, channels = wav.getframerate(), wav.getsampwidth(), wav.getnchannels()
            frames = wav.readframes(wav.getnframes())
    except (wave.Error, EOFError) as exc:
        raise SynthesisError(f"engine produced no valid WAV ({exc})") from exc
    if width != 2:
        raise SynthesisError(f"expected 16-bit audio, got {8 * width}-bit")
    samples = np.frombuffer(frames[: len(frames) // 2 * 2], dtype="<i2").astype(np.int16)
    if channels > 1:
        samples = samples.reshape(-1, channels)[:, 0].copy()
    return samples, rate


class PicoSynthesizer(EngineBase):
    """SVOX Pico through pico2wave (16 kHz). ~50 ms for a 6 s sentence on one core."""

    name = "pico"
    sample_rate = 16000

    def __init__(self, command: PicoCommand, language: str = "fr-FR", timeout_s: float = 10.0):
        self.command = command
        self.language = language
        self.timeout_s = timeout_s

    def synthesize_sync(self, text: str) -> Pcm:
        # Pico reads <...> as markup (speed, pitch tags): plain text only from here.
        text = text.replace("<", " ").replace(">", " ")
        env = {**os.environ, **self.command.env}
        with tempfile.TemporaryDirectory(prefix="pico-") as tmp:
            out = Path(tmp) / "speech.wav"
            try:
                result = subprocess.run(
                    [str(self.command.binary), "-l", self.language, "-w", str(out), "--", text],
                    cwd=self.command.cwd,
                    env=env,
                    capture_output=True,
                    timeout=self.timeout_s,
                    check=False,
                )
            except subprocess.TimeoutExpired as exc:
                raise SynthesisError(f"pico2wave took over {self.timeout_s} s") from exc
            if result.returncode != 0 or not out.is_file():
                raise SynthesisError(
                    f"pico2wave failed ({result.returncode}): "
                    f"{result.stderr.decode(errors='replace').strip()}"
                )
            samples, _ = read_wav(out.read_bytes())
        return samples


class EspeakSynthesizer(EngineBase):
    """espeak-ng: always installable from Debian main, robotic, last resort."""

    name = "espeak"
    sample_rate = 22050

    def __init__(
        self, binary: str, voice: str = "fr", words_per_minute: int = 160, timeout_s: float = 10.0
    ) -> None:
        self.binary = binary
        self.voice = voice
        self.words_per_minute = words_per_minute
        self.timeout_s = timeout_s

    def synthesize_sync(self, text: str) -> Pcm:
        try:
            result = subprocess.run(
                [
                    self.binary,
                    "-v",
                    self.voice,
                    "-s",
                    str(self.words_per_minute),
                    "--stdout",
                    "--",
                    text,
                ],
                capture_output=True,
                timeout=self.timeout_s,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise SynthesisError(f"espeak-ng took over {self.timeout_s} s") from exc
        if result.returncode != 0:
            raise SynthesisError(f"espeak-ng failed: {result.stderr.decode(errors='replace')}")
        samples, rate = read_wav(result.stdout)
        self.sample_rate = rate
        return samples


class PiperSynthesizer(EngineBase):
    """Piper neural TTS through its Python API (ONNX runtime); voice .onnx + .onnx.json."""

    name = "piper"

    def __init__(self, voice_path: Path, length_scale: float = 1.0) -> None:
        from piper import PiperVoice, SynthesisConfig

        config = voice_path.with_name(voice_path.name + ".json")
        if not (voice_path.is_file() and config.is_file()):
            raise TtsUnavailableError(f"Piper voice {voice_path} (and {config.name}) not found")
        self.voice_path = voice_path
        self._voice: Any = PiperVoice.load(voice_path, config_path=config)
        self._config: Any = SynthesisConfig(length_scale=length_scale)
        self.sample_rate = int(self._voice.config.sample_rate)

    def synthesize_sync(self, text: str) -> Pcm:
        chunks = [c.audio_int16_array for c in self._voice.synthesize(text, self._config)]
        if not chunks:
            return np.zeros(0, dtype=np.int16)
        return np.concatenate(chunks).astype(np.int16)


def find_piper_voice(settings: TtsSettings) -> Path | None:
    """The configured voice, else the first French voice the installer put in the models dir."""
    if settings.piper_voice is not None:
        return settings.piper_voice
    voices = sorted(piper_dir(settings.models_dir).glob("fr_*.onnx"))
    return voices[0] if voices else None


def _pico(settings: TtsSettings) -> EngineBase:
    command = find_pico(settings.models_dir)
    if command is None:
        raise TtsUnavailableError("SVOX Pico not installed: run `make models`")
    return PicoSynthesizer(command, settings.pico_language, settings.timeout_s)


def _espeak(settings: TtsSettings) -> EngineBase:
    binary = shutil.which("espeak-ng")
    if binary is None:
        raise TtsUnavailableError("espeak-ng not found: apt-get install espeak-ng")
    return EspeakSynthesizer(
        binary, settings.espeak_voice, settings.espeak_words_per_minute, settings.timeout_s
    )


def _piper(settings: TtsSettings) -> EngineBase:
    voice = find_piper_voice(settings)
    if voice is None:
        raise TtsUnavailableError(
            "no French Piper voice installed: run `python voices/install.py "
            "fr_FR-siwis-medium` (needs internet) or set tts.piper_voice"
        )
    return PiperSynthesizer(voice, settings.piper_length_scale)


def _wyoming(settings: TtsSettings) -> EngineBase:
    """A Wyoming TTS server (agent.speech.remote_tts); with `fallback = "local"`, the first
    engine of this box that runs speaks the sentences the server fails."""
    from agent.speech.remote_tts import WyomingSynthesizer

    if not settings.uri:
        raise TtsUnavailableError("tts.uri is not set (tcp://HOST:PORT of the Wyoming server)")
    local = _first_local(settings) if settings.fallback == "local" else None
    return WyomingSynthesizer(settings.uri, settings.voice, settings.timeout_ms, local)


# Fallback order: the best voice first, the one always installable last. Remote engines come
# after: they are chosen, never fallen back to.
ENGINES: dict[str, Callable[[TtsSettings], EngineBase]] = {
    "piper": _piper,
    "pico": _pico,
    "espeak": _espeak,
    "wyoming": _wyoming,
}
REMOTE = ("wyoming",)


def _first_local(settings: TtsSettings) -> EngineBase:
    reasons: list[str] = []
    for name in (e for e in ENGINES if e not in REMOTE):
        try:
            return create(name, settings)
        except TtsUnavailableError as exc:
            reasons.append(f"{name}: {exc}")
    raise TtsUnavailableError("no local TTS engine to fall back to: " + "; ".join(reasons))


def create(name: str, settings: TtsSettings) -> EngineBase:
    """One engine by name; TtsUnavailableError says what is missing and how to get it."""
    build = ENGINES.get(name)
    if build is None:
        raise TtsUnavailableError(f"unknown TTS engine {name!r}")
    return build(settings)


def engine_order(preferred: str) -> list[str]:
    """The preferred engine first, then the local others in the fallback order of ENGINES."""
    return [preferred, *(e for e in ENGINES if e != preferred and e not in REMOTE)]


def make_synthesizer(settings: TtsSettings) -> Synthesizer:
    """The configured engine, or the first available fallback (logged). Raises if none."""
    reasons: list[str] = []
    for name in engine_order(settings.engine):
        try:
            engine = create(name, settings)
        except TtsUnavailableError as exc:
            reasons.append(f"{name}: {exc}")
            continue
        if name != settings.engine:
            log.warning(
                "TTS engine %s unavailable (%s); using %s", settings.engine, reasons[0], name
            )
        else:
            log.info("TTS engine %s at %d Hz", name, engine.sample_rate)
        return engine
    raise TtsUnavailableError("no TTS engine available: " + "; ".join(reasons))
