"""French WER normalisation and the speech-fr evaluation used by `decroche bench`."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.speech.stt import WhisperTranscriber
from devkit.eval.wer import evaluate, normalize, wer


def test_normalisation_ignores_typography() -> None:
    assert normalize("L’accident, a eu lieu !") == ["l", "accident", "a", "eu", "lieu"]
    assert normalize("dix-sept personnes") == normalize("17 personnes")
    assert normalize("un score de 6-6") == normalize("un score de six six")
    assert normalize("cent pour cent") == normalize("100 %")
    assert wer("Le même mois, un autre avion", "le même mois un autre avion") == 0.0
    assert wer("un deux trois quatre", "un deux quatre") == pytest.approx(0.25)
    assert wer("a b", "a b c d") == pytest.approx(1.0)


@pytest.mark.models
async def test_speech_fr_phone_wer_is_in_the_measured_range(
    transcriber: WhisperTranscriber, speech_fr: Path, tmp_path: Path
) -> None:
    # Two files keep the test short; `decroche bench` runs the whole folder.
    for stem in ("fleurs-fr-005", "fleurs-fr-007"):
        for suffix in (".ogg", ".txt"):
            (tmp_path / f"{stem}{suffix}").symlink_to(speech_fr / f"{stem}{suffix}")
    report = await evaluate(transcriber, tmp_path, phone=True)
    assert len(report.files) == 2
    assert 0.0 < report.wer < 0.6  # ~0.45 over all ten files with base
    assert 0.0 < report.rtf < 1.5
