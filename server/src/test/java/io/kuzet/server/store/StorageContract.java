package io.kuzet.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kuzet.server.alert.Alert;
import io.kuzet.server.alert.AlertType;
import io.kuzet.server.alert.Severity;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One storage suite for both schema flavours: plain PostgreSQL (always run, embedded) and TimescaleDB (run when
 * {@code KUZET_TEST_TIMESCALE_URL} names one). Each test starts from empty tables.
 */
abstract class StorageContract {
    static final long DAY_MS = 86_400_000L;

    Database db;
    StorageMetrics metrics;
    long subjectId;

    abstract Database database();

    @BeforeEach
    void emptyTables() throws SQLException {
        db = database();
        SharedPostgres.truncateAll(db);
        metrics = new StorageMetrics(new SimpleMeterRegistry());
        subjectId = insertSubject();
    }

    @Test
    void batchAndCheckpointCommitTogether() throws SQLException {
        PositionWriter writer = new PositionWriter(db, "ingest", metrics);
        assertEquals(-1, writer.checkpoint());
        PositionBatch batch = fixes(0, 100, now());
        DeviceEventBatch events = new DeviceEventBatch(4);
        events.add(7, subjectId, 1, now(), now(), 1, 0, 50);
        writer.write(batch, events, 99);
        assertEquals(99, writer.checkpoint());
        assertEquals(100, count("positions"));
        assertEquals(1, count("device_events"));
        assertEquals(100, metrics.positionsWritten());
    }

    @Test
    void badRowMidBatchCommitsNeitherRowsNorCheckpoint() throws SQLException {
        PositionWriter writer = new PositionWriter(db, "ingest", metrics);
        writer.write(fixes(0, 10, now()), 9);
        PositionBatch batch = fixes(10, 100, now());
        batch.add(7, subjectId, 1, now(), now(), 950_000_000, 0, 0, 0, 0, 50, 9, 7, 1, 110); // latitude 95 degrees
        assertThrows(SQLException.class, () -> writer.write(batch, 110));
        assertEquals(9, writer.checkpoint());
        assertEquals(10, count("positions"));
        assertEquals(1, metrics.errors());
    }

    @Test
    void connectionLostMidCopyCommitsNothingAndTheRetryStoresEachRowOnce() throws SQLException {
        PositionWriter writer = new PositionWriter(db, "ingest", metrics);
        PositionBatch batch = fixes(0, 200, now());
        execute("""
                create or replace function kill_own_backend() returns trigger language plpgsql as $$
                begin
                    if new.journal_index = 150 then perform pg_terminate_backend(pg_backend_pid()); end if;
                    return new;
                end $$""");
        execute("create trigger crash_mid_copy before insert on positions for each row execute function kill_own_backend()");
        try {
            assertThrows(SQLException.class, () -> writer.write(batch, 199));
        } finally {
            execute("drop trigger crash_mid_copy on positions");
        }
        assertEquals(-1, writer.checkpoint());
        assertEquals(0, count("positions"));
        writer.write(batch, 199);
        assertEquals(200, count("positions"));
        assertEquals(199, writer.checkpoint());
    }

    @Test
    void restartResumesAfterTheCheckpointWithoutGapsOrRepeats() throws SQLException {
        int journalLength = 1_000;
        int batchSize = 64;
        PositionWriter first = new PositionWriter(db, "ingest", metrics);
        long next = first.checkpoint() + 1;
        for (int batches = 0; batches < 5; batches++) {
            next = writeFrom(first, next, batchSize, journalLength);
        }
        // The process dies; a new writer resumes from the database's checkpoint, not from anything in memory.
        PositionWriter second = new PositionWriter(db, "ingest", new StorageMetrics(new SimpleMeterRegistry()));
        next = second.checkpoint() + 1;
        assertEquals(5L * batchSize, next);
        while (next < journalLength) {
            next = writeFrom(second, next, batchSize, journalLength);
        }
        assertEquals(journalLength, count("positions"));
        assertEquals(journalLength, countQuery("select count(distinct journal_index) from positions"));
        assertEquals(journalLength - 1, second.checkpoint());
    }

    @Test
    void rewritingAnAlreadyCheckpointedBatchIsRefused() throws SQLException {
        PositionWriter writer = new PositionWriter(db, "ingest", metrics);
        PositionBatch batch = fixes(0, 10, now());
        writer.write(batch, 9);
        assertThrows(JournalCheckpoints.StaleCheckpointException.class, () -> writer.write(batch, 9));
        assertEquals(10, count("positions"));
    }

