-- /remind checkin_off:true turns the weekly check-in (and the phase check-in) off; a day or time turns it back on.
-- Every member stored before had check-ins on.
ALTER TABLE reminder_settings ADD COLUMN checkins_enabled INTEGER NOT NULL DEFAULT 1 CHECK (checkins_enabled IN (0, 1));
