package io.kuzet.server.store;

import io.kuzet.server.journal.JournalReader;
import java.sql.SQLException;
import org.agrona.collections.Long2LongHashMap;

/**
 * Where the storage writer reads ingest records and how it records, in the same transaction as the rows, how far it
 * has stored: {@link ChroniclePositions} (one journal index in {@code journal_checkpoints}) or
 * {@link KafkaPositions} (one offset per partition in {@code kafka_offsets}). Used by the storage thread only.
 */
public interface PositionsSource extends AutoCloseable {

    /** A reader positioned right after what the database says is stored. Closing it is the caller's. */
    JournalReader openAfterStored() throws SQLException;

    /** The stored journal index the last {@link #openAfterStored()} started after (Chronicle), else -1. */
    default long storedIndex() {
        return JournalCheckpoints.NONE;
    }

    /**
     * Stores the rows and moves the stored position past every record read from the current reader so far
     * ({@code lastIndex} is the last one's index), in one transaction; refuses (and rolls back) a batch that is no longer
     * right after the stored position.
     */
    void store(PositionBatch positions, DeviceEventBatch events, Long2LongHashMap sequences, long lastIndex) throws SQLException;

    /** Records in the journal not yet stored (any thread; NaN when unknown). */
    double lag(long lastStoredIndex);

    /**
     * Seconds since the oldest record not yet stored was received, on the server's clock {@code nowMs}; 0 when storage
     * has caught up, NaN when unknown (Kafka: see the consumer lag of the storage group). Any thread.
     */
    default double lagSeconds(long lastStoredIndex, long nowMs) {
        return Double.NaN;
    }

    /** Bytes of journal that retention must keep because storage still needs them; NaN when unknown. Any thread. */
    default double lagBytes(long lastStoredIndex) {
        return Double.NaN;
    }

    @Override
    default void close() {
    }
}
