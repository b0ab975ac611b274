-- A member's personal calendar feed (/calendar, served by the dashboard's web host): one link a member, made again by
-- /calendar reset. Only the SHA-256 of the link's token is kept; the row goes with the member (/mydata delete).
CREATE TABLE calendar_links (
    member_id  INTEGER PRIMARY KEY REFERENCES members (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,     -- SHA-256 of the token, lowercase hex
    created_at TEXT NOT NULL
);
