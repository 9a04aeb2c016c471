-- User lifecycle (forced password change, when the password last changed) and audit entries that carry the
-- values before and after a change. The audit chain becomes keyed (HMAC-SHA256, key outside the database); the
-- columns below are part of the keyed link's canonical content (see AuditLog).

alter table users
    add column must_change_password boolean not null default false,
    add column password_changed_at  timestamptz;

alter table audit_log
    add column before jsonb,   -- the record as it was (null for a creation)
    add column after  jsonb;   -- the record as it is now (null for a deletion)
