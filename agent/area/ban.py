"""Reading the French national address base (BAN) "adresses" CSV: `;`-separated, one header
row, one row per house number; plain or gzip. Only five columns are used, found by name."""

from __future__ import annotations

import csv
import gzip
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

REQUIRED = ("numero", "rep", "nom_voie", "code_postal", "nom_commune")
_GZIP_MAGIC = b"\x1f\x8b"
# BAN names the arrondissements of Paris, Lyon and Marseille as communes ("Lyon 3e
# Arrondissement"); callers say the city, and the postcode keeps the arrondissement.
_ARRONDISSEMENT = re.compile(r"^(Paris|Lyon|Marseille)\s+\d+(?:er|e|ème)?\s+Arrondissement$", re.I)


class AreaFileError(ValueError):
    """The addresses file cannot be read; the message names the file and the line."""

    def __init__(self, path: Path, line: int | None, reason: str) -> None:
        where = f"{path}:{line}" if line is not None else str(path)
        super().__init__(f"{where}: {reason}")
        self.path = path
        self.line = line
        self.reason = reason


@dataclass(frozen=True, slots=True)
class BanRow:
    number: str  # "12", "12bis" (numero + rep, rep lowercased)
    street: str
    postcode: str
    town: str


def open_binary(path: Path) -> IO[bytes]:
    """The file's bytes, gunzipped when it starts with the gzip magic (whatever its name)."""
    try:
        raw = path.open("rb")
    except OSError as exc:
        raise AreaFileError(path, None, f"cannot open: {exc.strerror}") from None
    if raw.read(2) == _GZIP_MAGIC:
        raw.close()
        return gzip.GzipFile(path, "rb")  # type: ignore[return-value]  # is an IO[bytes]
    raw.seek(0)
    return raw


def _lines(path: Path, stream: IO[bytes]) -> Iterator[str]:
    """Decoded lines; bad UTF-8 is reported with its line number (BAN files are UTF-8)."""
    for number, raw in enumerate(stream, start=1):
        try:
            yield raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            raise AreaFileError(path, number, f"not UTF-8 text ({exc.reason})") from None


def town_name(commune: str) -> str:
    match = _ARRONDISSEMENT.match(commune.strip())
    return match.group(1).capitalize() if match else commune.strip()


def read_ban(path: Path) -> Iterator[BanRow]:
    """Rows of a BAN adresses file; AreaFileError on a missing column or a malformed line."""
    try:
        with open_binary(path) as stream:
            yield from _rows(path, csv.reader(_lines(path, stream), delimiter=";"))
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise AreaFileError(path, None, f"cannot read: {exc}") from None


def _rows(path: Path, reader: Iterator[list[str]]) -> Iterator[BanRow]:
    header = next(reader, None)
    if header is None:
        raise AreaFileError(path, 1, "empty file (expected a BAN header row)")
    header = [h.strip() for h in header]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise AreaFileError(path, 1, f"header lacks column(s) {', '.join(missing)}")
    width = len(header)
    num, rep, street, postcode, town = (header.index(c) for c in REQUIRED)
    towns: dict[str, str] = {}  # one string per commune name, folded once
    for line, row in enumerate(reader, start=2):
        if len(row) != width:
            if not row:
                continue  # a blank line (a trailing newline too many)
            raise AreaFileError(path, line, f"{len(row)} columns, the header has {width}")
        number = row[num].strip()
        if not number.isdigit() or not row[street].strip():
            raise AreaFileError(path, line, f"bad numero {number!r} or empty nom_voie")
        commune = row[town]
        name = towns.get(commune)
        if name is None:
            name = towns[commune] = town_name(commune)
        suffix = row[rep].strip().lower()
        yield BanRow(str(int(number)) + suffix, row[street].strip(), row[postcode].strip(), name)
