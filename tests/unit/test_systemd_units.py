"""The systemd units of docker/ pass `systemd-analyze verify` and score well on `security`
(docker/verify-units.sh, which needs systemd-analyze but not systemd as PID 1)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from agent.config import PROJECT_ROOT

DOCKER = PROJECT_ROOT / "docker"
SCRIPT = DOCKER / "verify-units.sh"
UNITS = ("decroche.service", "decroche-dashboard.service")

pytestmark = pytest.mark.skipif(
    shutil.which("systemd-analyze") is None, reason="systemd-analyze not installed"
)


def _verify(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(SCRIPT), str(folder)], capture_output=True, text=True,
                          timeout=120, check=False)  # fmt: skip


def test_the_units_verify_and_are_well_sandboxed() -> None:
    result = _verify(DOCKER)
    assert result.returncode == 0, result.stderr
    scores = dict(re.findall(r"for (\S+): ([\d.]+)", result.stdout))
    assert set(scores) == set(UNITS)
    # systemd's scale: 0 (locked down) to 10 (exposed); under 2 is its "OK".
    assert all(float(score) < 2.0 for score in scores.values()), scores


def test_a_mistyped_setting_fails_the_check(tmp_path: Path) -> None:
    for unit in UNITS:
        text = (DOCKER / unit).read_text(encoding="utf-8")
        (tmp_path / unit).write_text(text.replace("ProtectSystem=", "ProtectSytem="), "utf-8")
    result = _verify(tmp_path)
    assert result.returncode == 1 and "Unknown key 'ProtectSytem'" in result.stderr
