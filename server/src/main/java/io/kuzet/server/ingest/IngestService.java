package io.kuzet.server.ingest;

import io.kuzet.protocol.DeviceMessage;
import io.kuzet.server.journal.IngestJournal;
import io.kuzet.server.journal.Protocol;
import io.kuzet.server.metrics.IngestMetrics;

/**
 * The protocol-neutral step of ingestion: de-duplicate a decoded message and append it to the journal.
 * Session handlers ack the device only after the returned index is durable.
 *
 * <p>Thread-safe (per-device monitor); allocation-free.
 */
public final class IngestService {
    /** Returned by {@link #accept} for a retransmission that is already in the journal. */
    public static final long DUPLICATE = -2;
    /** Returned by {@link #accept} when the sequence skips the next expected one (Kuzet): not stored, the device resends. */
    public static final long GAP = -3;

    private final IngestJournal journal;
    private final IngestMetrics metrics;

    public IngestService(IngestJournal journal, IngestMetrics metrics) {
        this.journal = journal;
        this.metrics = metrics;
    }

    /** Journals {@code msg} for the device unless it is a retransmission; returns the journal index or {@link #DUPLICATE}. */
    public long accept(DeviceIngestState state, Protocol protocol, DeviceMessage msg, long receivedMs, long receivedNanoTime) {
        metrics.positions(protocol, msg.fixCount());
        synchronized (state) {
            if (state.isDuplicate(protocol, msg)) {
                metrics.duplicate(protocol);
                return DUPLICATE;
            }
            if (state.isGap(protocol, msg.sequence)) {
                return GAP;
            }
            long start = System.nanoTime();
            long index = journal.appendDeviceMessage(receivedMs, receivedNanoTime, state.deviceId, protocol.code(), msg);
            metrics.journalAppended(System.nanoTime() - start);
            state.remember(protocol, msg);
            state.lastIndex = index;
            return index;
        }
    }

    /**
     * A message that failed validation: resending it will not help, so its sequence is consumed (journaled as refused,
     * then acked) and one bad message never blocks the device's buffer. Returns the journal index, {@link #DUPLICATE}
     * or {@link #GAP} like {@link #accept}.
     */
    public long consumeRefused(DeviceIngestState state, Protocol protocol, long deviceNumber, long sequence, int reason,
                               long receivedMs) {
        synchronized (state) {
            if (sequence <= state.lastSequence) {
                return DUPLICATE;
            }
            if (state.isGap(protocol, sequence)) {
                return GAP;
            }
            long index = journal.appendRefused(receivedMs, state.deviceId, deviceNumber, protocol.code(), sequence, reason);
            state.lastSequence = sequence;
            state.lastIndex = index;
            return index;
        }
    }

    public IngestJournal journal() {
        return journal;
    }

}
