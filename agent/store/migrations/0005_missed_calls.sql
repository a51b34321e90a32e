-- Calls that reached the dialplan fallback (agent down or handed back) and that nobody
-- answered, found in Asterisk's CDR file; one row per call (uniqueid) so a rescan of the same
-- lines, or of a rotated file, never texts anyone twice.
CREATE TABLE missed_calls (
    uniqueid       TEXT PRIMARY KEY,
    caller         TEXT,
    started_at     TEXT NOT NULL,
    ended_at       TEXT NOT NULL,
    mobile_status  TEXT NOT NULL,
    voicemail      INTEGER NOT NULL,
    reached_agent  INTEGER NOT NULL,
    sms_queued     INTEGER NOT NULL,
    skipped_reason TEXT,
    recorded_at    TEXT NOT NULL
);
-- Where the scan of each CDR file stopped: inode, byte offset and the first line's hash tell
-- an appended file from a rotated or truncated one.
CREATE TABLE cdr_checkpoints (
    path        TEXT PRIMARY KEY,
    inode       INTEGER NOT NULL,
    byte_offset INTEGER NOT NULL,
    head        TEXT NOT NULL,
    updated_at  TEXT NOT NULL
)
