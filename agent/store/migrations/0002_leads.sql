-- What the receptionist learnt from one caller, for the artisan to act on.
CREATE TABLE leads (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    call_id        INTEGER REFERENCES calls (id) ON DELETE SET NULL,
    caller_number  TEXT,
    name           TEXT,
    street         TEXT,
    postcode       TEXT,
    city           TEXT,
    problem        TEXT NOT NULL DEFAULT '',
    category       TEXT NOT NULL DEFAULT 'autre',
    urgent         INTEGER NOT NULL DEFAULT 0 CHECK (urgent IN (0, 1)),
    transcript     TEXT NOT NULL DEFAULT '[]',
    recording_path TEXT,
    outcome        TEXT NOT NULL
        CHECK (outcome IN ('transferred', 'callback_needed', 'spam', 'no_info')),
    status         TEXT NOT NULL DEFAULT 'new'
        CHECK (status IN ('new', 'called_back', 'won', 'lost')),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX leads_created_at ON leads (created_at);
CREATE INDEX leads_status ON leads (status, created_at);
