package io.kuzet.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's database: an embedded PostgreSQL under the data directory (persisting across restarts) when no JDBC
 * URL is configured, else a HikariCP pool on the configured URL. {@link #start} migrates the schema (Flyway), applies
 * the TimescaleDB policies or creates the daily partitions around today, and exposes a pooled {@link DataSource}.
 *
 * <p>Thread-safe after {@link #start}. Cost: a few seconds at start (embedded initdb on first start only).
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private final DatabaseSettings settings;
    private final EmbeddedPostgresLauncher.Embedded embedded;
    private final HikariDataSource pool;
    private final SchemaFlavour flavour;
    private final PartitionMaintenance partitions;

    private Database(DatabaseSettings settings, EmbeddedPostgresLauncher.Embedded embedded, HikariDataSource pool, SchemaFlavour flavour) {
        this.settings = settings;
        this.embedded = embedded;
        this.pool = pool;
        this.flavour = flavour;
        this.partitions = new PartitionMaintenance(pool, flavour);
    }

    /** Starts (or connects to) the database and brings its schema up to date. */
    public static Database start(DatabaseSettings settings) {
        return start(settings, Clock.systemUTC());
    }

    /** As {@link #start(DatabaseSettings)}, with the clock that decides which daily partitions exist. */
    public static Database start(DatabaseSettings settings, Clock clock) {
        EmbeddedPostgresLauncher.Embedded embedded = null;
        HikariDataSource pool = null;
        try {
            HikariConfig config = new HikariConfig();
            if (settings.embedded()) {
                long startedNs = System.nanoTime();
                embedded = EmbeddedPostgresLauncher.start(settings.dataDirectory(), settings.embeddedPort(),
                        Duration.ofSeconds(settings.embeddedStartTimeoutS()), settings.embeddedSettings());
                config.setJdbcUrl(embedded.postgres.getJdbcUrl("postgres", "postgres"));
                LOG.info("embedded PostgreSQL on port {} with data in {}, started in {} ms", embedded.postgres.getPort(),
                        settings.dataDirectory().resolve("postgres"), (System.nanoTime() - startedNs) / 1_000_000);
            } else {
                config.setJdbcUrl(settings.jdbcUrl());
                config.setUsername(settings.user());
                config.setPassword(settings.password());
            }
            config.setMaximumPoolSize(settings.poolSize());
            config.setPoolName("kuzet-db");
            pool = new HikariDataSource(config);
            SchemaMigrations.migrate(pool);
            SchemaFlavour flavour = SchemaFlavour.detect(pool);
            if (flavour == SchemaFlavour.TIMESCALEDB) {
                TimescalePolicies.apply(pool, settings);
            } else if (SchemaFlavour.timescaleInstalled(pool)) {
                LOG.warn("the TimescaleDB extension is installed but positions and device_events are plain partitioned "
                        + "tables; they stay plain until converted with `kuzet convert-to-timescaledb` (docs/storage.md)");
            }
            Database database = new Database(settings, embedded, pool, flavour);
            LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
            database.partitions.ensureDays(today.minusDays(2), today.plusDays(7));
            LOG.info("database ready ({})", flavour);
            return database;
        } catch (IOException e) {
            closeQuietly(pool, embedded);
            throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
        } catch (SQLException | RuntimeException e) {
            closeQuietly(pool, embedded);
            throw new IllegalStateException("cannot start the database: " + e.getMessage(), e);
        }
    }

    public DataSource dataSource() {
        return pool;
    }

    public SchemaFlavour flavour() {
        return flavour;
    }

    public boolean timescale() {
        return flavour == SchemaFlavour.TIMESCALEDB;
    }

    public DatabaseSettings settings() {
        return settings;
    }

    /** Creates daily partitions on demand (a no-op on TimescaleDB, whose chunks appear by themselves). */
    public PartitionMaintenance partitions() {
        return partitions;
    }

    /** The embedded database's port, or -1 for an external database. */
    public int embeddedPort() {
        return embedded == null ? -1 : embedded.postgres.getPort();
    }

    @Override
    public void close() {
        closeQuietly(pool, embedded);
    }

    private static void closeQuietly(HikariDataSource pool, EmbeddedPostgresLauncher.Embedded embedded) {
        if (pool != null) {
            pool.close();
        }
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                LOG.warn("embedded PostgreSQL did not stop cleanly: {}", e.toString());
            }
        }
    }
}
