-- Durable SMS outbox: a message is written here before any attempt to send it, so neither a
-- provider outage nor an agent restart loses it; idem_key (call + recipient + kind) makes a
-- second enqueue of the same message a no-op.
CREATE TABLE sms_outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    idem_key        TEXT NOT NULL UNIQUE,
    recipient       TEXT NOT NULL,
    body            TEXT NOT NULL,
    kind            TEXT NOT NULL,
    segments        INTEGER NOT NULL DEFAULT 1,
    status          TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at REAL NOT NULL,
    last_error      TEXT,
    provider        TEXT,
    provider_id     TEXT,
    created_at      TEXT NOT NULL,
    sent_at         TEXT
);
CREATE INDEX sms_outbox_due ON sms_outbox (status, next_attempt_at);
