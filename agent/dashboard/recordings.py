"""Which recording files the dashboard may serve: regular files inside the recordings folder."""

from __future__ import annotations

from pathlib import Path

__all__ = ["safe_recording"]


def safe_recording(
    stored: str | None, folder: Path | None, base: Path | None = None
) -> Path | None:
    """The resolved file for a stored `calls.recording_path`, or None when it must not be served.

    A relative stored path is read from `base` (the config file's folder, as every relative
    path of the config is), never from the working directory the process happened to start in.
    Symlinks and `..` are resolved first, so a path (or a link) pointing outside `folder` is
    refused; so are missing files, directories and anything but a .wav file.
    """
    if not stored or folder is None or "\x00" in stored:
        return None
    stored_path = Path(stored)
    if not stored_path.is_absolute():
        if base is None:
            return None
        stored_path = base / stored_path
    try:
        root = folder.resolve(strict=True)
        path = stored_path.resolve(strict=True)
    except (OSError, RuntimeError):  # missing, unreadable, or a symlink loop
        return None
    if not path.is_relative_to(root) or path == root:
        return None
    if path.suffix.lower() != ".wav" or not path.is_file():
        return None
    return path
