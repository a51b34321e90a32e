"""The day view: figures from the real tables, order, search, pages, one-tap status, refresh."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from aiohttp.test_utils import TestClient, TestServer
from markupsafe import escape

from agent.dashboard.app import build_app
from agent.dashboard.render import relative_time
from agent.leads.model import Lead
from agent.leads.store import SqliteLeadStore
from tests.dashboard.conftest import SETTINGS, basic
from tests.dashboard.day_rows import FIGURES, expected, insert_rows

PARIS = ZoneInfo("Europe/Paris")
# Monday 30 November 2026, 10:20 in Paris: "today" began 10 h 20 min ago, the week on Tuesday.
NOW = datetime(2026, 11, 30, 9, 20, tzinfo=UTC)


def _figures_on(html: str) -> dict[str, tuple[int, int]]:
    found = {}
    for name in FIGURES:
        today = re.search(rf'id="today-{name}">(\d+)<', html)
        week = re.search(rf'id="week-{name}">(\d+)<', html)
        if today and week:
            found[name] = (int(today.group(1)), int(week.group(1)))
    return found


@pytest.fixture
async def day_client(config, conn):
    insert_rows(conn, NOW)
    async with TestClient(TestServer(build_app(config, conn, SETTINGS, now=lambda: NOW))) as c:
        yield c


async def test_figures_match_the_tables(day_client, conn):
    html = await (await day_client.get("/", headers=basic())).text()
    shown = _figures_on(html)
    want = expected(conn, PARIS, NOW)
    assert shown == want
    # the rows were spread so that each figure differs between today and the week
    assert want["calls"] == (3, 5) and want["missed"] == (1, 2) and want["urgent"] == (1, 2)
    assert want["sms_failed"] == (1, 2) and want["leads"] == (1, 4)
    tile = re.search(r'<div class="fig bad" data-fig="sms_failed">(.*?)</div>', html, re.S)
    assert tile and '<a class="w" href="/deliveries">voir le détail</a>' in tile.group(1)


async def test_figures_roll_over_at_local_midnight(config, conn):
    """23:30 UTC on 30 Nov is already 1 December in Paris: yesterday's rows leave "today"."""
    late = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)
    insert_rows(conn, NOW)
    async with TestClient(TestServer(build_app(config, conn, SETTINGS, now=lambda: late))) as c:
        html = await (await c.get("/", headers=basic())).text()
    assert _figures_on(html) == expected(conn, PARIS, late)
    assert _figures_on(html)["calls"][0] == 0


def test_relative_times_read_in_french():
    def ago(delta: timedelta) -> str:
        return relative_time((NOW - delta).isoformat(), PARIS, NOW)

    assert ago(timedelta(seconds=20)) == "à l'instant"
    assert ago(timedelta(minutes=5)) == "il y a 5 min"
    assert ago(timedelta(hours=2, minutes=59)) == "il y a 2 h"
    assert ago(timedelta(hours=13)) == "hier à 21:20"  # 20:20 UTC = 21:20 in Paris (winter)
    assert ago(timedelta(days=3)) == "vendredi à 10:20"
    assert ago(timedelta(days=40)) == "le 21/10/2026 à 11:20"  # still summer time then
    assert relative_time("not a date", PARIS, NOW) == "not a date"


async def test_urgent_new_leads_come_first_then_new_ones(day_client, conn):
    leads = SqliteLeadStore(conn)
    leads.set_status(1, "called_back")  # the newest urgent one, already handled
    html = await (await day_client.get("/", headers=basic())).text()
    order = [int(n) for n in re.findall(r'<article class="card[^"]*" id="lead-(\d+)"', html)]
    urgent_new = [4, 5]  # urgent and still new, newest first
    assert order[:2] == urgent_new
    assert order[2:4] == [6, 3]  # new, not urgent, newest first
    assert set(order[4:]) == {1, 2}  # the handled one and the spam


async def _new_leads(conn, count: int) -> None:
    store = SqliteLeadStore(conn)
    for i in range(count):
        lead = Lead(outcome="callback_needed", name=f"Client {i:02d}", city="Lyon",
                    caller_number=f"+336000000{i:02d}")  # fmt: skip
        store.save(lead, at=NOW.timestamp() - i * 60)


