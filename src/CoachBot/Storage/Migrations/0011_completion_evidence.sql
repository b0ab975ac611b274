-- Evidence given with a completion: `/done task:… note:… link:…` (both optional, at most 200 characters each).
ALTER TABLE completion_events ADD COLUMN note TEXT NULL;
ALTER TABLE completion_events ADD COLUMN link TEXT NULL;
