package io.kuzet.server.journal;

import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Sequential reader of the Chronicle ingest journal for one consumer thread (evaluation core, storage writer).
 * Not thread-safe; allocation-free per record.
 */
public final class IngestReader implements JournalReader {
    private final ExcerptTailer tailer;
    private long lastRead = -1;
    private long replayEnd = -1;
    private boolean exhausted;

    IngestReader(ExcerptTailer tailer) {
        this.tailer = tailer;
    }

    /** Positions the reader so the next record read is the one after {@code index}; -1 = from the start. */
    @Override
    public IngestReader startAfter(long index) {
        lastRead = index;
        if (index < 0) {
            tailer.toStart();
        } else if (tailer.moveToIndex(index)) {
            try (DocumentContext dc = tailer.readingDocument()) {
                // consume the record at index itself so reading continues after it
                if (!dc.isPresent()) {
                    tailer.moveToIndex(index);
                }
            }
        } else {
            tailer.toStart();
        }
        return this;
    }

    /**
     * Positions the reader right after the record at {@code index} if that record is still in the journal; returns
     * false (position unspecified) when it is not, e.g. deleted by retention or never written to this journal.
     */
    @Override
    public boolean startAfterExactly(long index) {
        if (index < 0 || !tailer.moveToIndex(index)) {
            return false;
        }
        try (DocumentContext dc = tailer.readingDocument()) {
            if (!dc.isPresent() || dc.index() != index) {
                return false;
            }
        }
        lastRead = index;
        return true;
    }

    /** The replay end is the journal's last index now; the replay is also done when the reader finds nothing more. */
    @Override
    public void markReplayEnd() {
        long last = tailer.queue().lastIndex();
        replayEnd = last == Long.MIN_VALUE ? -1 : last;
        exhausted = false;
    }

    @Override
    public boolean replayDone() {
        return exhausted || lastRead >= replayEnd;
    }

    @Override
    public boolean lastReadIsLive() {
        return lastRead > replayEnd;
    }

    /** Reads the next record into {@code record}; returns false when there is none yet. */
    @Override
    public boolean next(IngestRecord record) {
        while (true) {
            try (DocumentContext dc = tailer.readingDocument()) {
                if (!dc.isPresent()) {
                    exhausted = true;
                    return false;
                }
                record.index = dc.index();
                lastRead = record.index;
                if (IngestRecordCodec.read(dc.wire().bytes(), record)) {
                    exhausted = false;
                    return true;
                }
                // unknown record type from a newer writer: skip it rather than stall the consumer
            }
        }
    }

    /** Hands the reader to another thread (Chronicle checks that one thread uses a tailer). */
    @Override
    public void handOverToCurrentThread() {
        tailer.singleThreadedCheckReset();
    }

    @Override
    public void close() {
        tailer.close();
    }
}
