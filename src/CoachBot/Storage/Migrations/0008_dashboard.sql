-- The organisers' web dashboard (issue 16).
-- One-time sign-in links: /coach dashboard gives an organiser a link valid for a few minutes to one server's dashboard.
-- Only the SHA-256 of the link's token is kept, never the token. used_at is set once, by the request that signs in
-- (a compare-and-set); expired rows are deleted by the dashboard's clean-up.
CREATE TABLE dashboard_sign_in_links (
    token_hash TEXT PRIMARY KEY,          -- SHA-256 of the token, lowercase hex
    platform   TEXT NOT NULL,
    guild_id   TEXT NOT NULL,
    user_id    TEXT NOT NULL,             -- the organiser who asked for it
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT NULL
);
CREATE INDEX ix_dashboard_sign_in_links_expires ON dashboard_sign_in_links (expires_at);

-- The keys the dashboard's cookies are protected with (ASP.NET Data Protection XML elements), kept with the group's
-- data so sessions survive a restart and a move to PostgreSQL. created_at is the database's clock: it only orders them.
CREATE TABLE dashboard_keys (
    friendly_name TEXT PRIMARY KEY,
    xml           TEXT NOT NULL,
    created_at    TEXT NOT NULL
);
