package io.kuzet.server.store;

import java.nio.file.Path;

/**
 * Where the database is and how to keep its time series.
 *
 * @param jdbcUrl                 JDBC URL of an external PostgreSQL/TimescaleDB; null or blank = embedded PostgreSQL
 * @param user                    user for {@code jdbcUrl} (ignored for the embedded database)
 * @param password                password for {@code jdbcUrl} (ignored for the embedded database)
 * @param dataDirectory           the server's data directory; the embedded database lives in {@code postgres/} under it
 * @param embeddedPort            TCP port of the embedded database on 127.0.0.1; 0 = any free port
 * @param poolSize                maximum connections in the pool
 * @param positionsRetentionDays  positions and device events older than this are deleted unless under legal hold
 * @param compressAfterDays       TimescaleDB only: chunks older than this are compressed
 * @param embeddedStartTimeoutS   how long the embedded database may take to start, crash recovery (WAL replay and
 *                                stopping a postmaster left by a killed server) included
 * @param embeddedSettings        PostgreSQL settings of the embedded database on top of the tuned defaults
 *                                ({@code name=value,name=value}; blank = none), see {@link EmbeddedPostgresLauncher#DEFAULT_SETTINGS}
 */
public record DatabaseSettings(String jdbcUrl, String user, String password, Path dataDirectory, int embeddedPort,
                               int poolSize, int positionsRetentionDays, int compressAfterDays, int embeddedStartTimeoutS,
                               String embeddedSettings) {

    /** Generous enough for PostgreSQL's crash recovery of a small-to-medium database on a slow disk. */
    public static final int DEFAULT_EMBEDDED_START_TIMEOUT_S = 120;

    public DatabaseSettings(String jdbcUrl, String user, String password, Path dataDirectory, int embeddedPort,
                            int poolSize, int positionsRetentionDays, int compressAfterDays) {
        this(jdbcUrl, user, password, dataDirectory, embeddedPort, poolSize, positionsRetentionDays, compressAfterDays,
                DEFAULT_EMBEDDED_START_TIMEOUT_S);
    }

    public DatabaseSettings(String jdbcUrl, String user, String password, Path dataDirectory, int embeddedPort,
                            int poolSize, int positionsRetentionDays, int compressAfterDays, int embeddedStartTimeoutS) {
        this(jdbcUrl, user, password, dataDirectory, embeddedPort, poolSize, positionsRetentionDays, compressAfterDays,
                embeddedStartTimeoutS, "");
    }

    public DatabaseSettings {
        embeddedSettings = embeddedSettings == null ? "" : embeddedSettings.strip();
        EmbeddedPostgresLauncher.parseSettings(embeddedSettings); // refuses a malformed list at start, not at first use
        if (embeddedStartTimeoutS < 1) {
            throw new IllegalArgumentException("embeddedStartTimeoutS must be >= 1, was " + embeddedStartTimeoutS);
        }
        if (poolSize < 1) {
            throw new IllegalArgumentException("poolSize must be >= 1, was " + poolSize);
        }
        if (positionsRetentionDays < 1) {
            throw new IllegalArgumentException("positionsRetentionDays must be >= 1, was " + positionsRetentionDays);
        }
        if (compressAfterDays < 1) {
            throw new IllegalArgumentException("compressAfterDays must be >= 1, was " + compressAfterDays);
        }
        if (embedded() && dataDirectory == null) {
            throw new IllegalArgumentException("dataDirectory is required for the embedded database");
        }
    }

    /** An embedded database under {@code dataDirectory} with default pool size, 365 days retention, compression after 7. */
    public static DatabaseSettings embedded(Path dataDirectory) {
        return new DatabaseSettings(null, null, null, dataDirectory, 0, 8, 365, 7);
    }

    public boolean embedded() {
        return jdbcUrl == null || jdbcUrl.isBlank();
    }

    public DatabaseSettings withRetentionDays(int days) {
        return new DatabaseSettings(jdbcUrl, user, password, dataDirectory, embeddedPort, poolSize, days, compressAfterDays,
                embeddedStartTimeoutS, embeddedSettings);
    }

    /** The same with {@code settings} for the embedded database on top of the defaults. */
    public DatabaseSettings withEmbeddedSettings(String settings) {
        return new DatabaseSettings(jdbcUrl, user, password, dataDirectory, embeddedPort, poolSize, positionsRetentionDays,
                compressAfterDays, embeddedStartTimeoutS, settings);
    }
}
