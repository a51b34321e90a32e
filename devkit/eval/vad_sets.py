"""Labelled audio for the VAD comparison (devkit.eval.vad), all as heard through the
simulated 8 kHz μ-law phone channel:

- speech: speech-fr (real read French) at a nominal, a quiet and two noisy line conditions,
  with a second of line hiss before and two after, so the true start and end are known;
- noise: white, pink and brown noise at four levels, mains hum, clicks, comfort noise;
- distant: a voice far behind the line (television, another room), not the caller's;
- echo: the agent's own Pico prompts coming back as a line echo while it speaks, alone
  (nothing may count as speech) or with a caller talking over them (a barge-in to detect).

Truth per 20 ms frame comes from the clean recording: a frame is speech when it is within
`ACTIVE_DB` of the clip's active speech level; the span between the first and the last such
frame is the utterance, and quieter frames inside it (pauses) count neither way.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from pathlib import Path

import numpy as np
import numpy.typing as npt

from agent.speech.audio import (
    FRAME_16K,
    FRAME_MS,
    STT_RATE,
    Pcm,
    band_pass,
    decode_file,
    phone_channel,
    set_speech_level,
    speech_level_db,
)

# Frames this far under the clip's active speech level are not speech (pauses, breath).
ACTIVE_DB = 25.0
# The utterance's bounds: RUN frames (60 ms) running within BOUND_DB of the active level.
BOUND_DB = 20.0
RUN = 3
# Idle line under everything: a quiet but real hiss (digital silence never happens on PSTN).
LINE_HISS_DB = -62.0
LEAD_S = 1.0
TAIL_S = 2.0
# Where the caller starts talking over the agent's prompt (seconds into the prompt).
BARGE_AT_S = 0.3

Floats = npt.NDArray[np.float64]
Labels = npt.NDArray[np.int8]  # 1 speech, 0 not speech, -1 do not score (pause in speech)


@dataclass(frozen=True, eq=False)
class Item:
    """One clip to feed frame by frame. `speaking[i]`: the agent is talking at frame i."""

    name: str
    kind: str  # speech | noise | distant | echo | barge
    split: str  # dev (looked at while building) | test (held out, reported)
    pcm: Pcm = field(repr=False)
    labels: Labels = field(repr=False)
    speaking: npt.NDArray[np.bool_] = field(repr=False)
    start_frame: int = -1  # first speech frame (speech, barge); -1 where there is none
    end_frame: int = -1  # last speech frame

    @property
    def frames(self) -> int:
        return self.pcm.size // FRAME_16K


def _frame_db(pcm: Pcm) -> Floats:
    n = pcm.size // FRAME_16K
    f = pcm[: n * FRAME_16K].astype(np.float64).reshape(n, FRAME_16K)
    power = np.mean(f * f, axis=1) / 32768.0**2
    return np.asarray(10.0 * np.log10(np.maximum(power, 1e-12)), dtype=np.float64)


def speech_truth(clean: Pcm) -> tuple[Labels, int, int]:
    """Labels of a clean utterance: speech frames, unscored pauses, silence around.

    The utterance spans the first to the last run of `RUN` frames within `BOUND_DB` of the
    active level (a lone click or breath before the first word does not start it); inside,
    frames within `ACTIVE_DB` are speech and the rest are pauses.
    """
    db = _frame_db(clean)
    level = speech_level_db(clean)
    loud = db > level - BOUND_DB
    runs = np.convolve(loud.astype(np.int64), np.ones(RUN, dtype=np.int64), mode="valid")
    idx = np.nonzero(runs == RUN)[0]
    labels = np.zeros(db.size, dtype=np.int8)
    if idx.size == 0:
        return labels, -1, -1
    first, last = int(idx[0]), int(idx[-1]) + RUN - 1
    active = db[first : last + 1] > level - ACTIVE_DB
    labels[first : last + 1] = np.where(active, 1, -1)
    return labels, first, last


def coloured_noise(seconds: float, level_db: float, colour: str, seed: int) -> Pcm:
    """White, pink (1/f power) or brown (1/f^2) noise at an RMS level in dBFS."""
    rng = np.random.default_rng(seed)
    n = int(seconds * STT_RATE)
    spectrum = np.fft.rfft(rng.standard_normal(n))
    freqs = np.fft.rfftfreq(n, d=1.0 / STT_RATE)
    exponent = {"white": 0.0, "pink": 0.5, "brown": 1.0}[colour]
    spectrum *= 1.0 / np.maximum(freqs, 20.0) ** exponent  # no DC drift below 20 Hz
    noise = np.fft.irfft(spectrum, n=n)
    return _at_level(noise, level_db)


def _at_level(x: Floats, level_db: float) -> Pcm:
    rms = float(np.sqrt(np.mean(x * x))) or 1.0
    scaled = x / rms * 10 ** (level_db / 20) * 32768.0
    return np.clip(np.round(scaled), -32768, 32767).astype(np.int16)


def line(pcm: Pcm) -> Pcm:
    """Through the phone channel at the level it already has (band, 8 kHz, μ-law)."""
    return phone_channel(pcm, level_db=speech_level_db(pcm))


def _mix(*parts: Pcm) -> Pcm:
    n = max(p.size for p in parts)
    total = np.zeros(n, dtype=np.float64)
    for p in parts:
        total[: p.size] += p
    return np.clip(total, -32768, 32767).astype(np.int16)


def _hiss(seconds: float, seed: int) -> Pcm:
    return coloured_noise(seconds, LINE_HISS_DB, "pink", seed)


def _pad_frames(pcm: Pcm) -> Pcm:
    return pcm[: pcm.size // FRAME_16K * FRAME_16K]


# Speech conditions: (name, caller level dBFS, noise colour or "", noise level dBFS).
SPEECH_CONDITIONS = (
    ("nominal", -26.0, "", 0.0),
    ("quiet", -36.0, "", 0.0),
    ("pink15dB", -26.0, "pink", -41.0),
    ("brown10dB", -26.0, "brown", -36.0),
)


def speech_items(folder: Path, stems: tuple[str, ...] = ()) -> Iterator[Item]:
    clips = sorted(folder.glob("*.ogg"))
    if stems:
        clips = [c for c in clips if c.stem in stems]
    if not clips:
        raise FileNotFoundError(f"no speech-fr clips in {folder}")
    lead, tail = int(LEAD_S * STT_RATE), int(TAIL_S * STT_RATE)
    for seed, clip in enumerate(clips):
        split = "dev" if seed < len(clips) // 2 else "test"
        raw = decode_file(clip)
        for name, level, colour, noise_db in SPEECH_CONDITIONS:
            clean = set_speech_level(raw, level)
            padded = np.concatenate([np.zeros(lead, np.int16), clean, np.zeros(tail, np.int16)])
            padded = _pad_frames(padded)
            labels, first, last = speech_truth(padded)
            noisy = (
                [coloured_noise(padded.size / STT_RATE, noise_db, colour, seed)] if colour else []
            )
            pcm = line(_mix(padded, _hiss(padded.size / STT_RATE, seed), *noisy))
            speaking = _never(labels)
            yield Item(f"{clip.stem}/{name}", "speech", split, pcm, labels, speaking, first, last)


def distant_items(folder: Path) -> Iterator[Item]:
    """A voice far behind the line (a television, someone across the room) at -50 and -56
    dBFS, 24-30 dB under a caller: not the caller, so no frame of it should make a turn."""
    clips = sorted(folder.glob("*.ogg"))
    half = len(clips) // 2
    for split, pool in (("dev", clips[:half]), ("test", clips[half:])):
        for k, level in enumerate((-50.0, -56.0)):
            raw = set_speech_level(decode_file(pool[k % len(pool)]), level)
            pcm = line(_pad_frames(_mix(raw, _hiss(raw.size / STT_RATE, k))))
            labels = np.zeros(pcm.size // FRAME_16K, dtype=np.int8)
            yield Item(
                f"{pool[k % len(pool)].stem}/voice{level:.0f}",
                "distant",
                split,
                pcm,
                labels,
                _never(labels),
            )


def _never(labels: Labels) -> npt.NDArray[np.bool_]:
    return np.zeros(labels.size, dtype=np.bool_)


def _hum(seconds: float, level_db: float) -> Pcm:
    t = np.arange(int(seconds * STT_RATE)) / STT_RATE
    hum = sum(np.sin(2 * np.pi * 50.0 * k * t) / k for k in range(1, 21))  # mains, harmonics
    return _at_level(np.asarray(hum, dtype=np.float64), level_db)


def _clicks(seconds: float, per_second: float, seed: int) -> Pcm:
    rng = np.random.default_rng(seed)
    out = np.zeros(int(seconds * STT_RATE), dtype=np.float64)
    decay = np.exp(-np.arange(48) / 8.0)  # 3 ms burst
    for at in rng.uniform(0, out.size - 48, int(seconds * per_second)).astype(int):
        out[at : at + 48] += rng.choice((-1.0, 1.0)) * 0.3 * 32768 * decay * rng.uniform(0.3, 1)
    return np.clip(out, -32768, 32767).astype(np.int16)


def _comfort_noise(seconds: float, seed: int) -> Pcm:
    """Digital silence alternating with comfort noise at -70/-60 dBFS, as a line with DTX."""
    rng = np.random.default_rng(seed)
    parts: list[Pcm] = []
    while sum(p.size for p in parts) < seconds * STT_RATE:
        parts.append(np.zeros(int(rng.uniform(0.3, 1.2) * STT_RATE), np.int16))
        level = float(rng.choice((-70.0, -60.0)))
        parts.append(coloured_noise(rng.uniform(0.5, 1.5), level, "white", int(rng.integers(99))))
    return np.concatenate(parts)[: int(seconds * STT_RATE)]


def noise_items(seconds: float = 8.0) -> Iterator[Item]:
    """Each noise twice: dev and test differ by seed and by 5 dB of level."""
    for split, seed, shift in (("dev", 10, 0.0), ("test", 110, 5.0)):
        for name, pcm in _noises(seconds, seed, shift):
            pcm = line(_pad_frames(pcm))
            labels = np.zeros(pcm.size // FRAME_16K, dtype=np.int8)
            yield Item(name, "noise", split, pcm, labels, _never(labels))


def _noises(seconds: float, seed: int, shift: float) -> list[tuple[str, Pcm]]:
    made: list[tuple[str, Pcm]] = []
    for i, colour in enumerate(("white", "pink", "brown")):
        for level in (-60.0 + shift, -50.0 + shift, -40.0 + shift, -30.0 + shift):
            made.append((f"{colour}{level:.0f}", coloured_noise(seconds, level, colour, seed + i)))
    made += [(f"hum{lv:.0f}", _hum(seconds, lv)) for lv in (-40.0 + shift, -30.0 + shift)]
    for rate in (2.0, 8.0):
        clicks = _mix(_clicks(seconds, rate, seed), _hiss(seconds, seed))
        made.append((f"clicks{rate:.0f}/s", clicks))
    made.append(("comfort", _comfort_noise(seconds, seed)))
    return made


def agent_prompts() -> tuple[str, ...]:
    """The agent's own longer sentences (no placeholders), as it says them on calls."""
    from agent.dialogue.settings import DialogueSettings

    d = DialogueSettings()
    texts = [getattr(d, f.name) for f in fields(d)]
    return tuple(t for t in texts if isinstance(t, str) and "{" not in t and len(t) > 40)


