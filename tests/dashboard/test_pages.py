"""Every page lists what the stores hold, in the artisan's time zone, everything escaped."""

from __future__ import annotations

import re

from aiohttp.test_utils import TestClient, TestServer

from agent.dashboard.app import build_app
from tests.dashboard.conftest import SETTINGS, basic
from tests.dashboard.sample import EVIL, fill


async def test_leads_page_lists_urgent_then_new_then_spam_with_every_field(client):
    response = await client.get("/", headers=basic())
    assert response.status == 200
    assert response.content_type == "text/html"
    html = await response.text()
    # the urgent lead first although it is the oldest; spam after the real requests
    assert html.index("Marie Dupont") < html.index("Jean Moreau")
    assert html.index("Jean Moreau") < html.index("démarchage panneaux solaires")
    assert 'title="14/07/2026 12:30"' in html  # 10:30 UTC shown in Europe/Paris (summer time)
    assert 'href="tel:+33612345678">06 12 34 56 78</a>' in html
    assert "12 rue des Lilas, 69500 Bron" in html
    assert "openstreetmap.org/search?query=12+rue+des+Lilas%2C+69500+Bron" in html
    assert "fuite d&#39;eau sous l&#39;évier" in html
    assert 'class="badge urgent">URGENT' in html
    assert "Transféré au mobile" in html and "À rappeler" in html
    assert html.count('class="badge new">Nouveau') == 3
    # one script, our own file (live refresh); nothing loaded from elsewhere
    assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/live.js" defer>']
    assert "http" not in html.split("<main>")[0]


async def test_leads_filters_by_status_and_urgency(client, conn):
    from agent.leads.store import SqliteLeadStore

    SqliteLeadStore(conn).set_status(2, "won")
    html = await (await client.get("/?status=won", headers=basic())).text()
    assert "Jean Moreau" in html and "Marie Dupont" not in html
    assert '<option value="won" selected>' in html
    html = await (await client.get("/?urgent=1", headers=basic())).text()
    assert "Marie Dupont" in html and "Jean Moreau" not in html
    html = await (await client.get("/?status=lost", headers=basic())).text()
    assert "Aucune demande" in html
    html = await (await client.get("/?status=bogus", headers=basic())).text()
    assert "Jean Moreau" in html and "Marie Dupont" in html  # unknown filter = everything


async def test_lead_detail_has_fields_transcript_player_and_form(client, sample):
    html = await (await client.get(f"/leads/{sample.lead_ids[0]}", headers=basic())).text()
    for text in ("Marie Dupont", "69500", "Bron", "fuite", "Transféré au mobile"):
        assert text in html
    assert "Client</span>J&#39;ai une fuite sous l&#39;évier" in html
    assert f'<audio controls preload="none" src="/recordings/{sample.call_ids[0]}.wav">' in html
    assert re.search(r'name="csrf" value="[0-9a-f]{64}"', html)
    assert f'action="/leads/{sample.lead_ids[0]}/status"' in html
    assert 'button type="submit" name="status" value="won">Gagné</button>' in html  # one tap
    assert 'name="next"' not in html  # from its own page, a change comes back to it
    other = await (await client.get(f"/leads/{sample.lead_ids[1]}", headers=basic())).text()
    assert "<audio controls" not in other and "Pas d'enregistrement" in other
    assert (await client.get("/leads/999", headers=basic())).status == 404
    assert (await client.get("/leads/abc", headers=basic())).status == 404
    assert (await client.get("/leads/" + "9" * 5000, headers=basic())).status == 404


async def test_calls_page_and_call_transcript(client, sample):
    html = await (await client.get("/calls", headers=basic())).text()
    assert "Appels (2)" in html
    assert 'href="tel:+33478123456"' in html
    assert f'href="/leads/{sample.lead_ids[0]}"' in html
    assert f'href="/recordings/{sample.call_ids[0]}.wav"' in html
    assert html.count("écouter") == 1  # the second call has no recording
    detail = await (await client.get(f"/calls/{sample.call_ids[0]}", headers=basic())).text()
    assert "Plomberie Martin, bonjour" in detail and "4.2 s · Client" in detail
    assert "Client · compris à 87 %</span>J&#39;ai une fuite" in detail
    assert "Standard</span>Plomberie Martin" in detail  # the agent's own turns carry no score
    assert "<audio controls" in detail
    assert (await client.get("/calls/999", headers=basic())).status == 404


