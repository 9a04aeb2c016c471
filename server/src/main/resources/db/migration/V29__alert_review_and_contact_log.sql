-- Operator review workflow (issue 13): the agency's time zone for the console, and structured contact-log entries
-- on alerts (who was called, with what outcome) beside the free-text note.
alter table agencies add column time_zone text not null default 'Asia/Almaty';

alter table alert_actions add column contact_party text, add column contact_outcome text;
alter table alert_actions drop constraint alert_actions_action;
alter table alert_actions
    add constraint alert_actions_action check (action in ('ACKNOWLEDGED', 'RESOLVED', 'COMMENTED', 'ESCALATED', 'CLEARED', 'CONTACT'));
alter table alert_actions
    add constraint alert_actions_contact check ((action = 'CONTACT') = (contact_party is not null and contact_outcome is not null));

-- the review queue and escalation look for unresolved alerts by state
create index if not exists alerts_unresolved on alerts (state, severity, detected_at) where state <> 'RESOLVED';
