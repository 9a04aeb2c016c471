package io.kuzet.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Database CPU per stored row (JUnit tag "slow", run with {@code -Dslow}), without the server or a load client: the
 * embedded PostgreSQL with its production settings (fsync on) and the storage writer's real transactions, paced at
 * 50,000 rows/s like the load fleet (1,000 subjects), CPU of the postmaster and all its processes from /proc. Variants
 * alternate, twice, each on an emptied table: batch size (what {@code storage.lingerMs} decides at a given rate) and
 * the row's width (the text column written per row). Figures go to the log and docs/performance.md by hand.
 */
@Tag("slow")
class DatabaseCpuPerRowBenchmarkTest {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseCpuPerRowBenchmarkTest.class);
    private static final int ROWS = 1_000_000;
    private static final int SUBJECTS = 1_000;
    private static final int RATE = 50_000;
    private static final long TICK_NS = 1_000_000_000L / 100; // clock ticks per second in /proc (USER_HZ)

    @TempDir
    Path dir;

    @Test
    void databaseCpuPerRowByBatchSizeAndRowWidth() throws Exception {
        try (Database db = Database.start(DatabaseSettings.embedded(dir))) {
            long postmaster = Long.parseLong(Files.readAllLines(dir.resolve("postgres/postmaster.pid")).get(0).strip());
            long dayStart = Math.floorDiv(System.currentTimeMillis(), 86_400_000L) * 86_400_000L;
            Map<String, List<Double>> usPerRow = new LinkedHashMap<>();
            for (int round = 0; round < 2; round++) {
                for (String variant : List.of("writer 2,500-row batches", "writer 50,000-row batches",
                        "raw COPY 50,000, the writer's 16 columns", "raw COPY 50,000, without assurance (15)")) {
                    truncate(db);
                    long before = cpuTicks(postmaster);
                    switch (variant) {
                        case "writer 2,500-row batches" -> writer(db, dayStart, 2_500);
                        case "writer 50,000-row batches" -> writer(db, dayStart, 50_000);
                        case "raw COPY 50,000, the writer's 16 columns" -> raw(db, dayStart, 50_000, false);
                        default -> raw(db, dayStart, 50_000, true);
                    }
                    Thread.sleep(1_000); // the WAL writer's flush of the last asynchronous commit
                    double us = (cpuTicks(postmaster) - before) * (double) TICK_NS / 1000.0 / ROWS;
                    usPerRow.computeIfAbsent(variant, k -> new ArrayList<>()).add(us);
                    assertEquals(ROWS, count(db), variant);
                    LOG.info("DBCPU round {} {}: {} us per row", round, variant, String.format("%.2f", us));
                }
            }
            String load = loadAverage();
            usPerRow.forEach((variant, runs) -> LOG.info("DBCPU {}: {} us per row (runs {}), load average {}", variant,
                    String.format("%.2f", runs.stream().mapToDouble(Double::doubleValue).average().orElse(0)), runs,
                    load));
        }
    }

    /** The storage writer's transaction (checkpoint, COPY, commit asynchronously), batches paced at 50,000 rows/s. */
    private static void writer(Database db, long dayStart, int batchRows) throws SQLException {
        PositionWriter writer = new PositionWriter(db, "bench", StorageMetrics.detached());
        PositionBatch batch = new PositionBatch(batchRows);
        long started = System.nanoTime();
        for (int row = 0; row < ROWS; ) {
            batch.clear();
            for (int i = 0; i < batchRows && row < ROWS; i++, row++) {
                add(batch, dayStart, row);
            }
            pace(started, row);
            writer.write(batch, row - 1);
        }
    }

    /** Plain COPY statements in autocommit, the writer's rows or the same without assurance (left NULL). */
    private static void raw(Database db, long dayStart, int batchRows, boolean narrow) throws SQLException {
        BinaryCopyEncoder encoder = new BinaryCopyEncoder();
        PositionBatch batch = new PositionBatch(batchRows);
        long started = System.nanoTime();
        try (Connection c = db.dataSource().getConnection()) {
            var copy = c.unwrap(PGConnection.class).getCopyAPI();
            for (int row = 0; row < ROWS; ) {
                batch.clear();
                for (int i = 0; i < batchRows && row < ROWS; i++, row++) {
                    add(batch, dayStart, row);
                }
                pace(started, row);
                byte[] bytes;
                int length;
                String columns = BinaryCopyEncoder.POSITION_COLUMNS;
                if (narrow) {
                    ByteBuffer b = narrow(batch);
                    bytes = b.array();
                    length = b.position();
                    columns = columns.replace(", assurance", "");
                } else {
                    encoder.encode(batch);
                    bytes = encoder.buffer();
                    length = encoder.length();
                }
                CopyIn in = copy.copyIn("COPY positions (" + columns + ") FROM STDIN (FORMAT binary)");
                in.writeToCopy(bytes, 0, length);
                in.endCopy();
            }
        }
    }

    /** A load-fleet fix: subject = device, 1,000 of them, times rising per subject within today. */
    private static void add(PositionBatch batch, long dayStart, int row) {
        long device = 1 + row % SUBJECTS;
        long t = dayStart + (row / SUBJECTS) * 60L;
        batch.add(device, device, device, t, t + 300, 432_000_000 + row % 1000, 769_000_000 + row % 777, 0, 40, 0,
                80, PositionBatch.UNKNOWN, 9, 1, row);
        batch.assurance(batch.size() - 1, PositionAssurance.AUTHENTICATED);
    }

    /** The same rows in binary COPY format without assurance, the one text column left. */
    private static ByteBuffer narrow(PositionBatch b) {
        ByteBuffer out = ByteBuffer.allocate(19 + b.size * 140 + 2);
        out.put(new byte[] {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0}).putInt(0).putInt(0);
        for (int i = 0; i < b.size; i++) {
            out.putShort((short) 15);
            out.putInt(8).putLong(b.deviceId[i]).putInt(8).putLong(b.subjectId[i]).putInt(8).putLong(b.orderId[i]);
            out.putInt(8).putLong(BinaryCopyEncoder.toPostgresMicros(b.fixTimeMs[i]));
            out.putInt(8).putLong(BinaryCopyEncoder.toPostgresMicros(b.receivedMs[i]));
            out.putInt(4).putInt(b.latE7[i]).putInt(4).putInt(b.lonE7[i]).putInt(4).putInt(b.altitudeM[i]);
            out.putInt(4).putFloat(b.speedKmhX10[i] / 10f).putInt(2).putShort((short) b.headingDeg[i]);
            out.putInt(4).putFloat(b.accuracyDm[i] / 10f).putInt(-1).putInt(2).putShort((short) b.satellites[i]);
            out.putInt(4).putInt(b.flags[i]).putInt(8).putLong(b.journalIndex[i]);
        }
        out.putShort((short) -1);
        return out;
    }

    private static void pace(long startedNs, int rowsSoFar) {
        long due = startedNs + (long) rowsSoFar * 1_000_000_000L / RATE;
        long wait = due - System.nanoTime();
        if (wait > 0) {
            LockSupport.parkNanos(wait);
        }
    }

    /** utime + stime of the postmaster, of every live process it started, and of those it reaped. */
    private static long cpuTicks(long postmaster) throws IOException {
        long ticks = 0;
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                String[] f;
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                } catch (IOException gone) {
                    continue;
                }
                long pid = Long.parseLong(name);
                long ppid = Long.parseLong(f[1]);
                if (pid == postmaster) {
                    ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
                } else if (ppid == postmaster) {
                    ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                }
            }
        }
        return ticks;
    }

    private static String loadAverage() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).strip();
    }

    private static void truncate(Database db) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("truncate positions, journal_checkpoints");
            s.execute("checkpoint");
        }
    }

    private static long count(Database db) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from positions")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
