"""Readings weighed against the audio (agent.speech.rescoring) with a scripted scorer."""

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from agent.speech.hint import Hint
from agent.speech.rescoring import RescoringTranscriber, Scorer
from agent.speech.stt import Transcript

AUDIO = np.ones(1600, dtype=np.int16)


@dataclass
class Heard:
    text: str
    alternatives: tuple[str, ...] = ()

    async def transcribe(self, pcm16k: object, hint: Hint | None = None) -> Transcript:
        return Transcript(self.text, 2.0, 0.1, "fr", 0.2, 0.45, self.alternatives)


@dataclass
class Weigher:
    scores: dict[str, float]
    asked: list[tuple[str, ...]] = field(default_factory=list)

    async def score_texts(
        self, pcm16k: object, hint: Hint | None, texts: Sequence[str]
    ) -> list[float]:
        self.asked.append(tuple(texts))
        return [self.scores.get(t, -99.0) for t in texts]


def _readings(*texts: str):
    seen: list[tuple[str, ...]] = []

    def rescore(hypotheses: Sequence[str]) -> tuple[str, ...]:
        seen.append(tuple(hypotheses))
        return texts

    return rescore, seen


def _run(heard: Heard, weigher: Weigher, hint: Hint | None) -> Transcript:
    return asyncio.run(RescoringTranscriber(heard, weigher).transcribe(AUDIO, hint))


def test_the_likeliest_reading_replaces_the_guess_and_the_guess_stays_behind():
    rescore, seen = _readings("Au 40 Cours Émile Zola.", "Au 42 Cours Émile Zola.")
    weigher = Weigher({"Au 40 Cours Émile Zola.": -12.0, "Au 42 Cours Émile Zola.": -9.5})
    heard = Heard("Au 40 de cours et milles.", ("40 de cours et mille",))
    got = _run(heard, weigher, Hint("address", "address", rescore=rescore))
    assert seen == [("Au 40 de cours et milles.", "40 de cours et mille")]
    assert got.text == "Au 42 Cours Émile Zola."
    assert got.alternatives == ("Au 40 de cours et milles.", "40 de cours et mille")
    assert got.confidence == 0.45  # likeliest of a few is not sure: re-asks are unchanged
    assert got.elapsed_s >= 0.2


def test_a_close_call_leaves_the_hearing_alone():
    rescore, _ = _readings("Rue Racine, au 2.", "Rue Racine, au 6.")
    weigher = Weigher({"Rue Racine, au 2.": -10.0, "Rue Racine, au 6.": -11.0})
    got = _run(
        Heard("Oui, c'est aussi rue Racy."), weigher, Hint("street", "street", rescore=rescore)
    )
    assert got.text == "Oui, c'est aussi rue Racy." and got.alternatives == ()
    assert len(weigher.asked) == 1


def test_nothing_to_weigh_leaves_the_hearing_alone():
    weigher = Weigher({})
    for hint in (None, Hint("street", "street"), Hint("street", "street", rescore=_readings()[0])):
        assert _run(Heard("Rue Garibaldi."), weigher, hint).text == "Rue Garibaldi."
    one = _readings("Rue Garibaldi, au 40.")[0]
    assert _run(Heard("Rue Garibaldi, au 40."), weigher, Hint("street", "street", rescore=one))
    assert weigher.asked == []  # one reading is no choice: the scorer is not run


def test_silence_is_not_weighed():
    rescore, seen = _readings("A", "B")
    assert _run(Heard(""), Weigher({}), Hint("street", "street", rescore=rescore)).text == ""
    assert seen == []


def test_the_local_whisper_is_a_scorer():
    from agent.speech.stt import WhisperTranscriber

    assert isinstance(WhisperTranscriber.__new__(WhisperTranscriber), Scorer)
    assert not isinstance(Heard("x"), Scorer)
