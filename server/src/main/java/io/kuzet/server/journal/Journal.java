package io.kuzet.server.journal;

import io.kuzet.protocol.DeviceMessage;
import java.io.Closeable;

/**
 * The ingest journal as ingestion, the evaluation core and storage see it, whichever log holds it
 * ({@code journal.kind}): {@link IngestJournal}, the embedded Chronicle Queue (the single-node default), or
 * {@link io.kuzet.server.journal.kafka.KafkaJournal}, a replicated Apache Kafka topic.
 *
 * <p>Every append returns an index that {@link #durability()} turns into "the device may be told it is stored". What
 * the index is belongs to the implementation: a Chronicle queue index, or a ticket of this process's Kafka producer.
 * Records read back carry their own {@link IngestRecord#index}, the position in the log (see the implementation).
 */
public interface Journal extends Closeable {

    /** Appends a device message and returns its append index. */
    long appendDeviceMessage(long receivedMs, long receivedNanoTime, long deviceId, int protocol, DeviceMessage message);

    /** Records that a device's message was refused on validation, so its sequence counts as consumed after a restart too. */
    long appendRefused(long receivedMs, long deviceId, long deviceNumber, int protocol, long sequence, int reason);

    /** Appends a session conflict (a second login of a connected device); the core raises a device alert from it. */
    long appendSessionConflict(long receivedMs, long deviceId, long deviceNumber, int protocol, int outcome, String detail);

    /** Appends a clock tick that drives the evaluation core's timers. */
    long appendTick(long timeMs);

    /** Records appended (by any thread of this process) since this journal was opened. */
    long appendsSinceOpen();

    Durability durability();

    /** A reader positioned at the start of what the journal retains. */
    JournalReader createReader();

    /** Index of the last record in the journal, or -1 when empty (Chronicle; -1 where the log has no single index). */
    long lastIndex();

    /** Index of the first record still in the journal, or -1 (Chronicle; -1 where the log has no single index). */
    long firstIndex();

    @Override
    void close();
}