def echo_path(agent_out: Pcm, erl_db: float, seed: int) -> Pcm:
    """The agent's voice as its own line echo: 8 kHz μ-law out, a hybrid's short dispersive
    response (~8 ms) 30 ms late, `erl_db` under the agent's nominal -26 dB output."""
    sent = line(set_speech_level(agent_out, -26.0))
    rng = np.random.default_rng(seed)
    response = rng.standard_normal(128) * np.exp(-np.arange(128) / 32.0)
    echoed = np.convolve(sent.astype(np.float64), response)[: sent.size]
    delayed = np.concatenate([np.zeros(int(0.030 * STT_RATE)), echoed])[: sent.size]
    shaped = band_pass(_at_level(delayed, -26.0), STT_RATE)
    return set_speech_level(shaped, -26.0 - erl_db)


ECHO_ERL_DB = (12.0, 18.0, 24.0)
BARGE_CONDITIONS = ((18.0, -26.0), (18.0, -32.0), (12.0, -26.0))  # (ERL, caller level)


def echo_items(prompts: list[Pcm], callers: list[Pcm]) -> Iterator[Item]:
    """`prompts`: the agent's synthesized sentences at 16 kHz; `callers`: clean utterances
    (the first half dev, the rest test, as in speech_items). Even prompts are dev."""
    half = len(callers) // 2
    for i, prompt in enumerate(prompts):
        split = "dev" if i % 2 == 0 else "test"
        pool = callers[:half] if split == "dev" else callers[half:]
        for erl in ECHO_ERL_DB:
            echo = _pad_frames(echo_path(prompt, erl, i))
            pcm = line(_mix(echo, _hiss(echo.size / STT_RATE, i)))
            labels = np.zeros(pcm.size // FRAME_16K, dtype=np.int8)
            yield Item(f"prompt{i}/erl{erl:.0f}", "echo", split, pcm, labels, labels == 0)
        for j, (erl, level) in enumerate(BARGE_CONDITIONS):
            caller = set_speech_level(_trim_lead(pool[(i + j) % len(pool)]), level)
            name = f"prompt{i}/erl{erl:.0f}/caller{level:.0f}"
            yield _barge(name, split, prompt, caller, erl, i)


def _trim_lead(clip: Pcm) -> Pcm:
    """From 100 ms before the first word: the caller talks over the prompt, not after it."""
    _, first, _ = speech_truth(clip)
    return clip[max(0, first * FRAME_16K - STT_RATE // 10) :]


def _barge(name: str, split: str, prompt: Pcm, caller: Pcm, erl: float, seed: int) -> Item:
    at = int(BARGE_AT_S * STT_RATE)
    echo = echo_path(prompt, erl, seed)
    talk = _pad_frames(np.concatenate([np.zeros(at, np.int16), caller]))
    labels, first, last = speech_truth(talk)
    pcm = line(_mix(talk, echo, _hiss(talk.size / STT_RATE, seed)))[: talk.size]
    # The agent talks until its prompt ends (the detector's BargeIn stops it earlier).
    speaking = np.arange(labels.size) < prompt.size // FRAME_16K
    return Item(name, "barge", split, pcm, labels, speaking, first, last)


def frame_ms(frame: int) -> int:
    return frame * FRAME_MS
