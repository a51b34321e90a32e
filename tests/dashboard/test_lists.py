"""The calls and SMS lists (pages of twenty, search by number or name) and the failed sends."""

from __future__ import annotations

import re
import sqlite3

import pytest
from aiohttp.test_utils import TestClient, TestServer

from agent.dashboard.app import build_app
from agent.dashboard.deliveries import failed_deliveries
from agent.leads.model import Lead
from agent.leads.store import SqliteLeadStore
from agent.sms.outbox import SmsOutbox
from agent.sms.providers import LocalSender
from agent.store.calls import CallStore
from tests.dashboard.conftest import SETTINGS, basic


def _calls(conn: sqlite3.Connection, count: int) -> list[int]:
    calls = CallStore(conn)
    return [calls.create(f"bulk-{i}", f"+3361100{i:04d}") for i in range(count)]


def _call_links(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<td data-label="Date"><a href="/calls/(\d+)">', html)]


async def test_calls_come_in_pages_of_twenty_newest_first(config, conn, sample):
    ids = _calls(conn, 45)  # + the sample's 2: 47 calls, 3 pages
    async with TestClient(TestServer(build_app(config, conn, SETTINGS))) as c:
        first = await (await c.get("/calls", headers=basic())).text()
        last = await (await c.get("/calls?page=3", headers=basic())).text()
        beyond = await (await c.get("/calls?page=999999", headers=basic())).text()
    assert "Appels (47)" in first and "page 1 / 3" in first
    assert _call_links(first) == ids[::-1][:20]
    assert 'href="/calls?page=2" rel="next"' in first and 'rel="prev"' not in first
    assert _call_links(last) == ids[:5][::-1] + sample.call_ids[::-1]
    assert 'href="/calls?page=2" rel="prev"' in last and 'rel="next"' not in last
    assert _call_links(beyond) == _call_links(last) and "page 3 / 3" in beyond


@pytest.mark.parametrize(("query", "expect"), [
    ("06 11 00 00 07", "bulk-7"),  # as the artisan types it; stored +33611000007
    ("+33611000007", "bulk-7"),
    ("dupont", "sample-1"),  # the name on the call's lead
    ("MARIE bron", "sample-1"),  # each word anywhere in the lead's name, street, town
    ("Gérard", "network"),  # the name the network gave, accents ignored either way
    ("gerard", "network"),
    ("dupont lyon", None),
    ("%", None),
])  # fmt: skip
async def test_calls_search_by_number_or_name(config, conn, sample, query, expect):
    ids = dict(zip((f"bulk-{i}" for i in range(12)), _calls(conn, 12), strict=True))
    ids["sample-1"] = sample.call_ids[0]
    ids["network"] = CallStore(conn).create("net", "+33499000000", "GÉRARD PLOMB")
    async with TestClient(TestServer(build_app(config, conn, SETTINGS))) as c:
        response = await c.get("/calls", params={"q": query}, headers=basic())
        html = await response.text()
    assert response.status == 200
    assert _call_links(html) == ([ids[expect]] if expect else [])
    assert f'name="q" value="{query}"' in html
    if expect is None:
        assert "Aucun appel pour cette recherche." in html


async def test_a_search_keeps_its_words_from_page_to_page(config, conn):
    _calls(conn, 30)
    async with TestClient(TestServer(build_app(config, conn, SETTINGS))) as c:
        html = await (await c.get("/calls", params={"q": "0611"}, headers=basic())).text()
        second = await (await c.get("/calls?q=0611&page=2", headers=basic())).text()
    assert "Appels (30)" in html and 'href="/calls?q=0611&amp;page=2" rel="next"' in html
    assert len(_call_links(second)) == 10


def _texts(conn: sqlite3.Connection, count: int) -> None:
    outbox = SmsOutbox(conn, LocalSender())
    for i in range(count):
        outbox.enqueue(f"bulk:{i}", f"+3361100{i:04d}", f"Rappel prévu, message {i:02d}",
                       "caller_recap")  # fmt: skip


async def test_sms_come_in_pages_and_are_found_by_number_or_words(config, conn, sample):
    _texts(conn, 25)  # + the sample's 2: 27 texts, 2 pages
    async with TestClient(TestServer(build_app(config, conn, SETTINGS))) as c:
        first = await (await c.get("/sms", headers=basic())).text()
        second = await (await c.get("/sms?page=2", headers=basic())).text()
        by_number = await c.get("/sms", params={"q": "06 11 00 00 13"}, headers=basic())
        by_words = await c.get("/sms", params={"q": "FUITE bron"}, headers=basic())
        none = await c.get("/sms", params={"q": "plombier chauffagiste"}, headers=basic())
        number_html, words_html = await by_number.text(), await by_words.text()
        none_html = await none.text()
    assert "SMS (27)" in first and first.count("<pre") == 20 and "page 1 / 2" in first
    assert "message 24" in first and 'href="/sms?page=2" rel="next"' in first
    assert second.count("<pre") == 7 and "Bonjour, votre demande est notée." in second
    assert "SMS (1)" in number_html and "message 13" in number_html
    assert "SMS (1)" in words_html and "Fuite urgente à Bron" in words_html
    assert "Aucun SMS pour cette recherche." in none_html


def _failures(conn: sqlite3.Connection, lead_id: int) -> None:
    """A webhook given up (410), an SMS waiting after a 502, one sent, one never tried."""
    conn.execute(
        "INSERT INTO webhook_queue (lead_id, payload, status, attempts, next_attempt_at,"
        " last_error, created_at) VALUES (?, '{}', 'failed', 1, 0, 'HTTP 410 <gone>',"
        " '2026-07-14T09:00:00+00:00')",
        (lead_id,),
    )
    rows = [("late", "pending", 3, "HTTP 502", "2026-07-14T10:00:00+00:00"),
            ("fine", "sent", 1, None, "2026-07-14T11:00:00+00:00"),
            ("fresh", "pending", 0, None, "2026-07-14T12:00:00+00:00")]  # fmt: skip
    for key, status, attempts, error, created in rows:
        conn.execute(
            "INSERT INTO sms_outbox (idem_key, recipient, body, kind, status, attempts,"
            " next_attempt_at, last_error, created_at) VALUES (?, '+33698765432', 'x',"
            " 'artisan_recap', ?, ?, 0, ?, ?)",
            (key, status, attempts, error, created),
        )


async def test_failed_sends_are_listed_with_their_last_error(config, conn):
    lead = SqliteLeadStore(conn).save(Lead(outcome="callback_needed", name="Paul"))
    _failures(conn, lead)
    found = failed_deliveries(conn)
    assert [(d.channel, d.state, d.last_error) for d in found] == [
        ("sms", "retrying", "HTTP 502"),
        ("webhook", "failed", "HTTP 410 <gone>"),
    ]
    assert failed_deliveries(conn, limit=1) == found[:1]
    async with TestClient(TestServer(build_app(config, conn, SETTINGS))) as c:
        day = await (await c.get("/", headers=basic())).text()
        sms = await (await c.get("/sms", headers=basic())).text()
        html = await (await c.get("/deliveries", headers=basic())).text()
        assert (await c.get("/deliveries")).status == 401
    assert 'href="/deliveries">Voir les envois en échec</a>' in day  # from the outage banner
    assert 'href="/deliveries"' in sms
    assert "Envois en échec (2)" in html
    webhook_row = re.search(r'<tr id="webhook-\d+">(.*?)</tr>', html, re.S)
    sms_row = re.search(r'<tr id="sms-\d+">(.*?)</tr>', html, re.S)
    assert webhook_row and sms_row
    assert f'href="/leads/{lead}"' in webhook_row.group(1)
    assert "Abandonné" in webhook_row.group(1) and "HTTP 410 &lt;gone&gt;" in webhook_row.group(1)
    assert "Nouvel essai prévu" in sms_row.group(1) and "HTTP 502" in sms_row.group(1)
    assert 'href="tel:+33698765432"' in sms_row.group(1)


async def test_no_failed_sends_says_so(client):
    html = await (await client.get("/deliveries", headers=basic())).text()
    assert "Envois en échec (0)" in html and "Aucun envoi en échec" in html
