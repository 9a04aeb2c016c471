package io.kuzet.server.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDate;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.agrona.collections.Long2LongHashMap;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

/**
 * Stores positions and device events from the ingest journal, exactly once. One {@link #write} is one transaction:
 * binary COPY of the rows into {@code positions} and {@code device_events}, the devices' stored sequences are raised
 * ({@link DeviceSequences}), then the journal checkpoint moves to the
 * last journal index the batch covers, then commit. Nothing in the tables de-duplicates: the checkpoint committed with
 * the rows is what makes a restart resume at {@code checkpoint + 1} without gaps or repeats, and a batch that ends at
 * or before the stored checkpoint is refused ({@link JournalCheckpoints.StaleCheckpointException}).
 *
 * <p>The transaction commits asynchronously ({@code SET LOCAL synchronous_commit = off}, unless turned off with
 * {@code storage.asyncCommit}): PostgreSQL acknowledges the commit before its WAL reaches the disk and the WAL writer
 * flushes it within a few hundred milliseconds. A crash in between loses the whole transaction, rows and checkpoint
 * together (the WAL is still written in order, so never one without the other); the writer then resumes from the older
 * checkpoint and writes the same rows again from the journal, which keeps every fix until storage has it. So nothing
 * acked is lost or doubled, and the writer does not wait for a WAL flush per batch (CrashMatrixTest,
 * AsyncCommitCrashTest).
 *
 * <p>Not thread-safe: one writer per journal, on its own thread (never a Netty thread). Retrying a failed batch is the
 * caller's loop (see {@link Backoff}); the batch is left intact for it. Cost: one connection checkout, one COPY
 * round trip per table and one upsert per batch; encoding is allocation-free once buffers reach the batch size.
 */
public final class PositionWriter {
    private static final String COPY_POSITIONS =
            "COPY positions (" + BinaryCopyEncoder.POSITION_COLUMNS + ") FROM STDIN (FORMAT binary)";
    private static final String COPY_EVENTS =
            "COPY device_events (" + BinaryCopyEncoder.EVENT_COLUMNS + ") FROM STDIN (FORMAT binary)";
    private static final long DAY_MS = 86_400_000L;
    private static final int FUTURE_DAYS = 2;

    private final DataSource dataSource;
    private final PartitionMaintenance partitions;
    private final String journalName;
    private final int retentionDays;
    private final Clock clock;
    private final StorageMetrics metrics;
    private final boolean asyncCommit;
    private final BinaryCopyEncoder encoder = new BinaryCopyEncoder();
    private final DeviceEventBatch noEvents = new DeviceEventBatch(0);
    private final Long2LongHashMap noSequences = DeviceSequences.newBatch();

    public PositionWriter(Database database, String journalName, StorageMetrics metrics) {
        this(database, journalName, metrics, true);
    }

    /** @param asyncCommit commit without waiting for the WAL flush (see the class comment); false = synchronous */
    public PositionWriter(Database database, String journalName, StorageMetrics metrics, boolean asyncCommit) {
        this(database.dataSource(), database.partitions(), journalName, database.settings().positionsRetentionDays(),
                Clock.systemUTC(), metrics, asyncCommit);
    }

    PositionWriter(DataSource dataSource, PartitionMaintenance partitions, String journalName, int retentionDays,
                   Clock clock, StorageMetrics metrics) {
        this(dataSource, partitions, journalName, retentionDays, clock, metrics, true);
    }

