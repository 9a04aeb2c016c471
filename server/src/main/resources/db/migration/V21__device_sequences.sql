-- The highest sequence of each Kuzet device that is stored (journaled, then written here by the storage writer in the
-- same transaction as its rows and the journal checkpoint). It outlives the journal: after retention, journal loss or
-- a restore, the de-duplication ledger is seeded from it at start-up, so a device is neither locked out nor has a
-- retransmission stored twice. One row per device that ever sent a sequenced message.
create table device_sequences (
    device_id      bigint primary key,
    last_sequence  bigint not null check (last_sequence >= 0),
    updated_at     timestamptz not null default now()
);
