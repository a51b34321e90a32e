"""Installer pieces that run without network: host apt source, pinned checksums, Pico."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from agent.speech import pico_install, whisper_install
from agent.speech.paths import default_models_dir
from agent.speech.piper_voices import install_voice, load_catalog
from agent.speech.whisper_install import InstallError


def test_host_source_adds_the_component_that_carries_pico() -> None:
    source = pico_install.host_source()
    assert source.distro in ("debian", "ubuntu")
    assert source.uri.startswith("http")
    expected = "non-free" if source.distro == "debian" else "multiverse"
    assert expected in source.components.split()


@pytest.mark.models
def test_installed_pico_runs_from_the_models_folder(tmp_path: Path) -> None:
    command = pico_install.find_pico(default_models_dir())
    assert command is not None
    out = tmp_path / "t.wav"
    subprocess.run(
        [str(command.binary), "-l", "fr-FR", "-w", str(out), "Bonjour."],
        cwd=command.cwd,
        env={"PATH": "/usr/bin:/bin", **command.env},
        check=True,
    )
    assert out.stat().st_size > 10_000


@pytest.mark.models
def test_whisper_base_matches_pinned_checksums() -> None:
    folder = default_models_dir() / "whisper" / "base"
    assert whisper_install.base_installed(default_models_dir())
    for name in ("config.json", "vocabulary.txt"):  # model.bin is checked by the installer
        assert whisper_install.sha256_file(folder / name) == whisper_install.BASE_FILES[name]


def test_piper_catalog_lists_french_voices_without_invented_digests() -> None:
    catalog = load_catalog()
    assert {"fr_FR-siwis-medium", "fr_FR-upmc-medium"} <= set(catalog)
    for spec in catalog.values():
        assert spec.url.startswith("https://huggingface.co/rhasspy/piper-voices/")
        assert spec.url.endswith(f"{spec.name}.onnx")


def test_unknown_piper_voice_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InstallError, match="unknown Piper voice"):
        install_voice(tmp_path, "fr_FR-nobody-high")
