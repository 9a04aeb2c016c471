package io.kuzet.server.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Converts the plain layout of {@link TimeSeriesMigration} (daily range partitions and a view) into the TimescaleDB
 * one (hypertables with compression and a continuous aggregate) in the current schema, keeping every row. Run by
 * {@code kuzet convert-to-timescaledb} with the server stopped (docs/storage.md).
 *
 * <p>The tables are swapped in one transaction: the old tables are renamed away, the hypertables created under the
 * old names, the rows copied and the old tables dropped; a failure rolls all of it back. The continuous aggregate
 * cannot be created inside a transaction and follows; if that step fails, running the command again finishes it.
 * Idempotent: on hypertables only the aggregate step runs. Cost: one copy of every row (the old and the new tables
 * coexist until the commit, so the disk needs room for both).
 */
public final class TimeSeriesConversion {
    private static final Logger LOG = LoggerFactory.getLogger(TimeSeriesConversion.class);

    private TimeSeriesConversion() {
    }

    /** Converts the current schema of {@code dataSource}; returns the number of position rows now in hypertables. */
    public static long convert(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return convert(c);
        }
    }

    /** As {@link #convert(DataSource)}, in the current schema of {@code c}. */
    static long convert(Connection c) throws SQLException {
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
            s.execute("create extension if not exists timescaledb");
        }
        if (SchemaFlavour.detect(c, true) == SchemaFlavour.PLAIN_POSTGRESQL) {
            swapTables(c);
        } else {
            LOG.info("positions and device_events are already hypertables");
        }
        try (Statement s = c.createStatement()) {
            for (String sql : TimeSeriesMigration.TIMESCALE_AGGREGATE) {
                s.execute(sql);
            }
        }
        return count(c, "positions");
    }

    private static void swapTables(Connection c) throws SQLException {
        long started = System.nanoTime();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("drop view if exists subject_daily_summary");
            for (String table : List.of("positions", "device_events")) {
                s.execute("alter table " + table + " rename to " + table + "_plain");
                // a primary key that survived migration 36 is not carried over (the tables are keyless since)
                s.execute("alter table " + table + "_plain drop constraint if exists " + table + "_pkey");
            }
            s.execute("alter index positions_subject_time rename to positions_plain_subject_time");
            s.execute("alter index device_events_subject_time rename to device_events_plain_subject_time");
            for (String sql : TimeSeriesMigration.TIMESCALE_TABLES) {
                s.execute(sql);
            }
            for (String sql : TimeSeriesMigration.INDEXES) {
                s.execute(sql);
            }
            long positions = s.executeUpdate("insert into positions select * from positions_plain");
            long events = s.executeUpdate("insert into device_events select * from device_events_plain");
            s.execute("drop table positions_plain, device_events_plain");
            c.commit();
            LOG.info("converted to TimescaleDB hypertables: {} positions and {} device events copied in {} ms",
                    positions, events, (System.nanoTime() - started) / 1_000_000);
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private static long count(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select count(*) from " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
