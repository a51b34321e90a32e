"""A TOML writer for the few shapes a decroche config holds (no TOML writer is a dependency).

Values: str, bool, int, float, lists of str, and inline tables of str (business hours). Strings
are written as TOML basic strings through json.dumps: its escapes (\\", \\\\, \\n, \\uXXXX) are
TOML's too. What this writes is always read back by the real config loader before it counts.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

Value = str | bool | int | float | Sequence[str] | Mapping[str, str]


def toml_value(value: Value) -> str:
    if isinstance(value, bool):  # before int: bool is an int
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Mapping):
        pairs = ", ".join(f"{_key(k)} = {toml_value(v)}" for k, v in value.items())
        return "{ " + pairs + " }" if pairs else "{}"
    return "[" + ", ".join(toml_value(item) for item in value) + "]"


def _key(key: str) -> str:
    bare = key.replace("_", "").replace("-", "").isalnum() and key.isascii()
    return key if bare else json.dumps(key, ensure_ascii=False)


def dumps(
    tables: Mapping[str, Mapping[str, Value]], comments: Mapping[str, str] | None = None
) -> str:
    """`[table]` blocks in the given order; a table's comment goes above it."""
    comments = comments or {}
    out: list[str] = []
    for name, table in tables.items():
        if name in comments:
            out.extend(f"# {line}" for line in comments[name].splitlines())
        out.append(f"[{name}]")
        out.extend(f"{_key(k)} = {toml_value(v)}" for k, v in table.items())
        out.append("")
    return "\n".join(out)
