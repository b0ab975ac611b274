-- Re-plans a member chose when a check-in offered one: from decided_on (their local date) the rest of the schedule
-- moves back shift_weeks weeks ('shift') or each remaining week takes pace_percent % of a calendar week ('pace');
-- 'keep' records the choice to go on as planned. One per enrolment and check-in week; they go with the enrolment.
CREATE TABLE replans (
    id           INTEGER PRIMARY KEY,
    enrolment_id INTEGER NOT NULL REFERENCES enrolments (id) ON DELETE CASCADE,
    checkin_week INTEGER NOT NULL,
    decided_on   TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('shift', 'pace', 'keep')),
    shift_weeks  INTEGER NOT NULL DEFAULT 0,
    pace_percent INTEGER NOT NULL DEFAULT 100,
    decided_at   TEXT NOT NULL,
    UNIQUE (enrolment_id, checkin_week)
);
