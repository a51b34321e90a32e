from __future__ import annotations

import itertools
import json
import sqlite3

import pytest

from agent.leads import Lead, LeadNotFound, SqliteLeadStore, Turn
from agent.store.db import connect

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


def test_lead_and_webhook_row_are_one_transaction(db):
    store = SqliteLeadStore(db, webhook_outcomes=("callback_needed",))
    db.execute("DROP TABLE webhook_queue")  # the second insert will fail
    with pytest.raises(sqlite3.OperationalError):
        store.save(LEAD)
    assert db.execute("SELECT COUNT(*) FROM leads").fetchone()[0] == 0
