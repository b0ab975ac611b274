-- The scheduler's outbox: each delivery keeps the message it was claimed with (so a retry sends the same text), where
-- it goes (platform and server, for the group channel fallback and the digest), and when it may next be tried. A
-- claimed row with next_attempt_at <= now is pending; taking it sets next_attempt_at a lease ahead, so two runners
-- never send the same row at once and a crash mid-send is retried (with the same nonce) once the lease runs out.
ALTER TABLE deliveries ADD COLUMN payload TEXT NULL;            -- the message as JSON
ALTER TABLE deliveries ADD COLUMN platform TEXT NULL;
ALTER TABLE deliveries ADD COLUMN guild_id TEXT NULL;
ALTER TABLE deliveries ADD COLUMN next_attempt_at TEXT NULL;    -- set while state = 'claimed'
CREATE INDEX ix_deliveries_pending ON deliveries (next_attempt_at) WHERE state = 'claimed';
