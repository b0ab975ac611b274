-- Accountability buddies (/buddy): an enrolment that joined the buddies of its pathway on its server (its pool). Rows of
-- a pool with the same group_id are buddies (two, or three when the count is odd); group_id NULL waits for a buddy.
-- The pool's key is kept on the row (an enrolment's server and pathway never change), so a pool is one index range.
CREATE TABLE buddies (
    enrolment_id bigint PRIMARY KEY REFERENCES enrolments (id) ON DELETE CASCADE,
    platform     text NOT NULL,
    guild_id     text NOT NULL,
    pathway_id   text NOT NULL,
    group_id     bigint NULL,              -- unique within the pool only
    joined_at    timestamptz NOT NULL,
    paired_at    timestamptz NULL          -- when the group was formed; pools are grouped afresh every four weeks
);
CREATE INDEX ix_buddies_pool ON buddies (platform, guild_id, pathway_id, group_id);
-- The sweep looks for pools due to be grouped afresh at every tick: by this index, not a scan of every opt-in.
CREATE INDEX ix_buddies_paired_at ON buddies (paired_at);
