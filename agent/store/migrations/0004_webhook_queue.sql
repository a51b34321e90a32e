-- Lead notifications for the configured webhook, queued in the same transaction as the lead so
-- a restart or an unreachable endpoint never loses one.
CREATE TABLE webhook_queue (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    lead_id         INTEGER NOT NULL UNIQUE REFERENCES leads (id) ON DELETE CASCADE,
    payload         TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at REAL NOT NULL,
    last_error      TEXT,
    created_at      TEXT NOT NULL,
    sent_at         TEXT
);
CREATE INDEX webhook_queue_due ON webhook_queue (status, next_attempt_at);