    @Test
    void lateFixesLandInTheirOwnDayAndAreFoundByTrackQueries() throws SQLException {
        PositionWriter writer = new PositionWriter(db, "ingest", metrics);
        long fiveDaysAgo = now() - 5 * DAY_MS;
        writer.write(fixes(0, 3, fiveDaysAgo), 2);
        if (db.flavour() == SchemaFlavour.PLAIN_POSTGRESQL) {
            LocalDate day = LocalDate.ofEpochDay(Math.floorDiv(fiveDaysAgo, DAY_MS));
            assertTrue(db.partitions().days(TimeSeriesTable.POSITIONS).contains(day));
            assertEquals(0, count("positions_default"));
        }
        List<TrackPoint> track = new TrackQueries(db.dataSource()).subjectTrack(subjectId,
                Instant.ofEpochMilli(fiveDaysAgo - 1000), Instant.ofEpochMilli(fiveDaysAgo + 60_000));
        assertEquals(3, track.size());
        assertTrue(track.get(0).fixTime().isBefore(track.get(1).fixTime()));
        assertEquals(43.25, track.get(0).lat(), 1e-6);
        assertEquals(5.0, track.get(0).accuracyMetres(), 1e-6);
    }

    @Test
    void rowsThatLandedInTheDefaultPartitionMoveWhenTheirDayIsCreated() throws SQLException {
        if (db.flavour() != SchemaFlavour.PLAIN_POSTGRESQL) {
            return;
        }
        long sixtyDaysAgo = now() - 60 * DAY_MS; // older than the writer's partition window
        new PositionWriter(db, "ingest", metrics).write(fixes(0, 4, sixtyDaysAgo), 3);
        assertEquals(4, count("positions_default"));
        LocalDate day = LocalDate.ofEpochDay(Math.floorDiv(sixtyDaysAgo, DAY_MS));
        db.partitions().ensureDay(TimeSeriesTable.POSITIONS, day);
        assertEquals(0, count("positions_default"));
        assertEquals(4, count(PartitionMaintenance.partitionName(TimeSeriesTable.POSITIONS, day)));
        assertEquals(4, count("positions"));
    }

    @Test
    void retentionDropsExpiredDaysButKeepsRowsUnderLegalHold() throws SQLException {
        Instant now = Instant.now();
        long expiredHeld = now.minus(40, ChronoUnit.DAYS).toEpochMilli();
        long expiredFree = now.minus(45, ChronoUnit.DAYS).toEpochMilli();
        db.partitions().ensureDay(TimeSeriesTable.POSITIONS, LocalDate.ofInstant(Instant.ofEpochMilli(expiredHeld), ZoneOffset.UTC));
        db.partitions().ensureDay(TimeSeriesTable.POSITIONS, LocalDate.ofInstant(Instant.ofEpochMilli(expiredFree), ZoneOffset.UTC));
        PositionWriter writer = new PositionWriter(db, "ingest", metrics);
        writer.write(fixes(0, 10, expiredFree), 9);
        writer.write(fixes(10, 10, expiredHeld), 19);
        PositionBatch otherSubject = new PositionBatch(4);
        otherSubject.add(8, subjectId + 1000, 1, expiredHeld + 1000, expiredHeld, 1, 1, 0, 0, 0, 10, 10, 6, 1, 20);
        writer.write(otherSubject, 20);
        writer.write(fixes(21, 5, now.toEpochMilli()), 25);
        // An alert's window: the first 5 of the 10 fixes 40 days ago.
        execute("insert into legal_holds (subject_id, from_time, to_time, reason, created_by) values ("
                + subjectId + ", to_timestamp(" + expiredHeld / 1000.0 + "), to_timestamp(" + (expiredHeld + 4_000) / 1000.0
                + "), 'alert 42 evidence', 'supervisor')");

        if (db.timescale()) {
            // In production expired chunks are long compressed (compressAfterDays < retention): retention must cope.
            assertEquals(2, countQuery("select count(compress_chunk(c)) from show_chunks('positions', older_than => interval '7 days') c"));
        }

        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        long deleted = new RetentionJob(db, registry).run(now);

        assertEquals(10 + 5 + 1, deleted);
        assertEquals(5 + 5, count("positions"));
        assertEquals(5, countQuery("select count(*) from positions where fix_time < now() - interval '30 days'"));
        assertEquals(16, registry.get("kuzet_retention_rows_deleted").tag("table", "positions").counter().count());
        assertEquals(now.getEpochSecond(), registry.get("kuzet_retention_last_run_timestamp_seconds").gauge().value());
        if (db.flavour() == SchemaFlavour.PLAIN_POSTGRESQL) {
            List<LocalDate> days = db.partitions().days(TimeSeriesTable.POSITIONS);
            assertFalse(days.contains(LocalDate.ofInstant(Instant.ofEpochMilli(expiredFree), ZoneOffset.UTC)));
            assertTrue(days.contains(LocalDate.ofInstant(Instant.ofEpochMilli(expiredHeld), ZoneOffset.UTC)));
        } else {
            assertEquals(0, countQuery("select count(*) from timescaledb_information.chunks where hypertable_name = 'positions'"
                    + " and range_start <= to_timestamp(" + expiredFree / 1000.0 + ") and range_end > to_timestamp(" + expiredFree / 1000.0 + ")"));
            assertEquals(1, countQuery("select count(*) from timescaledb_information.chunks where hypertable_name = 'positions'"
                    + " and range_start <= to_timestamp(" + expiredHeld / 1000.0 + ") and range_end > to_timestamp(" + expiredHeld / 1000.0 + ")"));
        }
    }

