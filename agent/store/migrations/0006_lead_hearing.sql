-- What the ear made of a lead (issue 8): the address words as heard and how sure the match
-- is, the fields the artisan should check, and the caller's own audio clip per field.
ALTER TABLE leads ADD COLUMN address_heard TEXT NOT NULL DEFAULT '';
ALTER TABLE leads ADD COLUMN address_confidence REAL
    CHECK (address_confidence IS NULL OR (address_confidence >= 0 AND address_confidence <= 1));
-- JSON list of field names ("name", "address", "phone").
ALTER TABLE leads ADD COLUMN to_check TEXT NOT NULL DEFAULT '[]';
-- JSON list of [field, path] pairs; files live in the recordings folder (same retention).
ALTER TABLE leads ADD COLUMN clips TEXT NOT NULL DEFAULT '[]'
