package io.kuzet.server.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flyway migration 36: drops the primary keys of {@code positions} {@code (device_id, fix_time, journal_index)} and
 * {@code device_events} {@code (device_id, event_time, journal_index, event_type)}. No query needs them: tracks,
 * latest positions, evidence exports, daily summaries and legal-hold retention all go by subject and time (the
 * {@code (subject_id, fix_time)} / {@code (subject_id, event_time)} indexes), retention by time (whole partitions or
 * chunks), and exactly-once storage rests on the journal checkpoint committed with the rows, not on a key. Each key
 * was a second B-tree that every stored row had to enter: dropping it took about a third off PostgreSQL's CPU per
 * stored fix (docs/performance.md, "CPU per stored fix").
 *
 * <p>On TimescaleDB, where some versions refuse to alter a hypertable with compressed chunks, a refused drop is
 * logged and the key stays (everything works with or without it). Idempotent. Stateless.
 */
final class TimeSeriesKeysMigration implements JavaMigration {
    private static final Logger LOG = LoggerFactory.getLogger(TimeSeriesKeysMigration.class);

    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion("36");
    }

    @Override
    public String getDescription() {
        return "time series tables without primary keys";
    }

    @Override
    public Integer getChecksum() {
        return null;
    }

    @Override
    public boolean canExecuteInTransaction() {
        return true;
    }

    @Override
    public void migrate(Context context) throws SQLException {
        Connection c = context.getConnection();
        for (String table : new String[] {"positions", "device_events"}) {
            Savepoint before = c.getAutoCommit() ? null : c.setSavepoint();
            try (Statement s = c.createStatement()) {
                s.execute("alter table " + table + " drop constraint if exists " + table + "_pkey");
            } catch (SQLException refused) {
                if (before == null) {
                    throw refused;
                }
                c.rollback(before);
                LOG.warn("{} keeps its primary key ({}); storage works the same, at a higher CPU cost per row",
                        table, refused.getMessage());
            }
        }
    }
}