async def test_pages_of_twenty_with_links_both_ways(config, conn):
    await _new_leads(conn, 45)
    async with TestClient(TestServer(build_app(config, conn, SETTINGS, now=lambda: NOW))) as c:
        first = await (await c.get("/", headers=basic())).text()
        last = await (await c.get("/?page=3", headers=basic())).text()
        beyond = await (await c.get("/?page=999999", headers=basic())).text()
        bogus = await (await c.get("/?page=-2", headers=basic())).text()
    assert first.count("<article") == 20 and "page 1 / 3" in first
    assert 'href="/?page=2" rel="next"' in first and 'rel="prev"' not in first
    assert last.count("<article") == 5 and 'href="/?page=2" rel="prev"' in last
    assert "Client 44" in last and "Client 00" in first
    assert "page 3 / 3" in beyond and "page 1 / 3" in bogus
    assert 'id="today-calls"' not in last  # the figures head page 1 only


@pytest.mark.parametrize(("query", "names"), [
    ("helene", {"Hélène Prévost"}),  # accents and case ignored
    ("VILLEURBANNE", {"Hélène Prévost"}),
    ("06 11 22", {"Hélène Prévost"}),  # as the artisan types it; stored +33611223344
    ("0478", {"Jean Moreau"}),
    ("69002", {"Jean Moreau"}),
    ("lyon  MOREAU", {"Jean Moreau"}),  # each word anywhere: name, street, postcode, town
    ("bellecour", {"Jean Moreau"}),
    ("moreau villeurbanne", set()),
    ("%", set()),  # LIKE wildcards are literal
    ("_", set()),
])  # fmt: skip
async def test_search_by_name_number_or_town(config, conn, query, names):
    store = SqliteLeadStore(conn)
    store.save(Lead(outcome="transferred", name="Hélène Prévost", city="Villeurbanne",
                    postcode="69100", caller_number="+33611223344"))  # fmt: skip
    store.save(Lead(outcome="callback_needed", name="Jean Moreau", city="Lyon", postcode="69002",
                    street="3 place Bellecour", caller_number="+33478123456"))  # fmt: skip
    async with TestClient(TestServer(build_app(config, conn, SETTINGS))) as c:
        response = await c.get("/", params={"q": query}, headers=basic())
        html = await response.text()
    assert response.status == 200
    shown = set(re.findall(r"<h3><a href=\"/leads/\d+\"><bdi>([^<]+)</bdi>", html))
    assert shown == names
    typed = " ".join(query.split())  # the box keeps what was typed, spaces tidied
    assert f'name="q" value="{escape(typed)}"' in html


async def test_one_tap_from_a_card_comes_back_to_the_same_list(client, conn, sample):
    lead_id = sample.lead_ids[1]
    html = await (await client.get("/?q=moreau", headers=basic())).text()
    token = re.search(r'name="csrf" value="([0-9a-f]+)"', html)
    back = re.search(r'name="next" value="([^"]+)"', html)
    assert token and back and back.group(1) == "/?q=moreau"
    assert '<a class="btn call" href="tel:+33478123456">Appeler</a>' in html
    form = {"status": "called_back", "csrf": token.group(1), "next": back.group(1)}
    response = await client.post(f"/leads/{lead_id}/status", data=form, headers=basic(),
                                 allow_redirects=False)  # fmt: skip
    assert response.status == 303
    assert response.headers["Location"] == f"/?q=moreau&ok=1#lead-{lead_id}"
    assert SqliteLeadStore(conn).get(lead_id).status == "called_back"
    again = await (await client.get("/?q=moreau&ok=1", headers=basic())).text()
    assert "Statut mis à jour." in again
    assert 'value="called_back" disabled aria-pressed="true">Rappelé' in again


FORGED = ["//evil.example/", "https://evil.example/", "/\\evil.example", "/leads/1/../../x",
          "javascript:alert(1)", "/?q=a\r\nX: y"]  # fmt: skip


@pytest.mark.parametrize("forged", FORGED)
async def test_a_forged_next_never_redirects_elsewhere(client, sample, forged):
    html = await (await client.get("/", headers=basic())).text()
    token = re.search(r'name="csrf" value="([0-9a-f]+)"', html)
    assert token
    lead_id = sample.lead_ids[0]
    response = await client.post(
        f"/leads/{lead_id}/status",
        data={"status": "won", "csrf": token.group(1), "next": forged},
        headers=basic(),
        allow_redirects=False,
    )
    assert response.status == 303
    location = response.headers["Location"]
    assert location.startswith(("/?", f"/leads/{lead_id}?")) and "evil" not in location
    assert "\n" not in location and "\r" not in location


