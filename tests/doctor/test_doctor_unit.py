"""The doctor's logic without Asterisk: the dialplan reading, SMS credentials against a local
HTTP server standing in for the provider, the runner's skips, the data folder checks."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web

from agent.config import load_config
from agent.doctor import host_checks, sms_checks
from agent.doctor.checks import Check, CheckFailed, Context, run_checks
from agent.doctor.dialplan import parse_steps, stasis_steps
from tests.doctor.helpers import write_config

ROOT = Path(__file__).resolve().parents[2]
SID = "AC" + "0123456789abcdef" * 2
TOKEN = "fedcba9876543210" * 2


def _events(context: str, exten: str, *steps: tuple[str, str]) -> list[dict[str, str]]:
    return [
        {"Event": "ListDialplan", "Context": context, "Extension": exten, "Priority": str(i),
         "Application": app, "AppData": data, "Registrar": "pbx_config"}
        for i, (app, data) in enumerate(steps, start=1)
    ]  # fmt: skip


def _globals(name: str) -> str | None:
    return {"APP": "decroche", "FALLBACK": "ext-group"}.get(name)


def test_stasis_with_its_fallback_context() -> None:
    events = _events(
        "in",
        "s",
        ("Answer", ""),
        ("Stasis", "${APP}"),
        ("GotoIf", '$["${STASISSTATUS}" = "FAILED"]?fb,s,1'),
        ("Hangup", ""),
    )
    events += _events("fb", "s", ("NoOp", "x"), ("Dial", "PJSIP/0600@trunk,25"))
    found = stasis_steps(parse_steps(events), "decroche", _globals)
    assert len(found) == 1 and found[0].fallback == "Dial at fb,s,2"  # fmt: skip


def test_stasis_then_hangup_has_no_fallback() -> None:
    events = _events("in", "s", ("Stasis", "decroche"), ("Hangup", ""))
    events += _events("other", "s", ("Dial", "PJSIP/desk"))  # reachable from nowhere
    [found] = stasis_steps(parse_steps(events), "decroche", _globals)
    assert found.fallback is None


def test_freepbx_like_chain_through_a_variable_and_a_macro() -> None:
    """Custom destination -> Goto(${FALLBACK},600,1) -> ring group -> Macro(dial...)."""
    events = _events(
        "custom-decroche", "s", ("Stasis", "decroche,inbound"), ("Goto", "${FALLBACK},600,1")
    )
    events += _events("ext-group", "600", ("Set", "x=1"), ("Macro", "dial,20,tr,101-102"))
    events += _events("macro-dial", "s", ("Dial", "${ARG3}"))
    [found] = stasis_steps(parse_steps(events), "decroche", _globals)
    assert found.fallback == "Dial at macro-dial,s,1"


def test_other_apps_and_generated_contexts_are_not_ours() -> None:
    events = _events("in", "s", ("Stasis", "someone-else"), ("Dial", "x"))
    generated = _events("stasis-decroche", "_.", ("Stasis", "decroche"))
    generated[0]["Registrar"] = "res_stasis"
    assert stasis_steps(parse_steps(events + generated), "decroche", _globals) == []


async def test_runner_skips_what_depends_on_a_failure() -> None:
    async def boom(ctx: Context) -> str:
        raise CheckFailed("down", "start it")

    async def fine(ctx: Context) -> str:
        return "fine"

    checks = [Check("a", "A", boom, needs=()), Check("b", "B", fine, needs=("a",)),
              Check("c", "C", fine, needs=("b",)), Check("d", "D", fine, needs=())]  # fmt: skip
    results = await run_checks(checks, Context(None))
    assert [r.status for r in results] == ["fail", "skip", "skip", "pass"]
    assert results[1].detail == "skipped: a failed"
    assert results[2].detail == "skipped: a failed"  # the root cause, not b
    assert results[0].as_json()["fix"] == "start it"


async def test_data_dir_that_is_a_file(tmp_path: Path) -> None:
    """What fails as root, without mounts: a file where the data folder should be."""
    (tmp_path / "var").write_text("not a folder")
    ctx = Context(None, config=load_config(write_config(tmp_path)))
    with pytest.raises(CheckFailed, match="is a file, not a folder"):
        await host_checks.data_dir(ctx)


async def test_data_dir_writable(tmp_path: Path) -> None:
    ctx = Context(None, config=load_config(write_config(tmp_path)))
    detail = await host_checks.data_dir(ctx)
    assert str(tmp_path / "var") in detail and (tmp_path / "var" / "spool").is_dir()
    assert not list((tmp_path / "var").glob(".doctor-probe-*"))


@pytest.fixture
async def twilio() -> AsyncIterator[str]:
    """A stand-in for api.twilio.com: the account for the right Basic credentials, else 401."""

    async def account(request: web.Request) -> web.Response:
        expected = "Basic " + base64.b64encode(f"{SID}:{TOKEN}".encode()).decode()
        if request.headers.get("Authorization") != expected:
            return web.json_response({"code": 20003, "message": "Authenticate"}, status=401)
        return web.json_response({"sid": request.match_info["sid"], "status": "active"})

    app = web.Application()
    app.router.add_get("/2010-04-01/Accounts/{sid}.json", account)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield f"http://127.0.0.1:{port}"
    await runner.cleanup()


def _twilio_ctx(tmp_path: Path, base_url: str, token: str) -> Context:
    sms = {"provider": "twilio", "twilio": {"account_sid": SID, "auth_token": token,
           "from_number": "+33600000001", "base_url": base_url}}  # fmt: skip
    return Context(None, config=load_config(write_config(tmp_path, sms=sms)))


async def test_sms_credentials_accepted(tmp_path: Path, twilio: str) -> None:
    detail = await sms_checks.sms(_twilio_ctx(tmp_path, twilio, TOKEN))
    assert "accepted the credentials (active)" in detail


async def test_sms_credentials_refused(tmp_path: Path, twilio: str) -> None:
    with pytest.raises(CheckFailed, match="credentials refused \\(HTTP 401") as caught:
        await sms_checks.sms(_twilio_ctx(tmp_path, twilio, "0" * 32))
    assert "[sms.twilio]" in caught.value.fix


async def test_sms_provider_unreachable(tmp_path: Path) -> None:
    with pytest.raises(CheckFailed, match="cannot reach"):
        await sms_checks.sms(_twilio_ctx(tmp_path, "http://127.0.0.1:9", TOKEN))


OVH_KEYS = {"application_key": "ak", "application_secret": "as-secret", "consumer_key": "ck",
            "service_name": "sms-ab12345-1"}  # fmt: skip


@pytest.fixture
async def ovh() -> AsyncIterator[str]:
    """A stand-in for the OVH API that checks the signature of the GET as OVH documents it."""

    async def account(request: web.Request) -> web.Response:
        h = request.headers
        raw = "+".join((OVH_KEYS["application_secret"], h.get("X-Ovh-Consumer", ""), "GET",
                        str(request.url), "", h.get("X-Ovh-Timestamp", "")))  # fmt: skip
        if h.get("X-Ovh-Signature") != "$1$" + hashlib.sha1(raw.encode()).hexdigest():
            return web.json_response({"message": "Invalid signature"}, status=400)
        return web.json_response({"name": request.match_info["name"], "creditsLeft": 42.0})

    app = web.Application()
    app.router.add_get("/1.0/sms/{name}", account)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    await runner.cleanup()


async def test_ovh_signed_read(tmp_path: Path, ovh: str) -> None:
    sms = {"provider": "ovh", "ovh": {**OVH_KEYS, "base_url": ovh}}
    ctx = Context(None, config=load_config(write_config(tmp_path, sms=sms)))
    assert "42.0 credits left" in await sms_checks.sms(ctx)
    bad = {"provider": "ovh", "ovh": {**OVH_KEYS, "application_secret": "x", "base_url": ovh}}
    ctx = Context(None, config=load_config(write_config(tmp_path, sms=bad)))
    with pytest.raises(CheckFailed, match="HTTP 400"):
        await sms_checks.sms(ctx)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.models
def test_cli_json_when_ari_is_down(tmp_path: Path) -> None:
    """No Asterisk at the configured URL: exit 1, ari_reachable named, the rest skipped."""
    ari = {"url": f"http://127.0.0.1:{_free_port()}"}
    config = write_config(tmp_path, ari=ari, pbx={"ami_port": _free_port()})
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "agent.cli", "doctor", "--config", str(config), "--json"],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=120,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    checks = {c["name"]: c for c in json.loads(done.stdout)}
    assert set(checks["ari_reachable"]) >= {"name", "ok", "detail", "fix"}
    assert checks["ari_reachable"]["ok"] is False and checks["ari_reachable"]["fix"]
    assert checks["ari_credentials"]["status"] == "skip"
    assert checks["ami_login"]["ok"] is False
    assert checks["config"]["ok"] is True and checks["tts_speaks"]["ok"] is True
