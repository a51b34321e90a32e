"""A config file for the doctor's tests: the sandbox's defaults, a business, a temp data dir."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from agent.config_core import DEMO_BUSINESS
from agent.doctor.checks import CheckResult
from agent.setup_wizard.toml_out import dumps


def write_config(tmp_path: Path, **tables: Mapping[str, Any]) -> Path:
    data: dict[str, Mapping[str, Any]] = {
        "business": DEMO_BUSINESS,
        "store": {"data_dir": str(tmp_path / "var")},
        "missed": {"enabled": False},
    }
    data.update(tables)
    path = tmp_path / "decroche.toml"
    path.write_text(dumps(data), encoding="utf-8")
    return path


def by_name(results: list[CheckResult]) -> dict[str, CheckResult]:
    return {r.name: r for r in results}
