package io.kuzet.server.store;

import io.kuzet.server.journal.IngestJournal;
import io.kuzet.server.journal.JournalReader;
import java.sql.SQLException;
import org.agrona.collections.Long2LongHashMap;

/** Storage's source on the embedded Chronicle journal: the stored position is one journal index ({@link JournalCheckpoints}). */
public final class ChroniclePositions implements PositionsSource {
    private final IngestJournal journal;
    private final PositionWriter writer;
    private volatile long opened = JournalCheckpoints.NONE;

    public ChroniclePositions(IngestJournal journal, PositionWriter writer) {
        this.journal = journal;
        this.writer = writer;
    }

    @Override
    public JournalReader openAfterStored() throws SQLException {
        opened = writer.checkpoint();
        return journal.createReader().startAfter(opened);
    }

    @Override
    public long storedIndex() {
        return opened;
    }

    @Override
    public void store(PositionBatch positions, DeviceEventBatch events, Long2LongHashMap sequences, long lastIndex)
            throws SQLException {
        writer.write(positions, events, sequences, lastIndex);
    }

    @Override
    public double lag(long checkpoint) {
        return entriesAfter(journal.queue(), checkpoint);
    }

    /** Entries of {@code queue} after index {@code checkpoint} (-1: all of them); NaN when they cannot be counted. */
    static double entriesAfter(net.openhft.chronicle.queue.ChronicleQueue queue, long checkpoint) {
        long last = queue.lastIndex();
        if (last == Long.MIN_VALUE || last < 0) {
            return 0;
        }
        long from = checkpoint < 0 ? queue.firstIndex() : checkpoint;
        if (from == Long.MAX_VALUE || from > last) {
            return 0;
        }
        try {
            long counted = ((net.openhft.chronicle.queue.impl.single.SingleChronicleQueue) queue).countExcerpts(from, last);
            return Math.max(0, counted + (checkpoint < 0 ? 1 : 0)); // [from, last) plus last itself when nothing is stored
        } catch (IllegalStateException e) {
            return Double.NaN;
        }
    }
}
