"""`decroche transcribe` and `decroche models status` through their real entry points."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agent.cli import main as decroche
from devkit.install.models import models_status

pytestmark = pytest.mark.models


def test_transcribe_reports_bad_files_and_goes_on(
    tmp_path: Path, speech_fr: Path, transcriber: object, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "broken.wav"
    bad.write_bytes(b"RIFF....not really a wav")
    good = speech_fr / "fleurs-fr-005.ogg"
    code = decroche(["transcribe", str(tmp_path / "missing.ogg"), str(bad), str(good), "--phone"])
    out, err = capsys.readouterr()
    assert code != 0
    assert "missing.ogg: no such file" in err
    assert "broken.wav: cannot decode" in err
    lines = [json.loads(line) for line in out.splitlines()]
    assert len(lines) == 1
    assert lines[0]["file"] == str(good)
    assert "voiture" in lines[0]["text"]
    assert lines[0]["seconds"] == pytest.approx(7.2, abs=0.1)
    assert lines[0]["rtf"] > 0


def test_transcribe_unknown_model_says_how_to_install(
    tmp_path: Path, speech_fr: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = decroche(
        [
            "transcribe",
            str(speech_fr / "fleurs-fr-005.ogg"),
            "--model",
            "small",
            "--models-dir",
            str(tmp_path),
        ]
    )
    assert code == 2
    assert "decroche models install --whisper small" in capsys.readouterr().err


def test_models_status_and_idempotent_install(capsys: pytest.CaptureFixture[str]) -> None:
    assert models_status().missing == ()
    assert decroche(["models", "status"]) == 0
    assert "whisper: base" in capsys.readouterr().out
    # Already installed: the install is a fast no-op (no download, no hashing of 145 MB).
    assert decroche(["models", "install"]) == 0
    assert "(0.0 s)" in capsys.readouterr().out


def test_models_status_on_an_empty_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = models_status(tmp_path)
    assert "whisper base" in status.missing
    assert decroche(["models", "status", "--models-dir", str(tmp_path)]) == 1
    assert "run `make models`" in capsys.readouterr().out
