"""Download French Piper voices listed in voices/voices.toml (needs internet; optional).

No French Piper voice can be had offline, so `make models` does not call this; users with
internet run `python voices/install.py fr_FR-siwis-medium`. Digests pinned in voices.toml are
enforced; an unpinned voice is pinned on its first download (trust on first use, stated
loudly) in `NAME.sha256` beside it so a later re-download must match.
"""

from __future__ import annotations

import hashlib
import tomllib
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from agent.speech.paths import PROJECT_ROOT, piper_dir
from devkit.install.whisper import InstallError, sha256_file

CATALOG = PROJECT_ROOT / "voices" / "voices.toml"
_TIMEOUT_S = 30


@dataclass(frozen=True)
class VoiceSpec:
    name: str
    url: str
    config_url: str
    sha256: str
    config_sha256: str


def load_catalog(path: Path = CATALOG) -> dict[str, VoiceSpec]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return {
        name: VoiceSpec(
            name,
            entry["url"],
            entry["config_url"],
            entry.get("sha256", ""),
            entry.get("config_sha256", ""),
        )
        for name, entry in data.get("voices", {}).items()
    }


def installed_voices(models_dir: Path) -> list[str]:
    folder = piper_dir(models_dir)
    return sorted(p.stem for p in folder.glob("*.onnx") if p.with_suffix(".onnx.json").is_file())


def _download(url: str, dest: Path) -> None:
    partial = dest.with_name(dest.name + ".partial")
    try:
        with urllib.request.urlopen(url, timeout=_TIMEOUT_S) as response, partial.open("wb") as out:
            while block := response.read(1 << 20):
                out.write(block)
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        partial.unlink(missing_ok=True)
        raise InstallError(
            f"cannot download {url} ({exc}). Piper voices need internet access; without it "
            "decroche speaks French with SVOX Pico (`make models`)."
        ) from exc
    partial.rename(dest)


def _check(path: Path, pinned: str, pin_file: Path) -> str:
    actual = sha256_file(path)
    expected = pinned or (pin_file.read_text().strip() if pin_file.is_file() else "")
    if expected and actual != expected:
        path.unlink()
        raise InstallError(f"{path.name}: sha256 {actual} != expected {expected}; deleted")
    if not expected:
        pin_file.write_text(actual + "\n", encoding="utf-8")
        print(
            f"NOTE {path.name}: no pinned checksum; first download has sha256 {actual} "
            f"(recorded in {pin_file.name}; add it to voices/voices.toml to pin it)"
        )
    return actual


def install_voice(models_dir: Path, name: str, catalog: Path = CATALOG) -> Path:
    """Download and verify one voice; idempotent. Returns the .onnx path."""
    voices = load_catalog(catalog)
    if name not in voices:
        raise InstallError(f"unknown Piper voice {name!r}; known: {', '.join(sorted(voices))}")
    spec = voices[name]
    folder = piper_dir(models_dir)
    folder.mkdir(parents=True, exist_ok=True)
    model, config = folder / f"{name}.onnx", folder / f"{name}.onnx.json"
    for url, path, pinned in (
        (spec.url, model, spec.sha256),
        (spec.config_url, config, spec.config_sha256),
    ):
        if not path.is_file():
            _download(url, path)
        _check(path, pinned, path.with_name(path.name + ".sha256"))
    return model


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
