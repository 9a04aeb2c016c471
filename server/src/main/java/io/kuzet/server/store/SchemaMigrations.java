package io.kuzet.server.store;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the Flyway migrations: SQL files from {@code classpath:db/migration} plus {@link TimeSeriesMigration}, the
 * Java migration that picks the TimescaleDB or plain-PostgreSQL layout, and {@link TimeSeriesKeysMigration}. Idempotent: a migrated schema is left as it is.
 * Stateless; cost: one Flyway validation (tens of ms) when nothing is pending.
 */
public final class SchemaMigrations {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrations.class);

    private SchemaMigrations() {
    }

    /** Applies pending migrations; returns how many ran. */
    public static int migrate(DataSource dataSource) {
        Flyway flyway = Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .javaMigrations(new TimeSeriesMigration(), new TimeSeriesKeysMigration())
                .failOnMissingLocations(true)
                .load();
        MigrateResult result = flyway.migrate();
        if (result.migrationsExecuted > 0) {
            LOG.info("schema migrated to version {} ({} migrations)", result.targetSchemaVersion, result.migrationsExecuted);
        }
        return result.migrationsExecuted;
    }
}
