package io.kuzet.server.store;

/** How positions and device events are kept: TimescaleDB hypertables, or native daily range partitions. */
public enum SchemaFlavour {
    /** Hypertables with 1-day chunks, compression and a continuous aggregate. */
    TIMESCALEDB,
    /** Native range partitioning by day, maintained by {@link PartitionMaintenance}. */
    PLAIN_POSTGRESQL
}
