"""`decroche privacy export|delete NUMBER` and POST /privacy/delete on real rows and files."""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from aiohttp.web import Application, Request

from agent.config import Config, load_config
from agent.dashboard.app import build_app
from agent.leads.model import Lead
from agent.leads.store import SqliteLeadStore
from agent.privacy.cli import main
from agent.sms.outbox import SmsOutbox
from agent.sms.providers import LocalSender
from agent.store.calls import CallStore
from agent.store.db import connect
from tests.dashboard.conftest import SETTINGS, basic
from tests.dashboard.sample import Sample, fill, write_wav

BUSINESS = '[business]\nname = "Plomberie X"\ntrade = "plombier"\nmobile = "+33698765432"\n'
CALLER = "+33612345678"


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    path = tmp_path / "etc" / "decroche.toml"
    path.parent.mkdir()
    path.write_text(BUSINESS + '[store]\ndata_dir = "var"\n', encoding="utf-8")
    return path


@pytest.fixture
def config(config_file: Path) -> Config:
    return load_config(config_file)


@pytest.fixture
async def world(config: Config) -> tuple[Sample, list[Path], list[Path]]:
    """The dashboard sample (call 1 = CALLER, recorded, two clips; call 2 someone else), plus:
    a lead naming CALLER in national form, a missed call and its text, a webhook row, a clip
    no row names; returns (sample, CALLER's files, files that must stay)."""
    folder = config.call.recordings_dir
    assert folder is not None
    conn = connect(config.database)
    sample = await fill(conn, folder)
    first, second = sample.call_ids
    SqliteLeadStore(conn, webhook_outcomes=("callback_needed",)).save(
        Lead(outcome="callback_needed", caller_number="06 12 34 56 78", name="Marie D.")
    )
    conn.execute(
        "INSERT INTO webhook_queue (lead_id, payload, next_attempt_at, created_at)"
        " VALUES (?, '{\"name\": \"Marie Dupont\"}', 0, '2026-07-14T10:30:00+00:00')",
        (sample.lead_ids[0],),
    )
    conn.execute(
        "INSERT INTO missed_calls VALUES ('u-9', '0612345678', '2026-07-14T08:00:00+00:00',"
        " '2026-07-14T08:00:30+00:00', 'NO ANSWER', 0, 0, 1, NULL, '2026-07-14T08:01:00+00:00')"
    )
    SmsOutbox(conn, LocalSender()).enqueue(
        f"missed:u-9:{CALLER}:caller_missed", CALLER, "Désolé, rappel bientôt", "caller_missed"
    )
    orphan = folder / f"call-{first:06d}-phone-1.wav"
    write_wav(orphan)
    other = folder / f"call-{second:06d}-name-1.wav"
    write_wav(other)
    conn.close()
    return sample, [sample.recording, *sample.clips, orphan], [other]


def _count(config: Config, sql: str) -> int:
    conn = connect(config.database)
    try:
        return int(conn.execute(sql).fetchone()[0])
    finally:
        conn.close()


def test_export_writes_every_row_and_audio_of_the_number(config_file, config, world, tmp_path):
    sample, files, _ = world
    assert main(["--config", str(config_file), "export", "06.12.34.56.78",
                 "--out", str(tmp_path / "out")]) == 0  # fmt: skip
    [folder] = (tmp_path / "out").iterdir()
    data = json.loads((folder / "data.json").read_text(encoding="utf-8"))
    assert data["number"] == CALLER
    assert [c["id"] for c in data["calls"]] == [sample.call_ids[0]]
    assert data["calls"][0]["transcript"][1]["text"].startswith("J'ai une fuite")
    assert sorted(x["name"] for x in data["leads"]) == ["Marie D.", "Marie Dupont"]
    assert sorted(s["kind"] for s in data["sms"]) == ["artisan_recap", "caller_missed",
                                                      "caller_recap"]  # fmt: skip
    assert [m["uniqueid"] for m in data["missed_calls"]] == ["u-9"]
    payloads = [n["payload"] for n in data["webhook_notifications"]]
    assert {"name": "Marie Dupont"} in payloads and len(payloads) == 2  # decoded JSON
    copies = {entry["recorded_as"]: folder / entry["file"] for entry in data["audio"]}
    assert sorted(copies) == sorted(f.name for f in files)
    for original in files:
        assert copies[original.name].read_bytes() == original.read_bytes()
    assert "Jean Moreau" not in (folder / "data.json").read_text(encoding="utf-8")
    [entry] = _audit(config)
    assert entry["action"] == "export" and entry["counts"]["files"] == 4


def _audit(config: Config) -> list[dict[str, Any]]:
    text = (config.data_dir / "privacy-audit.jsonl").read_text(encoding="utf-8")
    assert "12345678" not in text  # the audit proves the request, not the number
    return [json.loads(line) for line in text.splitlines()]


