"""Installer pieces that run without network: host apt source, pinned checksums, Pico."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from agent.speech.paths import default_models_dir
from agent.speech.pico import find_pico
from devkit.install import pico as pico_install
from devkit.install import whisper as whisper_install
from devkit.install.piper_voices import install_voice, load_catalog
from devkit.install.whisper import InstallError


def test_host_source_adds_the_component_that_carries_pico() -> None:
    source = pico_install.host_source()
    assert source.distro in ("debian", "ubuntu")
    assert source.uri.startswith("http")
    expected = "non-free" if source.distro == "debian" else "multiverse"
    assert expected in source.components.split()


@pytest.mark.models
def test_installed_pico_runs_from_the_models_folder(tmp_path: Path) -> None:
    command = find_pico(default_models_dir())
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


def fake_etc(tmp_path: Path, os_release: str, sources: dict[str, str]) -> Path:
    etc = tmp_path / "etc"
    (etc / "apt" / "sources.list.d").mkdir(parents=True)
    (etc / "os-release").write_text(os_release)
    for name, text in sources.items():
        (etc / "apt" / name).write_text(text)
    return etc


def test_ubuntu_deb822_sources_use_multiverse(tmp_path: Path) -> None:
    etc = fake_etc(
        tmp_path,
        "ID=ubuntu\nVERSION_CODENAME=noble\nUBUNTU_CODENAME=noble\n",
        {
            "sources.list.d/ubuntu.sources": (
                "Types: deb\nURIs: http://fr.archive.ubuntu.com/ubuntu/\n"
                "Suites: noble noble-updates noble-backports\n"
                "Components: main restricted universe\n"
                "Signed-By: /usr/share/keyrings/ubuntu-archive-keyring.gpg\n\n"
                "Types: deb\nURIs: http://security.ubuntu.com/ubuntu/\nSuites: noble-security\n"
                "Components: main\n"
            )
        },
    )
    source = pico_install.host_source(etc)
    assert source == pico_install.AptSource(
        "ubuntu",
        "http://fr.archive.ubuntu.com/ubuntu/",
        "noble",
        "main multiverse",
        "/usr/share/keyrings/ubuntu-archive-keyring.gpg",
    )


def test_mint_uses_the_ubuntu_codename_and_one_line_sources(tmp_path: Path) -> None:
    etc = fake_etc(
        tmp_path,
        'ID=linuxmint\nID_LIKE="ubuntu debian"\nVERSION_CODENAME=wilma\nUBUNTU_CODENAME=noble\n',
        {
            "sources.list.d/official-package-repositories.list": (
                "deb http://packages.linuxmint.com wilma main upstream import backport\n"
                "deb http://archive.ubuntu.com/ubuntu noble main restricted universe multiverse\n"
            )
        },
    )
    source = pico_install.host_source(etc)
    assert (source.distro, source.uri, source.suite) == (
        "ubuntu",
        "http://archive.ubuntu.com/ubuntu",
        "noble",
    )


def test_debian_inline_key_and_disabled_entries(tmp_path: Path) -> None:
    etc = fake_etc(
        tmp_path,
        "ID=debian\nVERSION_CODENAME=trixie\n",
        {
            "sources.list.d/debian.sources": (
                "Types: deb\nURIs: http://mirror.example/debian\nSuites: trixie\nEnabled: no\n\n"
                "Types: deb\nURIs: http://ftp.fr.debian.org/debian\nSuites: trixie\n"
                "Components: main\nSigned-By:\n -----BEGIN PGP PUBLIC KEY BLOCK-----\n .\n"
                " -----END PGP PUBLIC KEY BLOCK-----\n"
            )
        },
    )
    source = pico_install.host_source(etc)
    assert (source.uri, source.components, source.signed_by) == (
        "http://ftp.fr.debian.org/debian",
        "main non-free",
        None,
    )
