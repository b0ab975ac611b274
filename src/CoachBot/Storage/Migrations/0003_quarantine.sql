-- Items of the sweep that failed and are set aside so they never hold up the others (issue 12): an enrolment's reminder
-- or check-in slot, or a server's weekly digest. Each is retried at retry_at (its back-off doubles with each failure in
-- a row, up to a day) and leaves this table when it next succeeds. Kept here, not in memory, so a restart neither
-- forgets the back-off nor retries every bad item at once. An enrolment's rows go with it.
CREATE TABLE quarantine (
    subject         TEXT NOT NULL,                -- enrolment:ID or server:PLATFORM:GUILD, as in deliveries
    slot            TEXT NOT NULL,                -- reminder, checkin or digest
    platform        TEXT NULL,
    guild_id        TEXT NULL,
    enrolment_id    INTEGER NULL REFERENCES enrolments (id) ON DELETE CASCADE,
    failures        INTEGER NOT NULL,             -- in a row
    first_failed_at TEXT NOT NULL,
    retry_at        TEXT NOT NULL,
    last_error      TEXT NOT NULL,
    PRIMARY KEY (subject, slot)
);
CREATE INDEX ix_quarantine_server ON quarantine (platform, guild_id);
