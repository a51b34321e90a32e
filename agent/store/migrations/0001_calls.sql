-- Every call the agent saw, whatever happened to it.
CREATE TABLE calls (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    channel_id    TEXT NOT NULL UNIQUE,
    caller_number TEXT,
    caller_name   TEXT,
    started_at    TEXT NOT NULL,
    answered_at   TEXT,
    ended_at      TEXT,
    outcome       TEXT NOT NULL DEFAULT 'in_progress',
    audio_in_ms   INTEGER NOT NULL DEFAULT 0,  -- caller audio received
    voice_in_ms   INTEGER NOT NULL DEFAULT 0,  -- of which louder than line silence
    audio_out_ms  INTEGER NOT NULL DEFAULT 0,
    recording_path TEXT,
    transcript    TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX calls_started_at ON calls (started_at);