async def test_sms_page_lists_the_outbox(client):
    html = await (await client.get("/sms", headers=basic())).text()
    assert "SMS (2)" in html
    assert "Bonjour, votre demande est notée." in html
    assert 'class="badge sent">Envoyé' in html and 'class="badge pending">En attente' in html
    assert "Récap. artisan" in html and "+33698765432" in html


async def test_healthz_counts_rows_without_login(client):
    response = await client.get("/healthz")
    assert response.status == 200
    assert await response.json() == {"status": "ok", "calls": 2, "leads": 3}


async def test_caller_speech_is_escaped_everywhere(config, conn):
    assert config.call.recordings_dir is not None
    sample = await fill(conn, config.call.recordings_dir, evil=True)
    async with TestClient(TestServer(build_app(config, conn, SETTINGS))) as client:
        for path in ("/", f"/leads/{sample.lead_ids[0]}", "/calls", "/calls/1", "/sms"):
            html = await (await client.get(path, headers=basic())).text()
            assert "<img" not in html, path
            scripts = re.findall(r"<script[^>]*>", html)  # only our own live-refresh file
            assert scripts in ([], ['<script src="/static/live.js" defer>']), path
        detail = await (await client.get(f"/leads/{sample.lead_ids[0]}", headers=basic())).text()
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in detail  # markupsafe: &#34;
    assert EVIL not in detail


def _dd(html: str, term: str) -> str:
    found = re.search(rf"<dt>{term}</dt><dd>(.*?)</dd>", html, re.S)
    assert found, term
    return found.group(1)


async def test_lead_detail_plays_each_clip_next_to_its_field(client, sample):
    lead_id = sample.lead_ids[0]
    html = await (await client.get(f"/leads/{lead_id}", headers=basic())).text()
    name, address, phone = _dd(html, "Nom"), _dd(html, "Adresse"), _dd(html, "Téléphone")
    assert f'src="/leads/{lead_id}/clips/0.wav"' in name and "clips/1" not in name
    assert f'src="/leads/{lead_id}/clips/1.wav"' in address and "clips/0" not in address
    assert "<audio" not in phone
    assert "à vérifier" in address and "à vérifier" not in name + phone
    assert "entendu : « douze rue des lilas a bronx » (confiance 62 %)" in address
    listed = await (await client.get("/", headers=basic())).text()
    assert listed.count("adresse à vérifier") == 1
    card = re.search(rf'<article[^>]*id="lead-{lead_id}">(.*?)</article>', listed, re.S)
    assert card and "Écouter le client (nom, adresse)" in card.group(1)
    assert card.group(1).count("<audio") == 2
    for index, clip in enumerate(sample.clips):
        response = await client.get(f"/leads/{lead_id}/clips/{index}.wav", headers=basic())
        assert response.status == 200 and response.content_type == "audio/wav"
        assert await response.read() == clip.read_bytes()
    ranged = await client.get(
        f"/leads/{lead_id}/clips/1.wav", headers={**basic(), "Range": "bytes=0-3"}
    )
    assert ranged.status == 206 and await ranged.read() == b"RIFF"


async def test_clips_missing_or_out_of_range_are_not_found(client, sample):
    lead_id = sample.lead_ids[0]
    for path in (f"/leads/{lead_id}/clips/2.wav", f"/leads/{sample.lead_ids[1]}/clips/0.wav",
                 "/leads/999/clips/0.wav", f"/leads/{lead_id}/clips/1234.wav",
                 f"/leads/{lead_id}/clips/-1.wav"):  # fmt: skip
        assert (await client.get(path, headers=basic())).status == 404, path
    sample.clips[0].unlink()  # purged by retention: no player, no file
    html = await (await client.get(f"/leads/{lead_id}", headers=basic())).text()
    assert "clips/0.wav" not in html and "clips/1.wav" in html
    listed = await (await client.get("/", headers=basic())).text()
    assert "clips/0.wav" not in listed and "Écouter le client (adresse)" in listed
