package io.kuzet.server.ingest;

import io.kuzet.server.journal.IngestJournal;
import io.kuzet.server.journal.IngestReader;
import io.kuzet.server.journal.IngestRecord;
import io.kuzet.server.journal.Protocol;
import java.util.concurrent.ConcurrentHashMap;

/**
 * De-duplication state of every device, keyed by registry device id. Looked up once per login, not per frame.
 * Rebuilt at start from the core's snapshot plus the journal tail ({@link LedgerFollower}; without a snapshot the
 * tail is the whole journal), so a retransmission after a restart is still recognised, then {@link #seed seeded} with
 * the stored sequences kept beyond the journal's retention (the database), so a device whose last message is older
 * than the retained journal is still known.
 * Thread-safe.
 */
public final class DeviceLedger {
    private final ConcurrentHashMap<Long, DeviceIngestState> states = new ConcurrentHashMap<>();

    public DeviceIngestState stateFor(long deviceId) {
        return states.computeIfAbsent(deviceId, DeviceIngestState::new);
    }

    /** Raises the device's last stored sequence to {@code lastSequence} if that is higher (a durable copy); returns whether it did. */
    public boolean seed(long deviceId, long lastSequence) {
        DeviceIngestState state = stateFor(deviceId);
        synchronized (state) {
            if (lastSequence > state.lastSequence) {
                state.lastSequence = lastSequence;
                return true;
            }
            return false;
        }
    }

    /**
     * A record read back from a journal that other nodes append to too (Kafka): remembered unless this ledger already
     * knows it (this node appended it, or saw it before), so a device that reconnects here after sending through another
     * node has its retransmissions recognised. Best effort by the reader's lag: see docs/scale-out.md. Evaluation thread.
     */
    public void observe(IngestRecord record) {
        if (record.type != IngestRecord.TYPE_DEVICE_MESSAGE && record.type != IngestRecord.TYPE_REFUSED_MESSAGE) {
            return;
        }
        DeviceIngestState state = stateFor(record.deviceId);
        Protocol protocol = Protocol.fromCode(record.protocol);
        synchronized (state) {
            if (!state.isDuplicate(protocol, record.message)) {
                state.remember(protocol, record.message);
            }
        }
    }

    /**
     * Applies the journal records after {@code index} (-1 = all) on top of what the ledger holds, e.g. after it was
     * copied from the core's {@link LedgerFollower} at that index; returns the number of records scanned.
     */
    public long rebuildAfter(IngestJournal journal, long index) {
        long scanned = 0;
        IngestRecord record = new IngestRecord();
        try (IngestReader reader = journal.createReader().startAfter(index)) {
            while (reader.next(record)) {
                scanned++;
                if (record.type == IngestRecord.TYPE_DEVICE_MESSAGE || record.type == IngestRecord.TYPE_REFUSED_MESSAGE) {
                    DeviceIngestState state = stateFor(record.deviceId);
                    synchronized (state) {
                        state.remember(Protocol.fromCode(record.protocol), record.message);
                        state.lastIndex = record.index;
                    }
                }
            }
        }
        return scanned;
    }
}
