-- The visit booked in the artisan's calendar during the call (issue 13): ISO 8601 with the
-- offset, or NULL; and why none was booked (calendar down, caller declined...).
ALTER TABLE leads ADD COLUMN visit_start TEXT;
ALTER TABLE leads ADD COLUMN visit_end TEXT;
ALTER TABLE leads ADD COLUMN booking_note TEXT NOT NULL DEFAULT ''
