"""One worker for every call's Whisper decodes: turns that wait together are decoded together.

Calls in parallel all decode on the same model and the same two cores. Instead of a plain
queue, the worker takes, each time it becomes free, what is waiting: the shortest window
first (a short answer is not held behind a long one), and with it every waiting turn of the
same window, up to `max_batch`, decoded in one generate call per set of decoding options. A
turn passed over `max_passed` times goes next whatever its length, so short answers
arriving without a pause cannot starve a long one either.

Only equal windows share a generate call: CTranslate2 needs encoder outputs of one length,
and the encoder takes no mask, so padding a turn to a longer window would change what
Whisper reads. Batched, each turn's n-best and scores are bit-identical to decoding it alone
(`tests/speech/test_batch.py` checks the texts). Short answers (up to 3 s) all get the 6 s
floor window, so the yes/no, names, towns and numbers of calls in parallel batch; longer
turns mostly go one by one, shortest first. Padding within 1.6x was tried on eight Pico
problem descriptions of 3-5 s (same texts): 1,681 against 1,765 ms for four, within the
noise of this shared box, so turns are not padded.

What batching buys on 2 cores is small: int8 matmuls already use both. Measured by
`python -m devkit.eval.batch --rounds 6` on a quiet box, four answers given at once,
median per answer / median of the last answer: to one question (2.0-3.4 s, three sharing a
window) the former FIFO pool 673 / 1,066 ms, one by one shortest first 764 / 1,136, batched
578 / 988; to four different questions (3.2-6.0 s, nothing to share) 825 / 1,699, 847 /
1,776, 856 / 1,789. Kept: it never measured worse beyond this box's noise (~10 %), and the
worker is where the order (shortest first, bounded waits) and the cancelled turns are kept.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, TypeVar

import numpy as np
import numpy.typing as npt

from agent.speech.decoding import DecodePlan
from agent.speech.whisper_direct import Decoded, GenerateOptions

if TYPE_CHECKING:
    from ctranslate2 import StorageView

    from agent.speech.whisper_direct import DirectWhisper

__all__ = ["BatcherClosedError", "DecodeBatcher", "DecodeRequest", "TurnAudio", "WhisperRunner"]

log = logging.getLogger(__name__)
FloatAudio = npt.NDArray[np.float32]
T = TypeVar("T")

# Samples per log-mel frame at 16 kHz: a turn of n samples has n // 160 content frames.
HOP = 160
# Most turns decoded in one batch (four calls at once is the target; more would hold the
# first answer for the whole batch).
MAX_BATCH = 4
# How long an idle worker waits for companions of a first turn. Calls that end their turns
# together (the bench's four) arrive within a few ms; a single call pays this once per turn.
GATHER_S = 0.004
# Rounds a waiting turn may be passed over by shorter ones before it goes next.
MAX_PASSED = 2


class BatcherClosedError(RuntimeError):
    """The transcriber was closed while a turn was waiting for the worker."""


class TurnAudio:
    """A turn's float audio; its log-mel features are computed once, on the worker thread
    (the first decode of the turn), so the event loop never does the FFTs."""

    def __init__(self, audio: FloatAudio, features: Callable[[FloatAudio], FloatAudio]) -> None:
        self.audio = audio
        self.frames = audio.size // HOP
        self._features = features
        self._mel: FloatAudio | None = None

    def mel(self) -> FloatAudio:
        if self._mel is None:
            self._mel = self._features(self.audio)
        return self._mel


@dataclass(frozen=True)
class DecodeRequest:
    turn: TurnAudio
    window: int  # encoder frames
    plan: DecodePlan


class Runner(Protocol):
    def __call__(self, requests: Sequence[DecodeRequest]) -> list[Decoded]: ...


@dataclass
class _Waiting:
    request: DecodeRequest
    future: Future[Decoded]
    order: int  # arrival
    passed: int = field(default=0)
    since: float = field(default_factory=time.perf_counter)


def pick(waiting: Sequence[_Waiting], max_batch: int, max_passed: int) -> list[_Waiting]:
    """The next batch: the oldest turn passed over `max_passed` times, else the shortest
    window (oldest first among equals); then the other turns of that window, oldest first."""
    if not waiting:
        return []
    overdue = [w for w in waiting if w.passed >= max_passed]
    if overdue:
        anchor = min(overdue, key=lambda w: w.order)
    else:
        anchor = min(waiting, key=lambda w: (w.request.window, w.order))
    same = sorted(
        (w for w in waiting if w is not anchor and w.request.window == anchor.request.window),
        key=lambda w: w.order,
    )
    return [anchor, *same[: max_batch - 1]]


class DecodeBatcher:
    """Owns the worker thread(s); `submit` from any thread or event loop."""

    def __init__(
        self,
        run: Runner,
        *,
        workers: int = 1,
        max_batch: int = MAX_BATCH,
        gather_s: float = GATHER_S,
        max_passed: int = MAX_PASSED,
    ) -> None:
        self._run = run
        self._executor = ThreadPoolExecutor(workers, thread_name_prefix="whisper")
        self._workers = workers
        self._max_batch, self._gather_s, self._max_passed = max_batch, gather_s, max_passed
        self._lock = threading.Lock()
        self._waiting: list[_Waiting] = []
        self._rounds = 0  # rounds queued or running on the executor
        self._order = itertools.count()
        self._closed = False
        # Batches run, by size (what the tests and batch_eval look at).
        self.sizes: Counter[int] = Counter()

    def submit(self, request: DecodeRequest) -> Future[Decoded]:
        future: Future[Decoded] = Future()
        with self._lock:
            if self._closed:
                raise BatcherClosedError("the transcriber is closed")
            self._waiting.append(_Waiting(request, future, next(self._order)))
            start = self._rounds < self._workers
            self._rounds += start
        if start:
            self._schedule(from_idle=True)
        return future

    def call(self, fn: Callable[..., T], *args: object) -> Future[T]:
        """Run `fn` on the worker, in turn with the batches (long recordings)."""
        return self._executor.submit(fn, *args)

    def close(self) -> None:
        """Wait for the work in progress; turns still waiting fail with BatcherClosedError."""
        with self._lock:
            self._closed = True
        self._executor.shutdown(wait=True)
        self._fail_waiting()

    def _schedule(self, *, from_idle: bool) -> None:
        try:
            self._executor.submit(self._round, from_idle)
        except RuntimeError:  # shut down meanwhile
            self._fail_waiting()

    def _fail_waiting(self) -> None:
        with self._lock:
            left, self._waiting = self._waiting, []
        for w in left:
            if w.future.set_running_or_notify_cancel():
                w.future.set_exception(BatcherClosedError("the transcriber is closed"))

    def _round(self, from_idle: bool) -> None:
        if from_idle and self._gather_s > 0:
            time.sleep(self._gather_s)  # let calls ending their turns together join
        with self._lock:
            batch = pick(self._waiting, self._max_batch, self._max_passed)
            for w in batch:
                self._waiting.remove(w)
            for w in self._waiting:
                w.passed += 1
        # A caller who hung up (or spoke again) cancelled its turn: not decoded.
        live = [w for w in batch if w.future.set_running_or_notify_cancel()]
        try:
            if live:
                self._decode(live)
        finally:
            with self._lock:
                more = bool(self._waiting) and not self._closed
                self._rounds -= not more
            if more:
                self._schedule(from_idle=False)

    def _decode(self, batch: list[_Waiting]) -> None:
        self.sizes[len(batch)] += 1
        started = time.perf_counter()
        try:
            results = self._run([w.request for w in batch])
        except Exception as exc:  # noqa: BLE001 - handed to every turn of the batch
            for w in batch:
                w.future.set_exception(exc)
            return
        log.debug(
            "decoded %d turn(s) of %d frames in %.0f ms, after waiting %s ms",
            len(batch),
            batch[0].request.window,
            (time.perf_counter() - started) * 1000,
            "/".join(f"{(started - w.since) * 1000:.0f}" for w in batch),
        )
        for w, decoded in zip(batch, results, strict=True):
            w.future.set_result(decoded)


class WhisperRunner:
    """Decodes a batch of turns sharing one window on a DirectWhisper: each turn encoded,
    then one generate call per set of options (per-turn beam, budget, prompt length).

    The encoder runs turn by turn: on this 2-core box (int8, 2 threads) one encoder call for
    four 6 s windows took 173 ms against 143 ms for four calls on a quiet box, 320 against
    219 ms under load (medians of 12, interleaved; 1,096 against 868 ms for 12 s windows).
    The generate call is the part that gains from a batch (module docstring)."""

    def __init__(self, direct: DirectWhisper, *, batch_encode: bool = False) -> None:
        self._direct = direct
        self._batch_encode = batch_encode

    def __call__(self, requests: Sequence[DecodeRequest]) -> list[Decoded]:
        import ctranslate2

        started = time.perf_counter()
        window = requests[0].window
        if any(r.window != window for r in requests):
            raise ValueError("a batch shares one encoder window")
        encoded = self._encode(requests, window)
        prompts = [self._direct.prompt_tokens(r.plan.prompt) for r in requests]
        groups: dict[GenerateOptions, list[int]] = defaultdict(list)
        for i, (r, tokens) in enumerate(zip(requests, prompts, strict=True)):
            plan = r.plan
            options = GenerateOptions.of(tokens, plan.beam_size, plan.num_hypotheses,
                                         plan.max_new_tokens, plan.letters_only)  # fmt: skip
            groups[options].append(i)
        rows = np.asarray(encoded) if len(groups) > 1 else None
        decoded: dict[int, Decoded] = {}
        for options, indices in groups.items():
            part = encoded
            if rows is not None:  # keep the array alive while its view is used
                subset = np.ascontiguousarray(rows[indices])
                part = ctranslate2.StorageView.from_array(subset)
            results = self._direct.generate(part, [prompts[i] for i in indices], options)
            elapsed = time.perf_counter() - started
            for i, result in zip(indices, results, strict=True):
                decoded[i] = self._direct.decoded(result, window, elapsed)
        return [decoded[i] for i in range(len(requests))]

    def _encode(self, requests: Sequence[DecodeRequest], window: int) -> StorageView:
        if self._batch_encode or len(requests) == 1:
            return self._direct.encode([r.turn.mel() for r in requests], window)
        import ctranslate2

        rows = [np.asarray(self._direct.encode([r.turn.mel()], window)) for r in requests]
        return ctranslate2.StorageView.from_array(np.ascontiguousarray(np.concatenate(rows)))
