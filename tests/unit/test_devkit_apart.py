"""The tooling (devkit/) stays apart from the runtime (agent/, nlp/).

The box that answers calls runs `decroche run`: it should load none of the sandbox, test caller,
installers or measurements. Only agent/cli.py names devkit, and only as strings it imports when
that subcommand runs.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DISPATCH = ROOT / "agent" / "cli.py"


def _runtime_files() -> Iterator[Path]:
    for package in ("agent", "nlp"):
        yield from (f for f in sorted((ROOT / package).rglob("*.py")) if f != DISPATCH)


def _devkit_names(file: Path) -> Iterator[str]:
    """Imports of devkit, lazy ones included, and strings naming a devkit module (importlib)."""
    for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level:
            names = [node.module or ""]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            names = [node.value] if node.value.startswith("devkit.") else []
        else:
            continue
        yield from (n for n in names if n == "devkit" or n.startswith("devkit."))


def test_no_runtime_module_imports_devkit() -> None:
    offenders = {
        str(file.relative_to(ROOT)): names
        for file in _runtime_files()
        if (names := sorted(set(_devkit_names(file))))
    }
    assert offenders == {}


def test_the_cli_dispatch_is_the_one_door_to_devkit() -> None:
    # The rule above leaves agent/cli.py out; it must still reach devkit, or the scan is vacuous.
    assert any(name.startswith("devkit.") for name in _devkit_names(DISPATCH))


def test_importing_the_runtime_entry_loads_no_devkit_module() -> None:
    code = (
        "import json, sys\n"
        "import agent.service, agent.wiring, agent.cli\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] == 'devkit')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []


def test_the_scan_sees_a_lazy_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(
        "def f():\n    from devkit.sandbox.pbx import Sandbox\n    return Sandbox\n"
        "NAME = 'devkit.demo'\n",
        encoding="utf-8",
    )
    assert sorted(_devkit_names(module)) == ["devkit.demo", "devkit.sandbox.pbx"]
