"""[stt], [tts] and [turn] tables: defaults, validation, path resolution."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.config import load_config
from agent.config_reader import ConfigError
from agent.speech.settings import SttSettings, TtsSettings, TurnSettings


def test_defaults_from_empty_tables(tmp_path: Path) -> None:
    assert TurnSettings.from_table(None, tmp_path) == TurnSettings()
    stt = SttSettings.from_table({}, tmp_path)
    assert (stt.model, stt.compute_type, stt.language, stt.allow_download) == (
        "base",
        "int8",
        "fr",
        False,
    )
    assert TtsSettings.from_table({}, tmp_path).engine == "pico"


def test_values_and_relative_paths(tmp_path: Path) -> None:
    stt = SttSettings.from_table(
        {"model": "small", "beam_size": 5, "models_dir": "m", "towns": ["Antibes", "Nice"]},
        tmp_path,
    )
    assert stt.models_dir == tmp_path / "m" and stt.towns == ("Antibes", "Nice")
    folder = SttSettings.from_table({"model": "models/my-whisper"}, tmp_path)
    assert folder.model == str(tmp_path / "models/my-whisper")
    tts = TtsSettings.from_table({"engine": "piper", "piper_voice": "v/fr.onnx"}, tmp_path)
    assert tts.piper_voice == tmp_path / "v/fr.onnx"
    turn = TurnSettings.from_table({"end_silence_ms": 800, "energy_floor_db": -55}, tmp_path)
    assert turn.end_silence_ms == 800 and turn.energy_floor_db == -55.0
    turn = TurnSettings.from_table(
        {"continuation_gap_ms": 1500, "continuation_heard_ms": 0}, tmp_path
    )
    assert (turn.continuation_gap_ms, turn.continuation_heard_ms) == (1500, 0)


@pytest.mark.parametrize(
    ("cls", "table", "message"),
    [
        (SttSettings, {"modle": "base"}, r"\[stt\] unknown key\(s\): modle"),
        (SttSettings, {"beam_size": "5"}, "stt.beam_size: expected an integer"),
        (SttSettings, {"compute_type": "int4"}, "stt.compute_type"),
        (TurnSettings, {"vad_aggressiveness": 5}, "turn.vad_aggressiveness: 5 is above"),
        (TurnSettings, {"end_silence_ms": True}, "turn.end_silence_ms: expected an integer"),
        (TurnSettings, {"continuation_gap_ms": -1}, "turn.continuation_gap_ms: -1 is below"),
    ],
)
def test_errors_name_the_key(
    tmp_path: Path, cls: type, table: dict[str, object], message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        cls.from_table(table, tmp_path)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (
            {"tts": {"engine": "festival"}},
            "tts.engine: 'festival' is not one of piper, pico, espeak",
        ),
        ({"stt": {"engine": "vosk"}}, "stt.engine: 'vosk' is not one of whisper"),
    ],
)
def test_engines_are_the_names_of_the_registries(table: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_config(None, table)
    assert load_config(None, {"tts": {"engine": "espeak"}}).tts.engine == "espeak"
