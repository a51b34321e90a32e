"""Install SVOX Pico (offline French TTS) into the models folder without touching the host's apt.

Pico lives in Debian `non-free` (Ubuntu `multiverse`), which hosts often do not enable. We run
`apt-get download` with a private apt configuration (own sources list, lists and cache under
the models folder) that adds that component for the host's own mirror and release, then
`dpkg -x` the packages. pico2wave looks for its voices at the compiled-in absolute path
/usr/share/pico/lang/; our private copy has that string patched to the relative `./lang/` and
is run from the extracted `usr/share/pico`, so no file outside the models folder is needed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from agent.speech.paths import cache_dir, pico_root
from agent.speech.pico import PicoCommand, find_pico
from devkit.install.whisper import InstallError

PACKAGES = ("libttspico-utils", "libttspico0", "libttspico-data", "libpopt0")
_COMPILED_LANG = b"/usr/share/pico/lang/"
_LOCAL_LANG = b"./lang/"


@dataclass(frozen=True)
class AptSource:
    distro: str  # "debian" | "ubuntu"
    uri: str
    suite: str
    components: str
    signed_by: str | None


def _os_release(etc: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    for line in (etc / "os-release").read_text(encoding="utf-8").splitlines():
        key, sep, value = line.partition("=")
        if sep:
            values[key] = value.strip().strip('"')
    return values


def _entries(etc: Path) -> list[dict[str, str]]:
    """apt sources as dicts (deb822 .sources files and one-line sources.list)."""
    entries: list[dict[str, str]] = []
    for path in sorted((etc / "apt/sources.list.d").glob("*.sources")):
        for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
            # Continuation lines (leading blank: an inline Signed-By key) are skipped.
            lines = [ln for ln in block.splitlines() if ln and ln[0] not in "# \t"]
            fields = {k.strip(): v.strip() for k, _, v in (ln.partition(":") for ln in lines)}
            enabled = fields.get("Enabled", "yes").lower() != "no"
            if enabled and "deb" in fields.get("Types", "").split() and fields.get("URIs"):
                entries.append(fields)
    one_line = re.compile(r"^deb\s+(?:\[(?P<opts>[^\]]*)\]\s+)?(?P<uri>\S+)\s+(?P<suite>\S+)")
    for path in [etc / "apt/sources.list", *sorted((etc / "apt/sources.list.d").glob("*.list"))]:
        if not path.is_file():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            match = one_line.match(line.strip())
            if match:
                opts = dict(o.partition("=")[::2] for o in (match["opts"] or "").split())
                entries.append(
                    {
                        "URIs": match["uri"],
                        "Suites": match["suite"],
                        "Signed-By": opts.get("signed-by", ""),
                    }
                )
    return entries


def host_source(etc: Path = Path("/etc")) -> AptSource:
    """The host's own mirror and release, with the component that carries Pico."""
    release = _os_release(etc)
    distro = release.get("ID", "debian")
    if distro not in ("debian", "ubuntu"):
        distro = "ubuntu" if "ubuntu" in release.get("ID_LIKE", "") else "debian"
    # Ubuntu derivatives (Mint...) name their own codename; the archive wants Ubuntu's.
    suite = release.get("UBUNTU_CODENAME") or release.get("VERSION_CODENAME", "")
    if not suite:
        raise InstallError(
            "cannot tell the host's release (no VERSION_CODENAME in "
            "/etc/os-release); install libttspico-utils with your package manager"
        )
    components = "main multiverse" if distro == "ubuntu" else "main non-free"
    for entry in _entries(etc):
        if suite in entry.get("Suites", "").split():
            # An empty Signed-By (its key inline) falls back to apt's trusted keyrings.
            signed = entry.get("Signed-By") or None
            return AptSource(distro, entry["URIs"].split()[0], suite, components, signed)
    default = (
        "http://archive.ubuntu.com/ubuntu" if distro == "ubuntu" else "http://deb.debian.org/debian"
    )
    return AptSource(distro, default, suite, components, None)


def _apt(workdir: Path, *args: str) -> None:
    options = [
        f"Dir::Etc::SourceList={workdir / 'sources.list'}",
        "Dir::Etc::SourceParts=/dev/null",
        f"Dir::State::Lists={workdir / 'lists'}",
        f"Dir::Cache={workdir / 'cache'}",
        f"Dir::State::Status={workdir / 'status'}",
        "Debug::NoLocking=1",
        "APT::Sandbox::User=root",
    ]
    command = ["apt-get", "-q", *(x for o in options for x in ("-o", o)), *args]
    result = subprocess.run(command, cwd=workdir, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise InstallError(
            f"`apt-get {' '.join(args)}` (private config in {workdir}) failed:\n"
            f"{result.stderr.strip() or result.stdout.strip()}"
        )


def download_debs(models_dir: Path) -> list[Path]:
    workdir = cache_dir(models_dir) / "apt"
    existing = {p.name.split("_")[0]: p for p in workdir.glob("*.deb")}
    if all(name in existing for name in PACKAGES):
        return [existing[name] for name in PACKAGES]
    if shutil.which("apt-get") is None:
        raise InstallError("apt-get not found: install SVOX Pico (libttspico-utils) yourself")
    source = host_source()
    for sub in ("lists/partial", "cache/archives/partial"):
        (workdir / sub).mkdir(parents=True, exist_ok=True)
    (workdir / "status").touch()
    signed = f"[signed-by={source.signed_by}] " if source.signed_by else ""
    (workdir / "sources.list").write_text(
        f"deb {signed}{source.uri} {source.suite} {source.components}\n", encoding="utf-8"
    )
    _apt(workdir, "update")
    _apt(workdir, "download", *PACKAGES)
    # The package indexes (~20 MB) were only needed to resolve these four files.
    for sub in ("lists", "cache"):
        shutil.rmtree(workdir / sub, ignore_errors=True)
    return sorted(workdir.glob("*.deb"))


def install_pico(models_dir: Path, *, force: bool = False) -> PicoCommand:
    """Idempotent: returns the existing pico2wave (host or ours) unless `force`."""
    found = find_pico(models_dir)
    if found is not None and not force:
        return found
    debs = download_debs(models_dir)
    root = pico_root(models_dir)
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    for deb in debs:
        result = subprocess.run(
            ["dpkg-deb", "-x", str(deb), str(root)], capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            raise InstallError(f"dpkg-deb -x {deb.name} failed: {result.stderr.strip()}")
    original = (root / "usr" / "bin" / "pico2wave").read_bytes()
    if original.count(_COMPILED_LANG) != 1:
        raise InstallError(
            "this pico2wave build does not hold the expected voice path; "
            "install libttspico-utils with your package manager instead"
        )
    patched = original.replace(_COMPILED_LANG, _LOCAL_LANG.ljust(len(_COMPILED_LANG), b"\0"))
    binary = root / "bin" / "pico2wave"
    binary.parent.mkdir()
    binary.write_bytes(patched)
    binary.chmod(0o755)
    command = find_pico(models_dir)
    if command is None:
        raise InstallError(f"Pico extracted into {root} but its French voice files are missing")
    return command