def test_delete_removes_rows_and_files_and_nothing_else(config_file, config, world, capsys):
    _, files, kept = world
    assert main(["--config", str(config_file), "delete", CALLER]) == 1  # no terminal, no --yes
    assert all(f.exists() for f in files)
    assert main(["--config", str(config_file), "delete", CALLER, "--yes"]) == 0
    assert not any(f.exists() for f in files) and all(f.exists() for f in kept)
    assert _count(config, "SELECT COUNT(*) FROM calls") == 1
    assert _count(config, "SELECT COUNT(*) FROM leads WHERE name = 'Jean Moreau'") == 1
    assert _count(config, "SELECT COUNT(*) FROM leads") == 2  # Jean Moreau's and the spam
    assert _count(config, "SELECT COUNT(*) FROM sms_outbox") == 0
    assert _count(config, "SELECT COUNT(*) FROM missed_calls") == 0
    assert _count(config, "SELECT COUNT(*) FROM webhook_queue") == 0
    capsys.readouterr()
    assert main(["--config", str(config_file), "delete", CALLER, "--yes"]) == 0
    assert "0 appel(s), 0 demande(s), 0 SMS" in capsys.readouterr().out
    actions = [(e["action"], e["via"]) for e in _audit(config)]
    assert actions == [("delete", "cli"), ("delete", "cli")]
    assert _audit(config)[0]["counts"] == {"webhook_queue": 2, "sms_outbox": 3, "leads": 2,
                                           "missed_calls": 1, "calls": 1, "files": 4}  # fmt: skip
    assert main(["--config", str(config_file), "delete", "12"]) == 2  # not a number


@contextlib.asynccontextmanager
async def _dashboard(config: Config) -> AsyncIterator[TestClient[Request, Application]]:
    """The dashboard on its own connection, as `decroche dashboard` runs it."""
    conn = connect(config.database)
    try:
        async with TestClient(TestServer(build_app(config, conn, SETTINGS))) as client:
            yield client
    finally:
        conn.close()


async def test_dashboard_delete_is_behind_login_and_csrf(config, world):
    sample, files, kept = world
    async with _dashboard(config) as client:
        html = await (await client.get(f"/leads/{sample.lead_ids[1]}", headers=basic())).text()
        token = re.search(r'name="csrf" value="([0-9a-f]+)"', html)
        assert token
        form = {"number": "0612345678", "csrf": token.group(1)}
        assert (await client.post("/privacy/delete", data=form)).status == 401
        tokenless = {"number": "0612345678"}
        assert (await client.post("/privacy/delete", data=tokenless,
                                  headers=basic())).status == 403  # fmt: skip
        foreign = {**basic(), "Origin": "http://evil.example"}
        assert (await client.post("/privacy/delete", data=form, headers=foreign)).status == 403
        assert all(f.exists() for f in files)
        bad = await client.post("/privacy/delete", data={**form, "number": "abc"},
                                headers=basic())  # fmt: skip
        assert bad.status == 400
        done = await client.post("/privacy/delete", data=form, headers=basic(),
                                 allow_redirects=False)  # fmt: skip
        assert done.status == 303 and done.headers["Location"] == "/?privacy=deleted"
    assert not any(f.exists() for f in files) and all(f.exists() for f in kept)
    assert _count(config, "SELECT COUNT(*) FROM calls") == 1
    assert [(e["action"], e["via"]) for e in _audit(config)] == [("delete", "dashboard")]


def _privacy_form(html: str) -> dict[str, str]:
    """The fields of the erasure form, which must sit inside its folded confirmation."""
    found = re.search(
        r'<details class="privacy">\s*<summary>Supprimer les données de ce numéro</summary>'
        r'(.*?)</details>', html, re.S,
    )  # fmt: skip
    assert found, "no folded confirmation around the erasure form"
    inner = found.group(1)
    assert '<form method="post" action="/privacy/delete">' in inner
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', inner))


@pytest.mark.parametrize("page", ["lead", "call"])
async def test_the_dashboard_form_erases_the_number_then_says_so(config, world, page):
    sample, files, kept = world
    async with _dashboard(config) as client:
        path = f"/leads/{sample.lead_ids[0]}" if page == "lead" else \
            f"/calls/{sample.call_ids[0]}"  # fmt: skip
        form = _privacy_form(await (await client.get(path, headers=basic())).text())
        assert form["number"] == CALLER and set(form) == {"csrf", "number"}
        done = await client.post("/privacy/delete", data=form, headers=basic())
        assert done.status == 200 and done.url.path_qs == "/?privacy=deleted"
        assert "Les données de ce numéro ont été supprimées" in await done.text()
        again = await client.post("/privacy/delete", data=form, headers=basic())
        assert again.url.path_qs == "/?privacy=none"
        assert "Aucune donnée n&#39;était enregistrée pour ce numéro" in await again.text()
        assert (await client.get(path, headers=basic())).status == 404
        other = await (await client.get(f"/calls/{sample.call_ids[1]}", headers=basic())).text()
        assert _privacy_form(other)["number"] == "+33478123456"
    assert not any(f.exists() for f in files) and all(f.exists() for f in kept)
    assert _count(config, "SELECT COUNT(*) FROM calls") == 1
    assert _count(config, "SELECT COUNT(*) FROM leads") == 2  # Jean Moreau's and the spam


async def test_no_erasure_form_without_a_number(config, world):
    sample, _, _ = world
    conn = connect(config.database)
    hidden = CallStore(conn).create("chan-anon", "anonymous")  # a caller ID, not a number
    conn.close()
    async with _dashboard(config) as client:
        spam = await (await client.get(f"/leads/{sample.lead_ids[2]}", headers=basic())).text()
        anonymous = await (await client.get(f"/calls/{hidden}", headers=basic())).text()
    assert "/privacy/delete" not in spam  # the spam lead has no caller number
    assert "Appel n° " in anonymous and "/privacy/delete" not in anonymous
