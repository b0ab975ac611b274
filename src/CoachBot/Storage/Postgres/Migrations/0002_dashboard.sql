-- The organisers' web dashboard (issue 16), as SQLite's 0008_dashboard.sql.
-- One-time sign-in links: only the SHA-256 of the link's token is kept, never the token. used_at is set once, by the
-- request that signs in (a compare-and-set: of two at once, the second waits for the first's row lock and finds it
-- used); expired rows are deleted by the dashboard's clean-up.
CREATE TABLE dashboard_sign_in_links (
    token_hash text PRIMARY KEY,          -- SHA-256 of the token, lowercase hex
    platform   text NOT NULL,
    guild_id   text NOT NULL,
    user_id    text NOT NULL,             -- the organiser who asked for it
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz NULL
);
CREATE INDEX ix_dashboard_sign_in_links_expires ON dashboard_sign_in_links (expires_at);

-- The keys the dashboard's cookies are protected with (ASP.NET Data Protection XML elements), so sessions survive a
-- restart and are shared by every process on this database. created_at is the database's clock: it only orders them.
CREATE TABLE dashboard_keys (
    friendly_name text PRIMARY KEY,
    xml           text NOT NULL,
    created_at    timestamptz NOT NULL
);
