-- A group channel the bot may not post in (Discord 403, codes 50001 / 50013) is marked, so scheduled messages stop
-- trying it (each refusal counts towards Discord's invalid-request ban) until an organiser sets the channel again.
ALTER TABLE server_settings ADD COLUMN group_channel_broken_at TEXT NULL;
ALTER TABLE server_settings ADD COLUMN group_channel_problem TEXT NULL;     -- one sentence for /coach stats
