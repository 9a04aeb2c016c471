-- Subject profile for the monitoring console (issue 13): who supervises the subject and the numbers an operator
-- calls. All optional; the case-management system remains the source (provisioning or the subjects API fill them).
alter table subjects
    add column phone          text,   -- the subject's own phone
    add column officer_name   text,   -- assigned probation officer
    add column officer_phone  text;   -- the officer's duty phone

-- An escalation entry in the alert history says why in words a console can translate: the reason code
-- (NOT_ACKNOWLEDGED, NOT_RESOLVED, ENDED_UNREVIEWED) and the SLA it missed, beside the English note.
alter table alert_actions
    add column escalation_reason text,
    add column sla_minutes       integer;
