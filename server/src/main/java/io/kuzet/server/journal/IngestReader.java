package io.kuzet.server.journal;

import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Sequential reader of the ingest journal for one consumer thread (evaluation core, storage writer).
 * Not thread-safe; allocation-free per record.
 */
public final class IngestReader implements AutoCloseable {
    private final ExcerptTailer tailer;

    IngestReader(ExcerptTailer tailer) {
        this.tailer = tailer;
    }

    /** Positions the reader so the next record read is the one after {@code index}; -1 = from the start. */
    public IngestReader startAfter(long index) {
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
    public boolean startAfterExactly(long index) {
        if (index < 0 || !tailer.moveToIndex(index)) {
            return false;
        }
        try (DocumentContext dc = tailer.readingDocument()) {
            if (!dc.isPresent() || dc.index() != index) {
                return false;
            }
        }
        return true;
    }

    /** Reads the next record into {@code record}; returns false when there is none yet. */
    public boolean next(IngestRecord record) {
        while (true) {
            try (DocumentContext dc = tailer.readingDocument()) {
                if (!dc.isPresent()) {
                    return false;
                }
                record.index = dc.index();
                if (IngestRecordCodec.read(dc.wire().bytes(), record)) {
                    return true;
                }
                // unknown record type from a newer writer: skip it rather than stall the consumer
            }
        }
    }

    /** Hands the reader to another thread (Chronicle checks that one thread uses a tailer). */
    public void handOverToCurrentThread() {
        tailer.singleThreadedCheckReset();
    }

    @Override
    public void close() {
        tailer.close();
    }
}
