package io.kuzet.server.store;

import io.kuzet.protocol.Fix;
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
 * Flyway migration 40: {@code positions.accuracy_source} becomes a computed field instead of a stored column. It was a
 * text value per row that repeats what {@code accuracy_m} and {@code flags} already say (NULL accuracy = DEFAULT, else
 * the flags' HDOP or satellite estimate bits, else REPORTED: {@link BinaryCopyEncoder#accuracySource}) and nothing
 * in the server reads it. Not writing it, with {@code assurance} the only other text column per row, is part of the
 * 14 % of PostgreSQL's CPU per stored row that the two text columns cost (docs/performance.md, "CPU per stored fix").
 *
 * <p>The function {@code accuracy_source(positions)} keeps {@code p.accuracy_source} (attribute notation, with the
 * table or its alias) working in SQL for operators and exports. Dropping a column is a catalog change, no rewrite.
 * On TimescaleDB versions that refuse to alter a hypertable with compressed chunks the column stays (NULL in new
 * rows), which is logged; the function gives the value either way. Idempotent. Stateless.
 */
final class AccuracySourceColumnMigration implements JavaMigration {
    private static final Logger LOG = LoggerFactory.getLogger(AccuracySourceColumnMigration.class);

    static final String FUNCTION = "create or replace function accuracy_source(p positions) returns text "
            + "language sql immutable as $$ select case when p.accuracy_m is null then 'DEFAULT' "
            + "when p.flags & " + Fix.FLAG_ACCURACY_FROM_HDOP + " <> 0 then 'ESTIMATED_HDOP' "
            + "when p.flags & " + Fix.FLAG_ACCURACY_ESTIMATED + " <> 0 then 'ESTIMATED_SATELLITES' "
            + "else 'REPORTED' end $$";

    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion("40");
    }

    @Override
    public String getDescription() {
        return "positions accuracy_source computed, not stored";
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
        Savepoint before = c.getAutoCommit() ? null : c.setSavepoint();
        try (Statement s = c.createStatement()) {
            s.execute("alter table positions drop column if exists accuracy_source");
        } catch (SQLException refused) {
            if (before == null) {
                throw refused;
            }
            c.rollback(before);
            LOG.warn("positions keeps its accuracy_source column ({}); new rows leave it NULL, "
                    + "accuracy_source(positions) gives the value", refused.getMessage());
        }
        try (Statement s = c.createStatement()) {
            s.execute(FUNCTION);
        }
    }
}