async def test_long_problems_fold_and_bookings_show(config, conn):
    store = SqliteLeadStore(conn)
    long = "L'eau coule depuis le plafond de la salle de bain. " * 40
    visit = datetime(2026, 12, 1, 14, 0, tzinfo=PARIS)
    store.save(Lead(outcome="callback_needed", name="Paul Petit", problem=long,
                    visit_start=visit, visit_end=visit + timedelta(hours=1)))  # fmt: skip
    async with TestClient(TestServer(build_app(config, conn, SETTINGS, now=lambda: NOW))) as c:
        html = await (await c.get("/", headers=basic())).text()
    folded = re.search(
        r'<details class="long"><summary>(.*?)</summary><pre>(.*?)</pre>', html, re.S
    )
    assert folded and len(folded.group(1)) < 160 and folded.group(1).endswith("…")
    assert folded.group(2).count("L&#39;eau coule") == 40  # the whole text, once opened
    assert "Rendez-vous : <strong>mardi 1er décembre à 14 h</strong>" in html


async def test_live_fragment_and_its_script(client):
    page = await client.get("/", headers=basic())
    csp = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "connect-src 'self'" in csp
    assert "unsafe-eval" not in csp and "script-src 'self' 'unsafe-inline'" not in csp
    assert 'data-src="/live"' in await page.text()
    live = await client.get("/live", params={"q": "dupont"}, headers=basic())
    html = await live.text()
    assert live.status == 200 and "<html" not in html and "<script" not in html
    assert "Marie Dupont" in html and "Jean Moreau" not in html and 'id="today-calls"' in html
    js = await client.get("/static/live.js", headers=basic())
    assert js.status == 200 and js.content_type == "text/javascript"
    assert "fetch(" in await js.text()
    other = await client.get("/calls", headers=basic())
    assert "script-src" not in other.headers["Content-Security-Policy"]  # elsewhere: no script
    assert (await client.get("/live", headers={})).status == 401


async def test_a_provider_outage_shows_on_top(config, conn):
    for i, error in enumerate(("HTTP 503", "<b>HTTP 502</b>")):
        conn.execute(
            "INSERT INTO sms_outbox (idem_key, recipient, body, kind, status, attempts,"
            " next_attempt_at, last_error, created_at) VALUES (?, '+33612345678', 'x',"
            " 'caller_recap', 'pending', 3, 0, ?, ?)",
            (f"k{i}", error, (NOW - timedelta(minutes=42 - i)).isoformat()),
        )
    async with TestClient(TestServer(build_app(config, conn, SETTINGS, now=lambda: NOW))) as c:
        html = await (await c.get("/", headers=basic())).text()
        conn.execute("UPDATE sms_outbox SET status = 'sent'")
        after = await (await c.get("/live", headers=basic())).text()
    alert = re.search(r'<p class="alert" role="alert">(.*?)</p>', html)
    assert alert, html
    assert alert.group(1) == (
        "2 envois SMS en attente : le destinataire ne répond pas (depuis il y a 42 min ;"
        " dernière erreur : &lt;b&gt;HTTP 502&lt;/b&gt;)."
        ' <a href="/deliveries">Voir les envois en échec</a>'
    )
    assert 'class="alert"' not in after


async def test_figures_read_stamps_written_with_any_offset(config, conn):
    """01:00 UTC written as 20:00 the day before at UTC-5 is still today in Paris."""
    for i, stamp in enumerate(("2026-11-29T20:00:00-05:00", "2026-11-30T08:00:00.123456+00:00",
                               "2026-11-29T22:59:59+00:00")):  # fmt: skip
        conn.execute(
            "INSERT INTO calls (channel_id, started_at, outcome) VALUES (?, ?, 'completed')",
            (f"offset-{i}", stamp),
        )
    async with TestClient(TestServer(build_app(config, conn, SETTINGS, now=lambda: NOW))) as c:
        html = await (await c.get("/live", headers=basic())).text()
    assert _figures_on(html)["calls"] == (2, 3)  # 23:59:59 in Paris the day before: the week
