package io.kuzet.server.store;

import io.kuzet.server.journal.IngestJournal;
import io.kuzet.server.journal.IngestReader;
import io.kuzet.server.journal.IngestRecord;
import io.kuzet.server.journal.JournalReader;
import java.io.File;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import net.openhft.chronicle.queue.RollCycles;
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

    /**
     * Seconds since the oldest unstored ingest record was received: read from the journal at scrape time (one seek to
     * the checkpoint, on a reader of its own), 0 when storage has caught up.
     */
    @Override
    public double lagSeconds(long checkpoint, long nowMs) {
        if (lag(checkpoint) <= 0) {
            return 0;
        }
        IngestRecord oldest = new IngestRecord();
        try (IngestReader reader = journal.createReader().startAfter(checkpoint)) {
            if (!reader.next(oldest)) {
                return 0;
            }
        } catch (RuntimeException e) {
            return Double.NaN;
        }
        return Math.max(0, nowMs - oldest.timeMs) / 1000.0;
    }

    /**
     * Bytes of the daily journal files from the one holding the oldest unstored record to the newest: what journal
     * retention may not delete because storage still needs it (an upper bound of the backlog itself, by whole files).
     */
    @Override
    public double lagBytes(long checkpoint) {
        if (lag(checkpoint) <= 0) {
            return 0;
        }
        long firstDay = checkpoint < 0 ? Long.MIN_VALUE : RollCycles.FAST_DAILY.toCycle(checkpoint + 1);
        File[] files = journal.queue().file().listFiles((dir, name) -> name.endsWith("F.cq4"));
        if (files == null) {
            return Double.NaN;
        }
        long bytes = 0;
        for (File f : files) {
            long day = cycleDay(f.getName());
            if (day != Long.MIN_VALUE && day >= firstDay) {
                bytes += f.length();
            }
        }
        return bytes;
    }

    /** Days since the epoch of a daily cycle file {@code yyyyMMdd'F'.cq4}, or Long.MIN_VALUE. */
    static long cycleDay(String name) {
        try {
            return LocalDate.parse(name.substring(0, 8), DateTimeFormatter.BASIC_ISO_DATE).toEpochDay();
        } catch (RuntimeException e) {
            return Long.MIN_VALUE;
        }
    }
}
