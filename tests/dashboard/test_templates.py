"""Template-wide guarantees: bidi controls cannot flip a page, errors are French pages, logout."""

from __future__ import annotations

import re

import pytest
from aiohttp.test_utils import TestClient, TestServer

from agent.dashboard import DashboardSettings
from agent.dashboard.app import build_app
from agent.leads.model import Lead
from agent.leads.store import SqliteLeadStore
from tests.dashboard.conftest import SETTINGS, basic

RLO, LRI, PDI = "\u202e", "\u2066", "\u2069"
BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


async def test_a_right_to_left_override_flips_neither_title_nor_page(config, conn):
    name = f"Jean {RLO}tnaruaD{PDI} {LRI}x"
    store = SqliteLeadStore(conn)
    lead_id = store.save(Lead(outcome="callback_needed", name=name, city=f"{RLO}noyL",
                              problem=f"fuite {RLO}elbuod"))  # fmt: skip
    async with TestClient(TestServer(build_app(config, conn, SETTINGS))) as client:
        pages = [await (await client.get(p, headers=basic())).text()
                 for p in ("/", f"/leads/{lead_id}", "/live")]  # fmt: skip
    for html in pages:
        assert not BIDI.search(html)
    title = re.search(r"<title>(.*?)</title>", pages[1], re.S)
    assert title and title.group(1) == "Jean tnaruaD x · Plomberie Martin"
    assert "<bdi>Jean tnaruaD x</bdi>" in pages[0] and "<bdi>Jean tnaruaD x</bdi>" in pages[1]


async def test_unknown_pages_and_missing_rows_are_french_pages(client):
    for path, text in (("/nope", "Cette page n&#39;existe pas ou plus."),
                       ("/leads/999", "Demande introuvable."),
                       ("/calls/999", "Appel introuvable."),
                       ("/recordings/999.wav", "Enregistrement introuvable.")):  # fmt: skip
        response = await client.get(path, headers=basic())
        assert response.status == 404, path
        assert response.content_type == "text/html"
        html = await response.text()
        assert text in html and '<html lang="fr">' in html, path
        assert response.headers["X-Frame-Options"] == "DENY"  # still hardened
    wrong = await client.get("/leads/1/status", headers=basic())
    assert wrong.status == 405 and "POST" in wrong.headers["Allow"]
    assert "Action impossible" in await wrong.text()


async def test_a_crash_is_a_french_500_page_that_leaks_nothing(config, conn, caplog):
    app = build_app(config, conn, SETTINGS)
    conn.close()  # every query now raises sqlite3.ProgrammingError
    async with TestClient(TestServer(app)) as client:
        response = await client.get("/", headers=basic())
        html = await response.text()
    assert response.status == 500
    assert "Erreur du tableau de bord" in html and "Traceback" not in html
    assert "sqlite" not in html.lower() and "ProgrammingError" not in html
    assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert "dashboard: GET / failed" in caplog.text


async def test_logout_forgets_the_login_and_needs_the_form_token(client):
    html = await (await client.get("/", headers=basic())).text()
    token = re.search(r'action="/logout">\s*<input type="hidden" name="csrf" value="(\w+)"', html)
    assert token
    refused = await client.post("/logout", data={"csrf": "0" * 64}, headers=basic())
    assert refused.status == 403
    response = await client.post("/logout", data={"csrf": token.group(1)}, headers=basic())
    assert response.status == 401
    assert response.headers["WWW-Authenticate"].startswith('Basic realm="decroche"')
    assert "Vous êtes déconnecté" in await response.text()
    assert (await client.post("/logout", data={"csrf": token.group(1)})).status == 401


@pytest.mark.parametrize("path", ["/", "/calls", "/sms"])
async def test_no_logout_button_without_a_login(config, conn, sample, path):
    async with TestClient(TestServer(build_app(config, conn, DashboardSettings()))) as client:
        html = await (await client.get(path)).text()
    assert "/logout" not in html and "<header>" in html
