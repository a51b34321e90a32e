"""Answers to a yes/no question, as a call hears them: Pico through μ-law, cut by the
endpointing, transcribed under the yes/no hint, read by the dialogue over the n-best.

Whisper base garbles a short "oui" here ("? ? ? ?", "1, 2, 3", "Tu as fait ?"): what matters
is that no answer is lost as noise (it is read, or marked unclear so the question is asked
again at once) and that a "no" is never taken for a "yes".
"""

from __future__ import annotations

import numpy as np
import pytest

from agent.dialogue.lexicon import yes_no, yes_no_heard
from agent.speech.audio import Pcm, phone_channel, resample
from agent.speech.endpointing import Listener, SpeechEnded
from agent.speech.hint import Hint
from agent.speech.settings import TurnSettings
from agent.speech.stt import Transcript, WhisperTranscriber
from agent.speech.tts import EngineBase
from tests.speech.helpers import white_noise

pytestmark = pytest.mark.models

HINT = Hint("yes_no", "readback")
YES = (
    "Oui.", "Oui, c'est ça.", "Oui, tout à fait.", "Tout à fait.", "Ouais.", "Oui oui.",
    "C'est exact.", "Voilà.", "D'accord.", "Exactement.", "Oui, c'est bien ça.", "C'est ça.",
    "Ouais, c'est bon.", "Oui, c'est correct.", "Absolument.", "Oui, voilà.", "Oui, merci.",
    "Ben oui.", "Oui, parfait.", "Euh, oui.",
)  # fmt: skip
NO = (
    "Non.", "Non, pas du tout.", "Non non.", "Non, c'est pas ça.", "Non, ce n'est pas ça.",
    "Pas du tout.", "Non, le nom c'est Durand.", "Non, c'est faux.",
)  # fmt: skip


async def _turns(pico: EngineBase, text: str) -> list[SpeechEnded]:
    """`text` said on a phone line (μ-law) between seconds of silence, as turns."""
    speech = resample(await pico.synthesize(text), pico.sample_rate, 16000)
    line = resample(phone_channel(speech), 16000, 8000)
    quiet = np.zeros(8000, dtype=np.int16)
    return _listen(np.concatenate([quiet, line, quiet, quiet]))


def _listen(line8k: Pcm) -> list[SpeechEnded]:
    listener = Listener(8000, TurnSettings())
    ended: list[SpeechEnded] = []
    for start in range(0, line8k.size, 160):
        events = listener.feed(line8k[start : start + 160])
        ended += [e for e in events if isinstance(e, SpeechEnded)]
    return ended


async def _heard(transcriber: WhisperTranscriber, pico: EngineBase, text: str) -> list[Transcript]:
    turns = await _turns(pico, text)
    assert turns, f"{text!r} made no turn"
    return [await transcriber.transcribe(t.pcm16k, HINT) for t in turns]


async def test_no_answer_is_lost_and_the_n_best_reading_only_fills_in(
    transcriber: WhisperTranscriber, pico: EngineBase
) -> None:
    read: dict[str, list[bool | None]] = {}
    heard_as: dict[str, list[tuple[str, ...]]] = {}
    for text in (*YES, *NO):
        for heard in await _heard(transcriber, pico, text):
            assert heard.text or heard.unclear, f"{text!r} dropped as noise: {heard}"
            readings = (heard.text, *heard.alternatives)
            answer = yes_no_heard(readings) if heard.text else None
            # a clear word in the best transcript still decides: the rest only fills in
            assert yes_no(heard.text) in (None, answer), (text, readings)
            read.setdefault(text, []).append(answer)
            heard_as.setdefault(text, []).append(readings)
    # Whisper's readings vary from run to run (threaded int8). Measured over 8 runs: 12-14
    # of the 20 yeses read as yes and 7 of the 8 noes as no, against 11-13 and 7 from the
    # best transcript alone with 0-2 answers dropped as noise; the wrong way round only
    # where Whisper wrote it ("Non, je n'ai rien" for "Oui, voilà.").
    assert sum(True in read[t] for t in YES) >= 12, heard_as
    assert sum(False in read[t] for t in NO) >= 6, heard_as


@pytest.mark.parametrize("seed", [0, 1, 2])
async def test_line_noise_under_the_yes_no_hint_is_neither_words_nor_unclear(
    transcriber: WhisperTranscriber, seed: int
) -> None:
    noise = phone_channel(white_noise(2.0, -30.0 - 5 * seed, seed=seed))
    heard = await transcriber.transcribe(noise, HINT)
    assert not heard.text and not heard.unclear, heard