    @Test
    void dailySummaryCountsFixesAsSoonAsTheyAreStored() throws SQLException {
        long today = Math.floorDiv(now(), DAY_MS) * DAY_MS; // today 00:00 UTC: the 30 fixes stay in one day
        new PositionWriter(db, "ingest", metrics).write(fixes(0, 30, today), 29);
        // A plain view on PostgreSQL, a real-time continuous aggregate (nothing materialized yet) on TimescaleDB.
        assertEquals(30, countQuery("select fixes from subject_daily_summary where subject_id = " + subjectId
                + " and day = date_trunc('day', to_timestamp(" + today / 1000.0 + "), 'UTC')"));
    }

    @Test
    void alertUpsertIsIdempotentOnTheDeterministicIdAndClearsOpenAlerts() throws SQLException {
        AlertWriter writer = new AlertWriter(db.dataSource(), "alerts", metrics);
        long id = Alert.identity(7, AlertType.EXCLUSION_VIOLATION, 3, now());
        Alert raised = new Alert(id, Alert.Phase.RAISED, AlertType.EXCLUSION_VIOLATION, Severity.HIGH, 7, 123, subjectId,
                1, 3, now(), now() + 500, true, "Exclusion zone 'Victim home': 85 m inside", Map.of("distanceM", 85.0));
        writer.upsert(List.of(raised), 0);
        writer.upsert(List.of(raised), 1); // replay after a restart: same id, no second row
        assertEquals(1, count("alerts"));
        List<StoredAlert> open = new TrackQueries(db.dataSource()).alerts(agencyOf(subjectId), "OPEN", 10);
        assertEquals(1, open.size());
        assertTrue(open.get(0).late());
        assertTrue(open.get(0).detailsJson().contains("85"));
        Alert cleared = new Alert(id, Alert.Phase.CLEARED, AlertType.EXCLUSION_VIOLATION, Severity.HIGH, 7, 123,
                subjectId, 1, 3, now(), now() + 60_000, false, "left the zone", Map.of());
        writer.upsert(List.of(cleared), 2);
        assertEquals(1, countQuery("select count(*) from alerts where state = 'CLEARED'"));
        assertEquals(2, writer.checkpoint());
    }

