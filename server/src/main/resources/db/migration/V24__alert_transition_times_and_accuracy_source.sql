-- Both times for every alert transition, the clearing as an entry in the alert history, and where a stored fix's
-- accuracy comes from (REPORTED, ESTIMATED_HDOP, ESTIMATED_SATELLITES, DEFAULT: see docs/operations.md).

-- fix_time / detected_at stay the fix that completed the opening and when the core decided; opened_fix_time is the
-- first violating fix (the episode start in the subject's time). cleared_at is when the core decided the clearing,
-- cleared_fix_time the fix (or schedule instant) that showed it.
alter table alerts
    add column opened_fix_time timestamptz,
    add column cleared_fix_time timestamptz;

alter table alert_actions
    add column fix_time timestamptz;

alter table alert_actions drop constraint alert_actions_action;
alter table alert_actions
    add constraint alert_actions_action check (action in ('ACKNOWLEDGED', 'RESOLVED', 'COMMENTED', 'ESCALATED', 'CLEARED'));

alter table positions
    add column accuracy_source text;
