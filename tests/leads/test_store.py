from __future__ import annotations

import dataclasses
import itertools
import json
import sqlite3

import pytest

from agent.leads import Lead, LeadNotFound, SqliteLeadStore, Turn, lead_payload
from agent.store.db import _statements, connect, migrate, migration_scripts

LEAD = Lead(
    outcome="callback_needed",
    caller_number="+33612345678",
    name="Marie Dupont",
    street="12 rue des Lilas",
    postcode="69500",
    city="Bron",
    problem="devis salle de bain",
    category="devis",
    urgent=False,
    transcript=(Turn("agent", "Quel est votre problème ?"), Turn("caller", "un devis")),
    recording_path="/var/rec/1.wav",
    address_heard="douze rue des lilas à bron",
    address_confidence=0.83,
    to_check=("name", "address"),
    clips=(("name", "/var/rec/call-000001-name-1.wav"), ("address", "/var/rec/a b-é.wav")),
)


@pytest.fixture
def db(tmp_path):
    conn = connect(tmp_path / "agent.sqlite3")
    yield conn
    conn.close()


def test_save_and_read_back_every_field(db):
    store = SqliteLeadStore(db, clock=lambda: 1_790_000_000.0)
    lead_id = store.save(LEAD)
    stored = store.get(lead_id)
    assert stored.lead == LEAD
    assert stored.status == "new"
    assert stored.created_at == stored.updated_at == "2026-09-21T14:13:20+00:00"
    raw = db.execute("SELECT transcript FROM leads WHERE id = ?", (lead_id,)).fetchone()[0]
    assert json.loads(raw)[1] == {"speaker": "caller", "text": "un devis"}
    assert LEAD.address == "12 rue des Lilas, 69500 Bron"


def test_call_id_links_to_calls_table(db):
    db.execute(
        "INSERT INTO calls (channel_id, started_at) VALUES ('chan-1', '2026-01-01T00:00:00')"
    )
    call_id = db.execute("SELECT id FROM calls").fetchone()[0]
    store = SqliteLeadStore(db)
    lead_id = store.save(Lead(outcome="no_info", call_id=call_id))
    assert store.get(lead_id).lead.call_id == call_id
    with pytest.raises(sqlite3.IntegrityError):
        store.save(Lead(outcome="no_info", call_id=999))


def test_status_updates_and_unknown_ids(db):
    times = itertools.count(100.0, 100.0)
    store = SqliteLeadStore(db, clock=lambda: next(times))
    lead_id = store.save(LEAD)
    store.set_status(lead_id, "called_back")
    stored = store.get(lead_id)
    assert stored.status == "called_back" and stored.updated_at > stored.created_at
    with pytest.raises(LeadNotFound):
        store.set_status(lead_id + 1, "won")
    with pytest.raises(LeadNotFound):
        store.get(lead_id + 1)
    with pytest.raises(ValueError):
        store.set_status(lead_id, "archived")  # type: ignore[arg-type]


def test_outcome_is_validated(db):
    with pytest.raises(ValueError):
        SqliteLeadStore(db).save(Lead(outcome="maybe"))  # type: ignore[arg-type]


def test_recent_lists_newest_first(db):
    store = SqliteLeadStore(db)
    ids = [store.save(Lead(outcome="no_info", name=str(i))) for i in range(3)]
    assert [s.id for s in store.recent(2)] == ids[:0:-1]


def test_webhook_row_queued_only_for_wanted_outcomes(db):
    store = SqliteLeadStore(db, webhook_outcomes=("transferred", "callback_needed"))
    wanted = store.save(LEAD)
    store.save(Lead(outcome="spam"))
    store.save(Lead(outcome="no_info"))
    rows = db.execute("SELECT lead_id, payload FROM webhook_queue").fetchall()
    assert [r["lead_id"] for r in rows] == [wanted]
    payload = json.loads(rows[0]["payload"])
    assert payload["event"] == "lead.created" and payload["id"] == wanted
    assert payload["address"] == {"street": "12 rue des Lilas", "postcode": "69500",
                                  "city": "Bron"}  # fmt: skip
    assert payload["transcript"][0]["speaker"] == "agent"
    assert payload["address_heard"] == "douze rue des lilas à bron"
    assert payload["address_confidence"] == 0.83
    assert payload["to_check"] == ["name", "address"]
    assert payload["clips"] == [
        {"field": "name", "url": f"/leads/{wanted}/clips/0.wav"},
        {"field": "address", "url": f"/leads/{wanted}/clips/1.wav"},
    ]
    assert payload["recording_url"] is None  # no call row: nothing the dashboard can serve
    assert "recording_path" not in payload
    assert "/var/rec" not in rows[0]["payload"]  # no server-local path leaves the box


def test_lead_and_webhook_row_are_one_transaction(db):
    store = SqliteLeadStore(db, webhook_outcomes=("callback_needed",))
    db.execute("DROP TABLE webhook_queue")  # the second insert will fail
    with pytest.raises(sqlite3.OperationalError):
        store.save(LEAD)
    assert db.execute("SELECT COUNT(*) FROM leads").fetchone()[0] == 0


def test_lead_without_hearing_fields_reads_back_defaults(db):
    store = SqliteLeadStore(db)
    stored = store.get(store.save(Lead(outcome="no_info")))
    assert stored.lead.address_heard == "" and stored.lead.address_confidence is None
    assert stored.lead.to_check == () and stored.lead.clips == ()


@pytest.mark.parametrize(("given", "kept"), [(float("nan"), None), (1.7, 1.0), (-0.2, 0.0)])
def test_a_bad_confidence_never_loses_the_lead(db, given, kept):
    store = SqliteLeadStore(db)
    stored = store.get(store.save(Lead(outcome="no_info", address_confidence=given)))
    assert stored.lead.address_confidence == kept


def test_payload_gives_the_recording_as_a_dashboard_url():
    payload = lead_payload(4, dataclasses.replace(LEAD, call_id=9), "2026-01-01T00:00:00+00:00")
    assert payload["recording_url"] == "/recordings/9.wav"
    no_recording = dataclasses.replace(LEAD, call_id=9, recording_path=None)
    assert lead_payload(4, no_recording, "")["recording_url"] is None


def test_leads_saved_before_migration_6_read_back(tmp_path):
    raw = sqlite3.connect(tmp_path / "old.sqlite3", isolation_level=None)
    raw.row_factory = sqlite3.Row
    for version, _, sql in migration_scripts():
        if version <= 5:
            for statement in _statements(sql):
                raw.execute(statement)
            raw.execute(f"PRAGMA user_version = {version}")
    raw.execute(
        "INSERT INTO leads (name, outcome, created_at, updated_at)"
        " VALUES ('Ancien', 'callback_needed', '2026-01-01', '2026-01-01')"
    )
    assert migrate(raw) >= 6
    old = SqliteLeadStore(raw).get(1).lead
    assert (old.name, old.address_heard, old.to_check, old.clips) == ("Ancien", "", (), ())
