"""Where speech models live under the models folder (`.models/` in the project by default)."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def default_models_dir() -> Path:
    """`$DECROCHE_MODELS_DIR` or the project's `.models/` (what `make models` fills)."""
    env = os.environ.get("DECROCHE_MODELS_DIR")
    return Path(env).expanduser().resolve() if env else PROJECT_ROOT / ".models"


def whisper_dir(models_dir: Path, name: str) -> Path:
    return models_dir / "whisper" / name


def pico_root(models_dir: Path) -> Path:
    """The SVOX Pico packages extracted with `dpkg -x` (usr/bin, usr/lib, usr/share/pico)."""
    return models_dir / "pico"


def piper_dir(models_dir: Path) -> Path:
    return models_dir / "piper"


def cache_dir(models_dir: Path) -> Path:
    """Downloaded archives (wheels, .deb files), kept so reinstalling needs no network."""
    return models_dir / "cache"
