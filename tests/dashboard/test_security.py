"""Login, CSRF-safe status changes (POST-redirect-GET), recordings only from their folder."""

from __future__ import annotations

import os
import re

import pytest
from aiohttp.test_utils import TestClient, TestServer

from agent.dashboard import DashboardSettings
from agent.dashboard.app import build_app
from agent.leads.model import Lead
from agent.leads.store import SqliteLeadStore
from agent.store.calls import CallStore
from tests.dashboard.conftest import basic
from tests.dashboard.sample import write_wav

PAGES = ("/", "/leads/1", "/calls", "/calls/1", "/sms", "/recordings/1.wav", "/leads/1/clips/0.wav")


@pytest.mark.parametrize("headers", [{}, basic(password="wrong"), basic(user="root"),
                                     {"Authorization": "Basic !!notbase64"},
                                     {"Authorization": "Bearer x"}])  # fmt: skip
async def test_every_page_needs_the_right_login(client, headers):
    for path in PAGES:
        response = await client.get(path, headers=headers)
        assert response.status == 401, path
        assert response.headers["WWW-Authenticate"].startswith('Basic realm="decroche"')
    response = await client.post("/leads/1/status", data={"status": "won"}, headers=headers)
    assert response.status == 401


async def test_pages_carry_defensive_headers(client):
    response = await client.get("/", headers=basic())
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cache-Control"] == "no-store"


async def _token(client, lead_id: int) -> str:
    html = await (await client.get(f"/leads/{lead_id}", headers=basic())).text()
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', html)
    assert found
    return found.group(1)


async def test_status_change_post_redirect_get(client, conn, sample):
    lead_id = sample.lead_ids[1]
    token = await _token(client, lead_id)
    origin = f"http://{client.host}:{client.port}"
    response = await client.post(
        f"/leads/{lead_id}/status",
        data={"status": "won", "csrf": token},
        headers={**basic(), "Origin": origin},
        allow_redirects=False,
    )
    assert response.status == 303
    assert response.headers["Location"] == f"/leads/{lead_id}?ok=1"
    html = await (await client.get(response.headers["Location"], headers=basic())).text()
    assert "Statut mis à jour." in html
    assert 'class="badge won">Gagné' in html and '<option value="won" selected>' in html
    assert SqliteLeadStore(conn).get(lead_id).status == "won"
    listing = await (await client.get("/?status=won", headers=basic())).text()
    assert "Jean Moreau" in listing


async def test_cross_origin_or_tokenless_posts_are_refused(client, conn, sample):
    lead_id = sample.lead_ids[0]
    token = await _token(client, lead_id)
    url = f"/leads/{lead_id}/status"
    attempts = [
        ({"status": "lost"}, {"Origin": "http://evil.example"}),  # CSRF-less cross-origin
        ({"status": "lost", "csrf": token}, {"Origin": "http://evil.example"}),
        ({"status": "lost", "csrf": token}, {"Origin": "null"}),
        ({"status": "lost", "csrf": token}, {"Referer": "https://evil.example/page"}),
        ({"status": "lost"}, {}),  # same client, no token
        ({"status": "lost", "csrf": "0" * 64}, {}),
    ]
    for data, extra in attempts:
        response = await client.post(url, data=data, headers={**basic(), **extra})
        assert response.status == 403, (data, extra)
    assert SqliteLeadStore(conn).get(lead_id).status == "new"
    bad = await client.post(url, data={"status": "pwned", "csrf": token}, headers=basic())
    assert bad.status == 400
    missing = await client.post("/leads/999/status", data={"status": "won", "csrf": token},
                                headers=basic())  # fmt: skip
    assert missing.status == 404
    assert (await client.get(url, headers=basic())).status == 405


async def test_recording_is_streamed_as_wav(client, sample):
    response = await client.get(f"/recordings/{sample.call_ids[0]}.wav", headers=basic())
    assert response.status == 200
    assert response.headers["Content-Type"] == "audio/wav"
    assert await response.read() == sample.recording.read_bytes()
    ranged = await client.get(
        f"/recordings/{sample.call_ids[0]}.wav", headers={**basic(), "Range": "bytes=0-3"}
    )
    assert ranged.status == 206 and await ranged.read() == b"RIFF"


async def test_recordings_outside_the_folder_are_refused(client, config, conn, tmp_path):
    folder = config.call.recordings_dir
    assert folder is not None
    secret = tmp_path / "secret.wav"
    write_wav(secret)
    link = folder / "link.wav"
    os.symlink(secret, link)
    write_wav(folder / "x.txt")
    calls = CallStore(conn)
    stored = {
        "traversal": str(folder / ".." / ".." / "secret.wav"),
        "absolute": str(secret),
        "symlink": str(link),
        "missing": str(folder / "gone.wav"),
        "folder": str(folder),
        "not-wav": str(folder / "x.txt"),
    }
    for channel, path in stored.items():
        call_id = calls.create(channel, "+33612345678")
        calls.set_recording(channel, path)
        response = await client.get(f"/recordings/{call_id}.wav", headers=basic())
        assert response.status == 404, channel
        page = await (await client.get(f"/calls/{call_id}", headers=basic())).text()
        assert "<audio controls" not in page, channel
    await _clips_outside_the_folder_are_refused(client, conn, stored)
    for path in ("/recordings/999.wav", "/recordings/..%2F..%2Fsecret.wav",
                 "/recordings/../../secret.wav", "/recordings/1.mp3"):  # fmt: skip
        assert (await client.get(path, headers=basic())).status == 404, path


async def _clips_outside_the_folder_are_refused(client, conn, stored: dict[str, str]) -> None:
    """A lead's clips are served exactly as recordings are: same paths, same refusals."""
    clips = tuple(("address", path) for path in stored.values())
    lead_id = SqliteLeadStore(conn).save(Lead(outcome="callback_needed", clips=clips))
    for index, kind in enumerate(stored):
        response = await client.get(f"/leads/{lead_id}/clips/{index}.wav", headers=basic())
        assert response.status == 404, kind
    page = await (await client.get(f"/leads/{lead_id}", headers=basic())).text()
    assert "<audio" not in page


async def test_no_recordings_folder_means_no_recordings(config, conn, sample):
    import dataclasses

    bare = dataclasses.replace(config, call=dataclasses.replace(config.call, recordings_dir=None))
    settings = DashboardSettings(password="x" * 12)
    async with TestClient(TestServer(build_app(bare, conn, settings))) as client:
        auth = basic(user="artisan", password="x" * 12)
        assert (await client.get("/recordings/1.wav", headers=auth)).status == 404
        assert (await client.get("/leads/1/clips/0.wav", headers=auth)).status == 404
        page = await (await client.get(f"/leads/{sample.lead_ids[0]}", headers=auth)).text()
        assert "<audio" not in page


async def test_loopback_without_password_asks_no_login(config, conn, sample):
    async with TestClient(TestServer(build_app(config, conn, DashboardSettings()))) as client:
        assert (await client.get("/")).status == 200
