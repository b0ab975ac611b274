-- Outbox retention and /mydata delete (issue 12, finding 6).
-- Which members a stored message shows to others (the digest), with their exact lines, so a member's /mydata delete
-- can redact them from claimed and sent copies even after a change of name. Deleted with the member (after the
-- redaction, in the same transaction) and with the delivery; dropped when the message's text is dropped.
CREATE TABLE delivery_members (
    delivery_id INTEGER NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
    member_id   INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    lines       TEXT NOT NULL,           -- JSON array of the member's lines in the payload
    PRIMARY KEY (delivery_id, member_id)
);
CREATE INDEX ix_delivery_members_member ON delivery_members (member_id);

-- Retention: finished messages still holding their text, by when they were sent (or last tried), and finished rows by
-- age, so each tick's pruning reads only what it changes.
CREATE INDEX ix_deliveries_text_kept ON deliveries (COALESCE(sent_at, claimed_at)) WHERE payload IS NOT NULL AND state <> 'claimed';
CREATE INDEX ix_deliveries_finished ON deliveries (claimed_at) WHERE state <> 'claimed';

-- Digests stored before this migration have no member lines to redact them by: drop the text of the finished ones
-- now (their key and outcome stay). Claimed ones are sent as they are within minutes.
UPDATE deliveries SET payload = NULL WHERE kind = 'digest' AND state <> 'claimed' AND payload IS NOT NULL;
