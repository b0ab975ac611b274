-- A server's own default time zone (IANA id) and weekly digest day (0 = Sunday … 6 = Saturday) and time ("HH:mm"),
-- set on the dashboard's Settings page; null means the bot's default (Coach:DefaultTimeZone, Monday 09:00).
ALTER TABLE server_settings ADD COLUMN default_time_zone text NULL;
ALTER TABLE server_settings ADD COLUMN digest_day integer NULL CHECK (digest_day BETWEEN 0 AND 6);
ALTER TABLE server_settings ADD COLUMN digest_time text NULL;
