"""The BAN file indexed into SQLite: one row per street (name + postcode + town) with its house
numbers compacted into one text column. A département (~10^6 rows) becomes ~2·10^4 rows.

The index is rebuilt only when the file changes: its size, mtime and a hash of its first
megabyte are stored in the index and compared on each load.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from agent.area.ban import AreaFileError, BanRow, read_ban

SCHEMA_VERSION = "1"
_HEAD_BYTES = 1 << 20
_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE streets (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    postcode TEXT NOT NULL,
    town TEXT NOT NULL,
    numbers TEXT NOT NULL  -- house numbers, space-separated, sorted: "1 2 3 3bis 5"
);
"""


@dataclass(frozen=True)
class IndexStats:
    path: Path
    rows: int
    streets: int
    rebuilt: bool


def signature(path: Path) -> str:
    """Size, mtime and head hash: cheap to compute, changes whenever the file does."""
    try:
        st = path.stat()
        with path.open("rb") as f:
            head = hashlib.sha256(f.read(_HEAD_BYTES)).hexdigest()[:16]
    except OSError as exc:
        raise AreaFileError(path, None, f"cannot open: {exc.strerror}") from None
    return f"{SCHEMA_VERSION}:{st.st_size}:{st.st_mtime_ns}:{head}"


def index_path(source: Path, cache_dir: Path) -> Path:
    """Where the index of `source` lives: in `cache_dir`, named after the file and its path
    (two files of the same name in different folders do not share an index)."""
    tag = hashlib.sha256(str(source.resolve()).encode()).hexdigest()[:10]
    return cache_dir / f"{source.name.split('.')[0]}-{tag}.sqlite3"


def current(db: Path, source: Path) -> bool:
    if not db.exists():
        return False
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = 'source'").fetchone()
    except sqlite3.Error:
        return False  # unreadable or another schema: rebuild
    return row is not None and row[0] == signature(source)


def ensure_index(source: Path, cache_dir: Path, force: bool = False) -> IndexStats:
    """The index of `source`, built (or rebuilt after a change) when needed."""
    db = index_path(source, cache_dir)
    if not force and current(db, source):
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            (streets,) = conn.execute("SELECT count(*) FROM streets").fetchone()
            (rows,) = conn.execute("SELECT value FROM meta WHERE key = 'rows'").fetchone()
        return IndexStats(db, int(rows), int(streets), rebuilt=False)
    return build_index(source, db)


def build_index(source: Path, db: Path) -> IndexStats:
    sig = signature(source)
    grouped, rows = _group(read_ban(source))
    db.parent.mkdir(parents=True, exist_ok=True)
    tmp = db.with_name(db.name + f".{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    # Written aside then renamed: a reader never sees half an index, a crash leaves none.
    with sqlite3.connect(tmp) as conn:
        conn.executescript(_SCHEMA)
        conn.executemany(
            "INSERT INTO streets (name, postcode, town, numbers) VALUES (?, ?, ?, ?)",
            ((name, code, town, " ".join(sorted(nums, key=_number_order)))
             for (name, code, town), nums in grouped.items()),
        )  # fmt: skip
        conn.executemany(
            "INSERT INTO meta VALUES (?, ?)",
            [("source", sig), ("file", str(source.resolve())), ("rows", str(rows))],
        )
    conn.close()
    os.replace(tmp, db)
    return IndexStats(db, rows, len(grouped), rebuilt=True)


def _group(rows: Iterable[BanRow]) -> tuple[dict[tuple[str, str, str], set[str]], int]:
    grouped: dict[tuple[str, str, str], set[str]] = {}
    shared: dict[str, str] = {}  # one string per distinct number ("1".."300"): memory
    count = 0
    for row in rows:
        count += 1
        key = (row.street, row.postcode, row.town)
        numbers = grouped.get(key)
        if numbers is None:
            numbers = grouped[key] = set()
        numbers.add(shared.setdefault(row.number, row.number))
    return grouped, count


def _number_order(number: str) -> tuple[int, str]:
    digits = len(number) - len(number.lstrip("0123456789"))
    return int(number[:digits] or 0), number[digits:]
