package io.kuzet.server.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flyway migration 2: creates {@code positions}, {@code device_events} and the {@code subject_daily_summary}
 * relation in one of two layouts, chosen when the migration runs:
 * <ul>
 *   <li>TimescaleDB when {@code pg_available_extensions} lists it and {@code create extension} succeeds:
 *       hypertables with 1-day chunks, compression settings (segment by device, order by time) and a continuous
 *       aggregate with a refresh policy, real-time ({@code materialized_only = false}) so that rows not yet
 *       materialized are counted as they are by the plain view;</li>
 *   <li>plain PostgreSQL otherwise: tables range-partitioned by day with a default partition for rows outside the
 *       partitions created so far, and an ordinary view with the same columns as the continuous aggregate.</li>
 * </ul>
 * Both layouts have the same columns and indexes, so every query works on both. Databases created before migration
 * 36 also got a primary key per table, which {@link TimeSeriesKeysMigration} drops; new ones are created without. The choice is recorded by
 * the tables themselves ({@link SchemaFlavour#detect} reads it back); a database migrated plain stays plain when
 * TimescaleDB is installed later, until {@link TimeSeriesConversion} converts it.
 *
 * <p>Runs outside a transaction because TimescaleDB refuses to create a continuous aggregate inside one; every
 * statement is idempotent ({@code if not exists}) so a crash half-way is repaired by the next start, which re-runs
 * the migration because Flyway records it only on success. Stateless.
 */
final class TimeSeriesMigration implements JavaMigration {
    private static final Logger LOG = LoggerFactory.getLogger(TimeSeriesMigration.class);

    static final String POSITIONS_COLUMNS = """
            device_id      bigint not null,
            subject_id     bigint not null,
            order_id       bigint not null,
            fix_time       timestamptz not null,
            received_at    timestamptz not null,
            lat_e7         integer not null check (lat_e7 between -900000000 and 900000000),
            lon_e7         integer not null check (lon_e7 between -1800000000 and 1800000000),
            altitude_m     integer,
            speed_kmh      real,
            heading_deg    smallint,
            accuracy_m     real,
            hdop           real,
            satellites     smallint,
            flags          integer not null,
            journal_index  bigint not null
            """;

    static final String EVENTS_COLUMNS = """
            device_id      bigint not null,
            subject_id     bigint not null,
            order_id       bigint not null,
            event_time     timestamptz not null,
            received_at    timestamptz not null,
            event_type     smallint not null,
            value          integer not null,
            journal_index  bigint not null
            """;

    static final List<String> INDEXES = List.of(
            "create index if not exists positions_subject_time on positions (subject_id, fix_time)",
            "create index if not exists device_events_subject_time on device_events (subject_id, event_time)");

    static final List<String> PLAIN = List.of(
            "create table if not exists positions (" + POSITIONS_COLUMNS + ") partition by range (fix_time)",
            "create table if not exists positions_default partition of positions default",
            "create table if not exists device_events (" + EVENTS_COLUMNS + ") partition by range (event_time)",
            "create table if not exists device_events_default partition of device_events default",
            """
            create or replace view subject_daily_summary as
            select subject_id, date_trunc('day', fix_time, 'UTC') as day, count(*) as fixes,
                   min(fix_time) as first_fix, max(fix_time) as last_fix
            from positions group by subject_id, date_trunc('day', fix_time, 'UTC')
            """);

    /**
     * Hypertables with compression, segmented by device and ordered by time then journal index (and event type): the
     * order rows are written in, so compression finds runs of near-equal values. A segment per subject would suit
     * subject queries better, but changing the setting of an existing hypertable needs every chunk decompressed;
     * it stays as it is.
     */
    static final List<String> TIMESCALE_TABLES = List.of(
            "create table if not exists positions (" + POSITIONS_COLUMNS + ")",
            "select create_hypertable('positions', 'fix_time', chunk_time_interval => interval '1 day', if_not_exists => true)",
            "alter table positions set (timescaledb.compress, timescaledb.compress_segmentby = 'device_id', "
                    + "timescaledb.compress_orderby = 'fix_time, journal_index')",
            "create table if not exists device_events (" + EVENTS_COLUMNS + ")",
            "select create_hypertable('device_events', 'event_time', chunk_time_interval => interval '1 day', if_not_exists => true)",
            "alter table device_events set (timescaledb.compress, timescaledb.compress_segmentby = 'device_id', "
                    + "timescaledb.compress_orderby = 'event_time, journal_index, event_type')");

    /** The continuous aggregate; must run outside a transaction. */
    static final List<String> TIMESCALE_AGGREGATE = List.of(
            """
            create materialized view if not exists subject_daily_summary
            with (timescaledb.continuous, timescaledb.materialized_only = false) as
            select subject_id, time_bucket(interval '1 day', fix_time) as day, count(*) as fixes,
                   min(fix_time) as first_fix, max(fix_time) as last_fix
            from positions group by subject_id, time_bucket(interval '1 day', fix_time)
            with no data
            """,
            "select add_continuous_aggregate_policy('subject_daily_summary', start_offset => interval '3 days', "
                    + "end_offset => interval '1 hour', schedule_interval => interval '1 hour', if_not_exists => true)");

    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion("2");
    }

    @Override
    public String getDescription() {
        return "time series tables (TimescaleDB or partitioned)";
    }

    @Override
    public Integer getChecksum() {
        return null;
    }

    @Override
    public boolean canExecuteInTransaction() {
        return false;
    }

    @Override
    public void migrate(Context context) throws SQLException {
        Connection c = context.getConnection();
        boolean timescale = installTimescale(c);
        LOG.info("time series layout: {}", timescale ? "TimescaleDB hypertables" : "plain PostgreSQL daily partitions");
        try (Statement s = c.createStatement()) {
            for (String sql : timescale ? TIMESCALE_TABLES : PLAIN) {
                s.execute(sql);
            }
            for (String sql : INDEXES) {
                s.execute(sql);
            }
            if (timescale) {
                for (String sql : TIMESCALE_AGGREGATE) {
                    s.execute(sql);
                }
            }
        }
    }

    /** Installs the extension when the server offers it; false when it is absent or cannot be loaded. */
    private static boolean installTimescale(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select 1 from pg_available_extensions where name = 'timescaledb'")) {
            if (!rs.next()) {
                return false;
            }
        }
        try (Statement s = c.createStatement()) {
            s.execute("create extension if not exists timescaledb");
            return true;
        } catch (SQLException notPreloaded) {
            // Installed but not in shared_preload_libraries: the plain layout still works.
            LOG.warn("timescaledb is available but cannot be created ({}); using plain PostgreSQL partitions",
                    notPreloaded.getMessage());
            if (!c.getAutoCommit()) {
                c.rollback();
            }
            return false;
        }
    }
}
