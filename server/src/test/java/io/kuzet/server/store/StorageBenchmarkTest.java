package io.kuzet.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Storage benchmark (JUnit tag "slow", run with {@code -Dslow}): rows/s of {@link PositionWriter} against a raw binary
 * COPY of the same pre-encoded rows into the same table, in one run, alternating to share the machine's noise; then
 * one-day tracks of single subjects among 10,000. Figures go to the log and to docs/performance.md by hand.
 */
@Tag("slow")
class StorageBenchmarkTest {
    private static final Logger LOG = LoggerFactory.getLogger(StorageBenchmarkTest.class);
    private static final int SUBJECTS = 10_000;
    private static final int FIXES_PER_SUBJECT = 144; // one day at a fix every 10 minutes
    private static final int BATCH = 10_000;

    @Test
    void writerReachesRawCopyRateAndOneDayTracksReturnInMilliseconds() throws SQLException {
        Database db = SharedPostgres.database();
        SharedPostgres.truncateAll(db);
        long dayStart = Math.floorDiv(System.currentTimeMillis(), 86_400_000L) * 86_400_000L;
        List<PositionBatch> batches = batches(dayStart);
        int rows = batches.size() * BATCH;

        double[] raw = new double[2];
        double[] writer = new double[2];
        for (int round = 0; round < 2; round++) {
            truncate(db);
            raw[round] = rowsPerSecond(rows, () -> rawCopy(db, batches));
            truncate(db);
            writer[round] = rowsPerSecond(rows, () -> writerCopy(db, batches));
        }
        double rawBest = Math.max(raw[0], raw[1]);
        double writerBest = Math.max(writer[0], writer[1]);
        LOG.info("STORAGE rows={} batch={} raw COPY rows/s={} writer rows/s={} ratio best={}", rows, BATCH,
                Arrays.toString(raw), Arrays.toString(writer), String.format("%.2f", writerBest / rawBest));
        assertEquals(rows, count(db, "select count(*) from positions"));

        analyze(db);
        TrackQueries queries = new TrackQueries(db.dataSource());
        Random random = new Random(7);
        long[] micros = new long[200];
        for (int i = 0; i < micros.length; i++) {
            long subject = 1 + random.nextInt(SUBJECTS);
            long t0 = System.nanoTime();
            int n = queries.subjectTrack(subject, Instant.ofEpochMilli(dayStart), Instant.ofEpochMilli(dayStart + 86_400_000L)).size();
            micros[i] = (System.nanoTime() - t0) / 1000;
            assertEquals(FIXES_PER_SUBJECT, n);
        }
        Arrays.sort(micros);
        LOG.info("STORAGE one-day track of 1 subject among {} ({} rows each): p50={} us p99={} us max={} us",
                SUBJECTS, FIXES_PER_SUBJECT, micros[micros.length / 2], micros[micros.length * 99 / 100], micros[micros.length - 1]);
        String plan = explain(db, dayStart);
        LOG.info("STORAGE track plan:\n{}", plan);
        assertTrue(plan.contains("Index Scan on positions_p") && plan.contains("subject_id = 4242"), plan);
    }

    private static List<PositionBatch> batches(long dayStart) {
        List<PositionBatch> batches = new ArrayList<>();
        PositionBatch batch = new PositionBatch(BATCH);
        long index = 0;
        for (int fix = 0; fix < FIXES_PER_SUBJECT; fix++) {
            for (int s = 1; s <= SUBJECTS; s++) {
                long t = dayStart + fix * 600_000L + s;
                batch.add(s, s, s, t, t + 300, 432_000_000 + s, 769_000_000 + fix, 800, 42, 180, 60, 9, 8, 1, index++);
                if (batch.size() == BATCH) {
                    batches.add(batch);
                    batch = new PositionBatch(BATCH);
                }
            }
        }
        return batches;
    }

    /** Baseline: the same rows, encoded beforehand, COPYed one committed batch at a time, nothing else. */
    private static void rawCopy(Database db, List<PositionBatch> batches) throws SQLException {
        List<byte[]> encoded = new ArrayList<>();
        BinaryCopyEncoder encoder = new BinaryCopyEncoder();
        for (PositionBatch b : batches) {
            encoder.encode(b);
            encoded.add(Arrays.copyOf(encoder.buffer(), encoder.length()));
        }
        long t0 = System.nanoTime();
        try (Connection c = db.dataSource().getConnection()) {
            var copy = c.unwrap(PGConnection.class).getCopyAPI();
            for (byte[] bytes : encoded) {
                CopyIn in = copy.copyIn("COPY positions (" + BinaryCopyEncoder.POSITION_COLUMNS + ") FROM STDIN (FORMAT binary)");
                in.writeToCopy(bytes, 0, bytes.length);
                in.endCopy();
            }
        }
        rawNanos = System.nanoTime() - t0;
    }

    private static long rawNanos;

    private static void writerCopy(Database db, List<PositionBatch> batches) throws SQLException {
        PositionWriter writer = new PositionWriter(db, "bench", StorageMetrics.detached());
        long t0 = System.nanoTime();
        long last = -1;
        for (PositionBatch b : batches) {
            last += b.size();
            writer.write(b, last);
        }
        rawNanos = System.nanoTime() - t0;
    }

    private interface Run {
        void run() throws SQLException;
    }

    private static double rowsPerSecond(int rows, Run run) throws SQLException {
        run.run();
        return Math.round(rows / (rawNanos / 1e9));
    }

    private static void truncate(Database db) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("truncate positions, journal_checkpoints");
            s.execute("checkpoint");
        }
    }

    private static void analyze(Database db) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("analyze positions");
        }
    }

    private static String explain(Database db, long dayStart) throws SQLException {
        StringBuilder plan = new StringBuilder();
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("explain (analyze, buffers) select * from positions where subject_id = 4242 "
                     + "and fix_time >= to_timestamp(" + dayStart / 1000 + ") and fix_time < to_timestamp("
                     + (dayStart / 1000 + 86_400) + ") order by fix_time, journal_index")) {
            while (rs.next()) {
                plan.append(rs.getString(1)).append('\n');
            }
        }
        return plan.toString();
    }

    private static long count(Database db, String sql) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
