package io.kuzet.server.store;

import java.sql.SQLException;

/**
 * Where the storage writer reads alert transitions and how it records, in the rows' transaction, how far it stored:
 * {@link ChronicleAlerts} (this node's alerts journal, one index in {@code journal_checkpoints}) or {@link KafkaAlerts}
 * (the alerts topic as a consumer group, offsets per partition in {@code kafka_offsets}). Used by the storage thread
 * only, except {@link #lag()} and {@link #checkpoint()}.
 */
public interface AlertsSource extends AutoCloseable {

    /** Stores the next transitions (at most {@code max}) with the stored position; returns how many were read. */
    int storeNext(int max) throws SQLException;

    /** After a failure: forget the reader, so the next {@link #storeNext} re-reads from what the database says. */
    void reset();

    /**
     * Index in this node's alerts journal of the last alert stored, what journal retention keeps after: -1 when
     * nothing is stored yet, {@code Long.MAX_VALUE} when storage does not read that journal (Kafka).
     */
    long checkpoint();

    /** Transitions not yet stored (any thread; NaN when unknown). */
    double lag();

    @Override
    void close();
}
