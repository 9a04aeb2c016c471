-- Adaptive supervision: when the core warns a subject (vibration before an exclusion zone, a victim or a curfew, or a
-- reminder to charge), the warning alert's history gets a SUBJECT_WARNED entry written by the system (no user).
alter table alert_actions drop constraint alert_actions_action;
alter table alert_actions
    add constraint alert_actions_action check (action in ('ACKNOWLEDGED', 'RESOLVED', 'COMMENTED', 'ESCALATED', 'CLEARED',
                                                          'CONTACT', 'SUBJECT_WARNED'));
