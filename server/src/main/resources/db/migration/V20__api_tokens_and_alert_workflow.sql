-- Operator API: bearer tokens (stored hashed) and the alert workflow columns the queue needs.

create table api_tokens (
    token_hash  bytea primary key,                      -- SHA-256 of the token; the token itself is never stored
    user_id     bigint not null references users (id) on delete cascade,
    created_at  timestamptz not null default now(),
    expires_at  timestamptz not null
);
create index api_tokens_expiry on api_tokens (expires_at);

alter table alerts
    add column acknowledged_at timestamptz,
    add column resolved_at     timestamptz,
    add column escalated_at    timestamptz;

-- Escalation scans OPEN alerts not yet escalated, oldest first.
create index alerts_open_unescalated on alerts (detected_at) where state = 'OPEN' and not escalated;

alter table alert_actions
    add constraint alert_actions_action check (action in ('ACKNOWLEDGED', 'RESOLVED', 'COMMENTED', 'ESCALATED'));
