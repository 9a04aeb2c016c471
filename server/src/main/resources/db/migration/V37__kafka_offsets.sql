-- journal.kind=kafka: per partition of the ingest topic, the offset of the next record storage has not stored.
-- Moved in the same transaction as the rows (docs/scale-out.md), like journal_checkpoints for the embedded journal.
create table kafka_offsets (
    topic        text        not null,
    partition_id integer     not null check (partition_id >= 0),
    next_offset  bigint      not null check (next_offset >= 0),
    updated_at   timestamptz not null default now(),
    primary key (topic, partition_id)
);
