package io.kuzet.server.journal;

/**
 * Sequential reader of the ingest journal for one consumer thread (evaluation core, storage writer). Not thread-safe.
 */
public interface JournalReader extends AutoCloseable {

    /** Reads the next record into {@code record}; returns false when there is none yet. */
    boolean next(IngestRecord record);

    /** Positions the reader so the next record read is the one after {@code index}; -1 = from the start. */
    JournalReader startAfter(long index);

    /**
     * Positions the reader right after the record at {@code index} if that record is still in the journal; returns
     * false (position unspecified) when it is not.
     */
    boolean startAfterExactly(long index);

    /** Notes what the journal holds now: a replay reads up to there ({@link #replayDone()}). */
    void markReplayEnd();

    /** True once every record the journal held at {@link #markReplayEnd()} has been read. */
    boolean replayDone();

    /** True when the record last read was appended after {@link #markReplayEnd()}. */
    boolean lastReadIsLive();

    /** Hands the reader to another thread. */
    void handOverToCurrentThread();

    @Override
    void close();
}
