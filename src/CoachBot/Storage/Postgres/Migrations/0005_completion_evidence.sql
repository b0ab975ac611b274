-- Evidence given with a completion: `/done task:… note:… link:…` (both optional, at most 200 characters each).
ALTER TABLE completion_events ADD COLUMN note text NULL;
ALTER TABLE completion_events ADD COLUMN link text NULL;
