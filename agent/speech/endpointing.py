"""End-of-turn detection: 20 ms frames in, typed turn events out.

One `TurnDetector` per call. Feed every inbound frame (16 kHz int16, 320 samples) to `feed`,
telling it whether the agent is speaking; act on the events it returns:

- `BargeIn`       the caller talked over the agent long enough: stop playback now.
- `SpeechStarted` a caller turn began (`at_ms` includes no pre-roll).
- `SpeechEnded`   the turn is over: `pcm16k` (pre-roll included) goes to the transcriber.

Times are milliseconds of call audio fed so far (frame count x 20), not wall time, so the
detector is deterministic and testable with recorded audio.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

import numpy as np

from agent.speech.audio import FRAME_16K, FRAME_MS, STT_RATE, Pcm, Resampler
from agent.speech.settings import TurnSettings
from agent.speech.vad import FrameClassifier


@dataclass(frozen=True)
class SpeechStarted:
    at_ms: int
    barge_in: bool = False


@dataclass(frozen=True)
class BargeIn:
    at_ms: int


@dataclass(frozen=True, eq=False)
class SpeechEnded:
    pcm16k: Pcm = field(repr=False)
    started_ms: int
    ended_ms: int
    # started_ms/ended_ms bound the speech itself; pcm16k also holds pre-roll and ~200 ms of
    # trailing silence. True `truncated`: max_utterance_ms cut the turn, not a pause.
    truncated: bool = False
    # The turn began by talking over the agent (see BargeIn).
    barge_in: bool = False

    @property
    def seconds(self) -> float:
        return self.pcm16k.size / 16000.0


@dataclass(frozen=True, eq=False)
class SpeechPaused:
    """`eager_silence_ms` of silence in a turn: `turn` is what SpeechEnded will hold if the
    caller stays silent (same audio, same bounds), so it may be transcribed already."""

    turn: SpeechEnded


TurnEvent = SpeechStarted | BargeIn | SpeechEnded | SpeechPaused


def _frames(ms: int) -> int:
    return max(1, -(-ms // FRAME_MS))


class TurnDetector:
    """Idle -> candidate (voiced frames accumulate) -> in turn -> ended, per call."""

    def __init__(self, settings: TurnSettings | None = None) -> None:
        self.settings = settings or TurnSettings()
        s = self.settings
        # The silence that ends a turn; the call layer lengthens it for some questions.
        self.end_silence_ms = s.end_silence_ms
        self._classifier = FrameClassifier(s)
        self._preroll: deque[Pcm] = deque(maxlen=_frames(s.preroll_ms) if s.preroll_ms else 1)
        self._now_frames = 0
        self._candidate: list[Pcm] = []
        self._candidate_start = 0
        self._voiced = 0
        self._gap = 0
        self._turn: list[Pcm] | None = None
        self._turn_start = 0
        self._silence = 0
        self._barge_in = False

    @property
    def in_turn(self) -> bool:
        return self._turn is not None

    @property
    def paused(self) -> bool:
        """In a turn, silent since at least the eager pause (no speech since SpeechPaused)."""
        eager = self.settings.eager_silence_ms
        return self._turn is not None and bool(eager) and self._silence >= _frames(eager)

    @property
    def barge_in_detected(self) -> bool:
        """True while the current caller turn began by talking over the agent."""
        return self._barge_in

    @property
    def noise_db(self) -> float:
        return self._classifier.noise_db

    def feed(self, frame: Pcm, *, agent_speaking: bool = False) -> list[TurnEvent]:
        # Own copy: frames are kept for the turn, and callers may reuse their buffers.
        frame = np.array(frame, dtype=np.int16, copy=True)
        verdict = self._classifier.classify(frame, agent_speaking=agent_speaking)
        now = self._now_frames
        self._now_frames += 1
        if self._turn is not None:
            return self._continue_turn(frame, verdict.speech, now)
        return self._idle(frame, verdict.speech, now, agent_speaking)

    def flush(self) -> SpeechEnded | None:
        """End the turn in progress now (the caller hung up mid-sentence): nothing is lost."""
        if self._turn is None:
            return None
        return self._end_turn(self._now_frames - 1, truncated=True)

    def end_now(self) -> SpeechEnded | None:
        """End the turn in progress as a pause would (the answer is already complete)."""
        if self._turn is None:
            return None
        return self._end_turn(self._now_frames - 1, truncated=False)

    def reset(self) -> None:
        """Drop any partial turn (e.g. the call was transferred); keeps the noise estimate."""
        self._candidate, self._voiced, self._gap = [], 0, 0
        self._turn, self._silence, self._barge_in = None, 0, False

    def _idle(self, frame: Pcm, speech: bool, now: int, agent_speaking: bool) -> list[TurnEvent]:
        s = self.settings
        if not self._candidate:
            if not speech:
                self._push_preroll(frame)
                return []
            self._candidate_start = now
        self._candidate.append(frame)
        if speech:
            self._voiced += 1
            self._gap = 0
        else:
            self._gap += 1
            if self._gap > _frames(s.start_gap_ms):
                for old in self._candidate:  # a false start becomes pre-roll
                    self._push_preroll(old)
                self._candidate, self._voiced, self._gap = [], 0, 0
                return []
        needed = _frames(s.barge_in_min_ms if agent_speaking else s.min_speech_ms)
        if self._voiced < needed:
            return []
        return self._start_turn(agent_speaking)

    def _start_turn(self, agent_speaking: bool) -> list[TurnEvent]:
        at_ms = self._candidate_start * FRAME_MS
        self._turn = [*self._preroll, *self._candidate]
        self._turn_start = self._candidate_start
        self._preroll.clear()
        self._candidate, self._voiced = [], 0
        self._silence = self._gap
        self._gap = 0
        self._barge_in = agent_speaking
        started = SpeechStarted(at_ms, barge_in=agent_speaking)
        return [BargeIn(at_ms), started] if agent_speaking else [started]

    def _continue_turn(self, frame: Pcm, speech: bool, now: int) -> list[TurnEvent]:
        assert self._turn is not None
        s = self.settings
        self._turn.append(frame)
        self._silence = 0 if speech else self._silence + 1
        if self._silence >= _frames(self.end_silence_ms):
            return [self._end_turn(now, truncated=False)]
        if len(self._turn) * FRAME_MS >= s.max_utterance_ms:
            return [self._end_turn(now, truncated=True)]
        eager = _frames(s.eager_silence_ms)
        if s.eager_silence_ms and self._silence == eager < _frames(self.end_silence_ms):
            return [SpeechPaused(self._ended(now, truncated=False))]
        return []

    def _end_turn(self, now: int, *, truncated: bool) -> SpeechEnded:
        event = self._ended(now, truncated=truncated)
        self._turn, self._silence, self._barge_in = None, 0, False
        return event

    def _ended(self, now: int, *, truncated: bool) -> SpeechEnded:
        """The turn as it stands, ended at frame `now`; identical whether the silence after
        it lasts the eager or the full end-of-turn time (trailing silence is trimmed)."""
        assert self._turn is not None
        # Keep ~200 ms of the trailing silence: Whisper likes a little context after speech.
        trailing = max(0, self._silence - _frames(200))
        kept = self._turn[: len(self._turn) - trailing] if trailing else self._turn
        return SpeechEnded(
            pcm16k=np.concatenate(kept) if kept else np.zeros(0, dtype=np.int16),
            started_ms=self._turn_start * FRAME_MS,
            ended_ms=(now + 1 - self._silence) * FRAME_MS,
            truncated=truncated,
            barge_in=self._barge_in,
        )

    def _push_preroll(self, frame: Pcm) -> None:
        if self.settings.preroll_ms:
            self._preroll.append(frame)


class Framer:
    """Cuts a stream of arbitrary-size chunks into whole frames of `size` samples."""

    def __init__(self, size: int = FRAME_16K) -> None:
        self.size = size
        self._pending = np.zeros(0, dtype=np.int16)

    def push(self, samples: Pcm) -> list[Pcm]:
        data = np.concatenate([self._pending, samples]) if self._pending.size else samples
        whole = data.size // self.size * self.size
        self._pending = data[whole:].copy()
        return list(data[:whole].reshape(-1, self.size)) if whole else []


class Listener:
    """Inbound side of one call: audio at the call's rate in, turn events out.

    Resamples (stateful soxr) to 16 kHz, cuts 20 ms frames and runs the TurnDetector, so the
    media layer can pass decoded RTP payloads of any size straight in.
    """

    def __init__(self, call_rate: int, settings: TurnSettings | None = None) -> None:
        self.detector = TurnDetector(settings)
        self._resampler = Resampler(call_rate, STT_RATE)
        self._framer = Framer(FRAME_16K)

    def feed(self, samples: Pcm, *, agent_speaking: bool = False) -> list[TurnEvent]:
        events: list[TurnEvent] = []
        for frame in self._framer.push(self._resampler.process(samples)):
            events += self.detector.feed(frame, agent_speaking=agent_speaking)
        return events

    @property
    def barge_in_detected(self) -> bool:
        return self.detector.barge_in_detected

    def flush(self) -> SpeechEnded | None:
        return self.detector.flush()