    @Test
    void positionRowSaysWhereItsAccuracyComesFrom() throws SQLException {
        long t = now();
        PositionBatch batch = new PositionBatch(3);
        batch.add(77, subjectId, 1, t, t + 200, 432_500_000, 768_900_000, 800, 35, 90, 50, -1, 9, 1, 0);   // Kuzet: reported
        batch.add(77, subjectId, 1, t + 1000, t + 1200, 432_500_000, 768_900_000, 800, 35, 90, 500, -1, 5, 1 | 8, 1); // GT06
        batch.add(77, subjectId, 1, t + 2000, t + 2200, 432_500_000, 768_900_000, 800, 35, 90, -1, -1, 0, 1, 2);  // nothing
        new PositionWriter(db, "ingest", metrics).write(batch, 2);
        assertEquals(1, countQuery("select count(*) from positions where device_id = 77 and subject_id = " + subjectId + " and accuracy_source = 'REPORTED' and accuracy_m = 5"));
        assertEquals(1, countQuery("select count(*) from positions where device_id = 77 and subject_id = " + subjectId + " and accuracy_source = 'ESTIMATED_SATELLITES'"
                + " and accuracy_m = 50"));
        assertEquals(1, countQuery("select count(*) from positions where device_id = 77 and subject_id = " + subjectId + " and accuracy_source = 'DEFAULT' and accuracy_m is null"));
    }

    @Test
    void clearingIsStoredWithItsFixTimeAndProcessingTimeAndAsAnEntryInTheAlertHistory() throws SQLException {
        AlertWriter writer = new AlertWriter(db.dataSource(), "alerts", metrics);
        long nowMs = now() / 1000 * 1000;
        long opened = nowMs - 7_200_000;
        long id = Alert.identity(7, AlertType.CURFEW_VIOLATION, 4, opened);
        writer.upsert(List.of(new Alert(id, Alert.Phase.RAISED, AlertType.CURFEW_VIOLATION, Severity.HIGH, 7, 123,
                subjectId, 1, 4, opened + 60_000, opened + 65_000, false, "Curfew zone 'Home': 600 m outside",
                Map.of("openingFixTime", java.time.Instant.ofEpochMilli(opened).toString()))), 0);
        long backHomeFix = nowMs - 3_600_000;            // came home an hour ago; the buffered upload arrives now
        Alert cleared = new Alert(id, Alert.Phase.CLEARED, AlertType.CURFEW_VIOLATION, Severity.HIGH, 7, 123,
                subjectId, 1, 4, backHomeFix, nowMs, false, "Curfew zone 'Home' cleared: back inside", Map.of());
        writer.upsert(List.of(cleared), 1);
        writer.upsert(List.of(cleared), 2);              // replayed: still one history entry
        assertEquals(1, countQuery("select count(*) from alerts where id = " + id
                + " and opened_fix_time = to_timestamp(" + opened / 1000.0 + ")"
                + " and cleared_fix_time = to_timestamp(" + backHomeFix / 1000.0 + ")"
                + " and cleared_at = to_timestamp(" + nowMs / 1000.0 + ")"));
        assertEquals(1, countQuery("select count(*) from alert_actions where alert_id = " + id
                + " and action = 'CLEARED' and fix_time = to_timestamp(" + backHomeFix / 1000.0 + ")"
                + " and at = to_timestamp(" + nowMs / 1000.0 + ") and note like '%back inside%'"));
    }

    // ---- helpers

    private long writeFrom(PositionWriter writer, long firstIndex, int batchSize, int journalLength) throws SQLException {
        int n = (int) Math.min(batchSize, journalLength - firstIndex);
        writer.write(fixes(firstIndex, n, now()), firstIndex + n - 1);
        return firstIndex + n;
    }

    /** {@code n} fixes of device 7, one per second, journal indexes from {@code firstIndex}. */
    PositionBatch fixes(long firstIndex, int n, long startMs) {
        PositionBatch batch = new PositionBatch(n);
        for (int i = 0; i < n; i++) {
            long index = firstIndex + i;
            batch.add(7, subjectId, 1, startMs + i * 1000L, startMs + i * 1000L + 200, 432_500_000 + i, 768_900_000,
                    800, 35, 90, 50, 9, 7, 1, index);
        }
        return batch;
    }

    static long now() {
        return System.currentTimeMillis();
    }

    long insertSubject() throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("insert into agencies (code, name, region) values ('ALM', 'Almaty probation', 'Almaty')");
            try (ResultSet rs = s.executeQuery("insert into subjects (agency_id, external_case_id, display_name) "
                    + "select id, 'KZ-1', 'Test' from agencies where code = 'ALM' returning id")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    long agencyOf(long subject) throws SQLException {
        return countQuery("select agency_id from subjects where id = " + subject);
    }

    long count(String table) throws SQLException {
        return countQuery("select count(*) from " + table);
    }

    long countQuery(String sql) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    void execute(String sql) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    static Timestamp ts(long ms) {
        return new Timestamp(ms);
    }
}
