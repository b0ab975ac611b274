-- CoachBot schema v1. Append-only: never edit a merged migration; add 0002_… instead.
-- Instants are UTC text 'yyyy-MM-ddTHH:mm:ss.fffZ' (fixed width, so text order is time order, and readable in
-- the sqlite3 shell); calendar dates of a member are 'yyyy-MM-dd' in the member's own time zone.

CREATE TABLE members (
    id            INTEGER PRIMARY KEY,
    platform      TEXT NOT NULL,
    user_id       TEXT NOT NULL,
    display_name  TEXT NOT NULL,
    time_zone     TEXT NULL,              -- IANA id; NULL = Coach:DefaultTimeZone
    dm_channel_id TEXT NULL,              -- cached DM channel of the platform
    dm_closed_at  TEXT NULL,              -- last DM refused (Discord 50007); cleared on the member's next command
    created_at    TEXT NOT NULL,
    UNIQUE (platform, user_id)
);

CREATE TABLE reminder_settings (
    member_id         INTEGER PRIMARY KEY REFERENCES members (id) ON DELETE CASCADE,
    reminders_enabled INTEGER NOT NULL CHECK (reminders_enabled IN (0, 1)),
    reminder_day      INTEGER NOT NULL CHECK (reminder_day BETWEEN 0 AND 6),  -- System.DayOfWeek: 0 = Sunday
    reminder_time     TEXT NOT NULL,                                           -- 'HH:mm' local
    checkin_day       INTEGER NOT NULL CHECK (checkin_day BETWEEN 0 AND 6),
    checkin_time      TEXT NOT NULL
);

CREATE TABLE enrolments (
    id               INTEGER PRIMARY KEY,
    member_id        INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    guild_id         TEXT NOT NULL,       -- the server (scope) enrolled from
    pathway_id       TEXT NOT NULL,
    start_date       TEXT NOT NULL,       -- local date of week 1's first day
    state            TEXT NOT NULL CHECK (state IN ('active', 'paused')),  -- set by /pause and /resume; a dated pause
                                                                      -- also ends on its own: pauses hold the truth
    enrolled_at      TEXT NOT NULL,
    next_reminder_at TEXT NULL,           -- the scheduler's sweep: due when <= now
    next_checkin_at  TEXT NULL,
    UNIQUE (member_id, pathway_id)
);
CREATE INDEX ix_enrolments_guild ON enrolments (guild_id, pathway_id);
CREATE INDEX ix_enrolments_next_reminder ON enrolments (next_reminder_at) WHERE next_reminder_at IS NOT NULL;
CREATE INDEX ix_enrolments_next_checkin ON enrolments (next_checkin_at) WHERE next_checkin_at IS NOT NULL;

-- Append-only. Keyed by pathway id + task id, not by position, so editing a pathway file never loses progress.
CREATE TABLE completion_events (
    id           INTEGER PRIMARY KEY,
    enrolment_id INTEGER NOT NULL REFERENCES enrolments (id) ON DELETE CASCADE,
    pathway_id   TEXT NOT NULL,
    task_id      TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('done', 'undo')),
    occurred_at  TEXT NOT NULL
);
CREATE INDEX ix_completion_events_enrolment ON completion_events (enrolment_id, occurred_at);

CREATE TABLE pauses (
    id           INTEGER PRIMARY KEY,
    enrolment_id INTEGER NOT NULL REFERENCES enrolments (id) ON DELETE CASCADE,
    started_on   TEXT NOT NULL,           -- first paused local date
    until_on     TEXT NULL,               -- planned first day back
    ended_on     TEXT NULL                -- actual first day back (/resume)
);
CREATE INDEX ix_pauses_enrolment ON pauses (enrolment_id);

CREATE TABLE checkin_answers (
    id           INTEGER PRIMARY KEY,
    enrolment_id INTEGER NOT NULL REFERENCES enrolments (id) ON DELETE CASCADE,
    week         INTEGER NOT NULL,
    status       TEXT NULL CHECK (status IN ('on-track', 'behind', 'blocked')),
    note         TEXT NULL,
    answered_at  TEXT NOT NULL,
    UNIQUE (enrolment_id, week)
);

CREATE TABLE server_settings (
    platform         TEXT NOT NULL,
    guild_id         TEXT NOT NULL,
    group_channel_id TEXT NULL,
    updated_at       TEXT NOT NULL,
    PRIMARY KEY (platform, guild_id)
);

-- One row per message that must reach its recipient exactly once, written before sending.
CREATE TABLE deliveries (
    id           INTEGER PRIMARY KEY,
    subject      TEXT NOT NULL,           -- e.g. 'enrolment:12' or 'server:discord:123'
    kind         TEXT NOT NULL,           -- e.g. 'reminder', 'checkin', 'digest'
    period       TEXT NOT NULL,           -- e.g. '2026-W49' or 'week-3'
    member_id    INTEGER NULL REFERENCES members (id) ON DELETE CASCADE,
    enrolment_id INTEGER NULL REFERENCES enrolments (id) ON DELETE CASCADE,
    nonce        TEXT NOT NULL UNIQUE,
    state        TEXT NOT NULL CHECK (state IN ('claimed', 'sent', 'failed', 'skipped')),
    claimed_at   TEXT NOT NULL,
    sent_at      TEXT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT NULL,
    UNIQUE (subject, kind, period)
);
CREATE INDEX ix_deliveries_member ON deliveries (member_id);
CREATE INDEX ix_deliveries_enrolment ON deliveries (enrolment_id);
