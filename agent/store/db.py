"""SQLite connection and schema migrations (numbered .sql files, applied once, in order)."""

from __future__ import annotations

import sqlite3
from importlib import resources
from pathlib import Path

MIGRATIONS_PACKAGE = "agent.store.migrations"


class MigrationError(RuntimeError):
    """A migration failed; the database is left at the last good version."""


def migration_scripts() -> list[tuple[int, str, str]]:
    """(version, name, sql) for every NNNN_name.sql in the migrations package, sorted."""
    scripts = []
    for entry in resources.files(MIGRATIONS_PACKAGE).iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:4].isdigit():
            scripts.append((int(name[:4]), name, entry.read_text(encoding="utf-8")))
    scripts.sort()
    versions = [v for v, _, _ in scripts]
    if len(set(versions)) != len(versions):
        raise MigrationError(f"two migrations share a number: {[n for _, n, _ in scripts]}")
    return scripts


def connect(path: Path) -> sqlite3.Connection:
    """Open (creating if needed) and migrate the database at `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA busy_timeout=5000")
    migrate(conn)
    return conn


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection) -> int:
    """Apply every migration newer than the database's user_version; returns the new version."""
    current = schema_version(conn)
    for version, name, sql in migration_scripts():
        if version <= current:
            continue
        try:
            conn.execute("BEGIN IMMEDIATE")
            for statement in _statements(sql):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version:d}")
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            conn.execute("ROLLBACK")
            raise MigrationError(f"migration {name} failed: {exc}") from exc
        current = version
    return current


def _statements(sql: str) -> list[str]:
    """Split a migration into statements (migrations hold no semicolons inside strings)."""
    lines = [line for line in sql.splitlines() if not line.strip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]
