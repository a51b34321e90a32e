"""Typed reading of one TOML table, with errors that name the offending key."""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


class ConfigError(ValueError):
    """A configuration value is missing or wrong; the message names the key."""


class TableReader:
    """Reads values of one table (`section`) and remembers which keys were used.

    Unknown keys are errors too (`finish()`), so a typo never silently falls back to a default.
    """

    def __init__(self, section: str, table: Mapping[str, Any] | None) -> None:
        if table is not None and not isinstance(table, Mapping):
            raise ConfigError(f"[{section}] must be a table")
        self.section = section
        self._table: Mapping[str, Any] = table or {}
        self._used: set[str] = set()

    def key(self, name: str) -> str:
        return f"{self.section}.{name}"

    def _get(self, name: str, default: Any, kind: type | tuple[type, ...], label: str) -> Any:
        self._used.add(name)
        if name not in self._table:
            if default is _REQUIRED:
                raise ConfigError(f"{self.key(name)}: missing (expected {label})")
            return default
        value = self._table[name]
        # bool is an int subclass: refuse true/false where a number is expected.
        if not isinstance(value, kind) or (isinstance(value, bool) and bool not in _as_tuple(kind)):
            raise ConfigError(f"{self.key(name)}: expected {label}, got {value!r}")
        return value

    def text(self, name: str, default: Any = None, *, choices: tuple[str, ...] = ()) -> str:
        value = self._get(name, _REQUIRED if default is None else default, str, "a string")
        if choices and value not in choices:
            raise ConfigError(f"{self.key(name)}: {value!r} is not one of {', '.join(choices)}")
        return str(value)

    def optional_text(self, name: str) -> str | None:
        value = self._get(name, None, str, "a string")
        return value if value else None

    def integer(
        self, name: str, default: Any = None, *, low: int | None = None, high: int | None = None
    ) -> int:
        value = self._get(name, _REQUIRED if default is None else default, int, "an integer")
        _check_range(self.key(name), value, low, high)
        return int(value)

    def number(
        self, name: str, default: Any = None, *, low: float | None = None, high: float | None = None
    ) -> float:
        value = self._get(name, _REQUIRED if default is None else default, (int, float), "a number")
        _check_range(self.key(name), value, low, high)
        return float(value)

    def flag(self, name: str, default: bool) -> bool:
        return bool(self._get(name, default, bool, "true or false"))

    def texts(self, name: str, default: tuple[str, ...] = ()) -> tuple[str, ...]:
        value = self._get(name, list(default), list, "a list of strings")
        if not all(isinstance(item, str) for item in value):
            raise ConfigError(f"{self.key(name)}: expected a list of strings, got {value!r}")
        return tuple(value)

    def path(self, name: str, default: Path, base: Path) -> Path:
        raw = self._get(name, str(default), str, "a path")
        path = Path(raw).expanduser()
        return path if path.is_absolute() else (base / path)

    def table(self, name: str) -> Mapping[str, Any]:
        return self._get(name, {}, Mapping, "a table")  # type: ignore[no-any-return]

    def finish(self) -> None:
        unknown = sorted(set(self._table) - self._used)
        if unknown:
            raise ConfigError(f"[{self.section}] unknown key(s): {', '.join(unknown)}")


_REQUIRED = object()


def _as_tuple(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def _check_range(key: str, value: float, low: float | None, high: float | None) -> None:
    if not math.isfinite(value):  # nan passes every comparison; inf is never meant
        raise ConfigError(f"{key}: {value} is not a finite number")
    if low is not None and value < low:
        raise ConfigError(f"{key}: {value} is below the minimum {low}")
    if high is not None and value > high:
        raise ConfigError(f"{key}: {value} is above the maximum {high}")
