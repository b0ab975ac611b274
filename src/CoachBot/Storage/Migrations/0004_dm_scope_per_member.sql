-- A DM belongs to one member. Until now every enrolment made from a DM had the scope 'dm', so all DM enrollees were
-- one cohort and saw each other in /group. Each moves to the scope of its own member, 'dm:<user id>' (the scope the
-- bot now gives a DM, MemberRef.DirectMessageScope); so do the outbox rows that carry that scope. Only Discord has DMs.
-- A row whose member is gone (possible only if foreign keys were off when it was deleted) is left as it is.
UPDATE enrolments
SET guild_id = 'dm:' || (SELECT m.user_id FROM members m WHERE m.id = enrolments.member_id)
WHERE guild_id = 'dm' AND EXISTS (SELECT 1 FROM members m WHERE m.id = enrolments.member_id);

UPDATE deliveries
SET guild_id = 'dm:' || (SELECT m.user_id FROM members m WHERE m.id = deliveries.member_id)
WHERE guild_id = 'dm' AND EXISTS (SELECT 1 FROM members m WHERE m.id = deliveries.member_id);