    PositionWriter(DataSource dataSource, PartitionMaintenance partitions, String journalName, int retentionDays,
                   Clock clock, StorageMetrics metrics, boolean asyncCommit) {
        this.asyncCommit = asyncCommit;
        this.dataSource = dataSource;
        this.partitions = partitions;
        this.journalName = journalName;
        this.retentionDays = retentionDays;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** Stores the positions and advances the checkpoint to {@code journalIndex}, atomically. */
    public void write(PositionBatch positions, long journalIndex) throws SQLException {
        write(positions, noEvents, journalIndex);
    }

    /**
     * Stores both batches and advances the checkpoint to {@code journalIndex} (the last journal record they cover,
     * which may be past their last row when records without rows were skipped), all in one transaction.
     */
    public void write(PositionBatch positions, DeviceEventBatch events, long journalIndex) throws SQLException {
        write(positions, events, noSequences, journalIndex);
    }

    /**
     * As {@link #write(PositionBatch, DeviceEventBatch, long)}, and raises the stored sequence of each device in
     * {@code sequences} (device id → highest sequence the batch's records carry) in the same transaction, so the
     * device's sequence outlives the journal ({@link DeviceSequences}).
     */
    public void write(PositionBatch positions, DeviceEventBatch events, Long2LongHashMap sequences,
                      long journalIndex) throws SQLException {
        write(positions, events, sequences, journalIndex, null);
    }

    /**
     * How far a writer has stored when it is not one journal index (the Kafka journal's offset per partition): checked
     * before any row is copied and advanced after, in the rows' transaction.
     */
    public interface StoredPosition {
        /** Locks the stored position and throws when the batch does not start right after it. */
        void checkAhead(Connection c) throws SQLException;

        /** Moves the stored position past the batch. */
        void advance(Connection c) throws SQLException;
    }

    /** As {@link #write(PositionBatch, DeviceEventBatch, Long2LongHashMap, long)}, with the stored position {@code position}. */
    public void write(PositionBatch positions, DeviceEventBatch events, Long2LongHashMap sequences,
                      StoredPosition position) throws SQLException {
        write(positions, events, sequences, JournalCheckpoints.NONE, position);
    }

    private void write(PositionBatch positions, DeviceEventBatch events, Long2LongHashMap sequences,
                       long journalIndex, StoredPosition position) throws SQLException {
        long start = System.nanoTime();
        try {
            ensurePartitions(positions, events);
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try {
                    if (asyncCommit) {
                        try (Statement s = c.createStatement()) {
                            s.execute("set local synchronous_commit to off");
                        }
                    }
                    if (position == null) {
                        JournalCheckpoints.checkAhead(c, journalName, journalIndex);
                    } else {
                        position.checkAhead(c);
                    }
                    CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
                    if (!positions.isEmpty()) {
                        encoder.encode(positions);
                        copyIn(copy, COPY_POSITIONS);
                    }
                    if (!events.isEmpty()) {
                        encoder.encode(events);
                        copyIn(copy, COPY_EVENTS);
                    }
                    DeviceSequences.raise(c, sequences);
                    if (position == null) {
                        JournalCheckpoints.advance(c, journalName, journalIndex);
                    } else {
                        position.advance(c);
                    }
                    c.commit();
                } catch (SQLException | RuntimeException e) {
                    rollbackQuietly(c, e);
                    throw e;
                }
            }
        } catch (SQLException | RuntimeException e) {
            metrics.errors.increment();
            throw e;
        }
        metrics.positionsWritten.increment(positions.size());
        metrics.eventsWritten.increment(events.size());
        metrics.batch.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }

    /** The stored checkpoint of this writer's journal, or -1: resume the tailer at the value + 1. */
    public long checkpoint() throws SQLException {
        return JournalCheckpoints.read(dataSource, journalName);
    }

    private void copyIn(CopyManager copy, String sql) throws SQLException {
        CopyIn in = copy.copyIn(sql);
        try {
            in.writeToCopy(encoder.buffer(), 0, encoder.length());
            in.endCopy();
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
    }

    /**
     * Creates the daily partitions this batch needs; rows older than retention or more than two days ahead go to the
     * default partition instead, so a device with a broken clock cannot create partitions for 1970 or 2099.
     */
    private void ensurePartitions(PositionBatch positions, DeviceEventBatch events) throws SQLException {
        long todayDay = Math.floorDiv(clock.millis(), DAY_MS);
        long lowest = todayDay - retentionDays;
        long highest = todayDay + FUTURE_DAYS;
        long lastDay = Long.MIN_VALUE;
        for (int i = 0; i < positions.size; i++) {
            lastDay = ensure(TimeSeriesTable.POSITIONS, Math.floorDiv(positions.fixTimeMs[i], DAY_MS), lastDay, lowest, highest);
        }
        lastDay = Long.MIN_VALUE;
        for (int i = 0; i < events.size; i++) {
            lastDay = ensure(TimeSeriesTable.DEVICE_EVENTS, Math.floorDiv(events.eventTimeMs[i], DAY_MS), lastDay, lowest, highest);
        }
    }

    private long ensure(TimeSeriesTable table, long day, long lastDay, long lowest, long highest) throws SQLException {
        if (day != lastDay && day >= lowest && day <= highest) {
            partitions.ensureDay(table, LocalDate.ofEpochDay(day));
        }
        return day;
    }

    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            if (!c.isClosed()) {
                c.rollback();
            }
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
