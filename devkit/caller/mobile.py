"""sipp standing in for the artisan's mobile behind the trunk (tests, demo)."""

from __future__ import annotations

import subprocess
from pathlib import Path

SCENARIOS = Path(__file__).parent / "sipp"


def start_mobile(
    behaviour: str, port: int, calls: int = 1, timeout_s: int = 90
) -> subprocess.Popen[bytes]:
    """behaviour: 'accept' (answers, presses 1 after 3 s), 'busy' (486), 'ring' (rings until
    cancelled) or 'uas' (answers)."""
    scenario = (
        ["-sn", "uas"]
        if behaviour == "uas"
        else ["-sf", str(SCENARIOS / f"mobile_{behaviour}.xml")]
    )
    return subprocess.Popen(
        [
            "sipp",
            *scenario,
            "-i",
            "127.0.0.1",
            "-p",
            str(port),
            "-mi",
            "127.0.0.1",
            "-m",
            str(calls),
            "-timeout",
            str(timeout_s),
            "-nostdin",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        cwd="/tmp",
    )
