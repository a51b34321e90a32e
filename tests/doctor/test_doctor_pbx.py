"""`decroche doctor` against the sandbox Asterisk: all pass, then one fault at a time.

Run under `flock /tmp/pbx.lock`: the sandbox is shared by every helper's pbx tests.
"""

from __future__ import annotations

import asyncio
import subprocess
import time
from pathlib import Path

import pytest

from agent.config import load_config
from agent.doctor.checks import CheckResult
from agent.doctor.cli import CHECKS, diagnose
from agent.service import Agent
from devkit.sandbox.pbx import Sandbox
from tests.doctor.helpers import by_name, write_config
from tests.doctor.registrar import start_registrar

pytestmark = [pytest.mark.pbx, pytest.mark.models]
ROOT = Path(__file__).resolve().parents[2]


async def test_sandbox_passes_every_check(pbx: Sandbox, agent: Agent, tmp_path: Path) -> None:
    results = await diagnose(write_config(tmp_path))
    not_ok = [(r.name, r.detail) for r in results if not r.ok]
    assert not_ok == []
    checks = by_name(results)
    assert "Stasis(decroche) at decroche-inbound,s," in checks["dialplan"].detail
    assert "decroche-fallback" in checks["dialplan"].detail
    assert checks["trunk"].detail.startswith("not configured")
    assert "Asterisk 22" in checks["asterisk_version"].detail


async def test_without_the_agent_the_app_check_fails(pbx: Sandbox, tmp_path: Path) -> None:
    results = by_name(await diagnose(write_config(tmp_path)))
    assert results["ari_app"].status == "fail"
    assert "start the agent" in (results["ari_app"].fix or "")
    assert results["dialplan"].ok and results["ari_credentials"].ok


async def test_wrong_ari_password_names_the_credentials(pbx: Sandbox, tmp_path: Path) -> None:
    results = await diagnose(write_config(tmp_path, ari={"password": "not-the-password"}))
    checks = by_name(results)
    assert checks["ari_reachable"].ok
    assert checks["ari_credentials"].status == "fail"
    assert "401" in checks["ari_credentials"].detail
    for later in ("asterisk_version", "asterisk_modules", "ari_app"):
        assert checks[later].status == "skip"
        assert "ari_credentials failed" in checks[later].detail
    # AMI shares the ARI user: refused too, and the dialplan check is skipped for it.
    assert checks["ami_login"].status == "fail" and checks["dialplan"].status == "skip"


async def test_models_missing(pbx: Sandbox, tmp_path: Path) -> None:
    empty = tmp_path / "no-models"
    empty.mkdir()
    models = {"models_dir": str(empty)}
    results = by_name(await diagnose(write_config(tmp_path, stt=models, tts=models)))
    assert results["stt_model"].status == "fail"
    assert "not installed" in results["stt_model"].detail
    assert results["tts_voice"].status == "fail"
    assert results["tts_speaks"].status == "skip"
    assert results["ari_credentials"].ok  # the rest still runs


async def test_read_only_data_dir(pbx: Sandbox, tmp_path: Path) -> None:
    """chmod does not stop root (the tests run as root): a read-only bind mount does."""
    data = tmp_path / "ro"
    data.mkdir()
    bind = subprocess.run(["mount", "--bind", str(data), str(data)], capture_output=True)
    if bind.returncode != 0:
        pytest.skip(f"cannot bind-mount here: {bind.stderr.decode().strip()}")
    try:
        subprocess.run(["mount", "-o", "remount,ro,bind", str(data)], check=True)
        config = write_config(tmp_path, store={"data_dir": str(data)})
        results = by_name(await diagnose(config))
    finally:
        subprocess.run(["umount", str(data)], check=True)
    assert results["data_dir"].status == "fail"
    assert "read-only file system" in results["data_dir"].detail
    assert results["disk_space"].status == "skip"


TRUNK_CHECKS = [c for c in CHECKS if c.name in ("config", "ami_login", "trunk")]


async def _trunk_check(pbx: Sandbox, tmp_path: Path, port: int) -> CheckResult:
    """Render the sandbox with a trunk registering to 127.0.0.1:port, read the trunk check
    until the registration settles (Asterisk registers at load), then render it back."""
    trunk = {"host": "127.0.0.1", "port": port, "username": "0412345678", "password": "pw"}
    path = write_config(tmp_path, trunk=trunk)
    with_trunk = Sandbox(load_config(path))
    await asyncio.to_thread(with_trunk.start)
    try:
        # A new registration waits a few seconds after a reload before its first REGISTER.
        await asyncio.to_thread(with_trunk.cli, "pjsip send register trunk-reg")
        # `send register` unregisters first: wait for a settled state, not a fixed count
        # of polls (a loaded CI box read 'Unregistered' after 5 s).
        deadline = time.monotonic() + 30.0
        while True:
            result = by_name(await diagnose(path, TRUNK_CHECKS))["trunk"]
            settled = result.ok or "Rejected" in result.detail
            if settled or time.monotonic() > deadline:
                return result
            await asyncio.sleep(0.2)
    finally:
        await asyncio.to_thread(pbx.start)  # the sandbox's own config again


async def test_trunk_registered(pbx: Sandbox, tmp_path: Path) -> None:
    registrar, transport, port = await start_registrar()
    try:
        result = await _trunk_check(pbx, tmp_path, port)
    finally:
        transport.close()
    assert registrar.registers >= 1
    assert result.ok and result.detail == "registered (trunk-reg: Registered)"


async def test_trunk_refused(pbx: Sandbox, tmp_path: Path) -> None:
    registrar, transport, port = await start_registrar("403 Forbidden")
    try:
        result = await _trunk_check(pbx, tmp_path, port)
    finally:
        transport.close()
    assert registrar.registers >= 1
    assert result.status == "fail" and "trunk not registered (trunk-reg: Rejected)" in result.detail
    assert "[trunk] host, username and password" in (result.fix or "")
