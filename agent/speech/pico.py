"""Where SVOX Pico's pico2wave is: the host's package, else the copy `decroche models install`
put under the models folder (devkit/install/pico.py explains why that copy runs from its own
folder)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from agent.speech.paths import pico_root

SYSTEM_BINARY = Path("/usr/bin/pico2wave")
SYSTEM_LANG = Path("/usr/share/pico/lang")


@dataclass(frozen=True)
class PicoCommand:
    """How to run pico2wave: binary, working directory and extra environment."""

    binary: Path
    cwd: Path | None
    env: dict[str, str]

    def __str__(self) -> str:
        return str(self.binary)


def find_pico(models_dir: Path) -> PicoCommand | None:
    """The installed pico2wave: the host's own if it has one, else ours; None if neither."""
    if SYSTEM_BINARY.is_file() and (SYSTEM_LANG / "fr-FR_ta.bin").is_file():
        return PicoCommand(SYSTEM_BINARY, None, {})
    root = pico_root(models_dir)
    binary = root / "bin" / "pico2wave"
    lang = root / "usr" / "share" / "pico"
    if not (binary.is_file() and (lang / "lang" / "fr-FR_ta.bin").is_file()):
        return None
    libs = sorted({str(p.parent) for p in (root / "usr" / "lib").glob("*/lib*.so*")})
    return PicoCommand(binary, lang, {"LD_LIBRARY_PATH": ":".join(libs)})
