package io.kuzet.server.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * One embedded PostgreSQL for every storage and registry test class in the JVM, started and migrated on first use
 * and stopped by a shutdown hook. Tests share it and clean the tables they use with {@link #truncateAll}.
 */
public final class SharedPostgres {
    private static Database database;

    private SharedPostgres() {
    }

    public static synchronized Database database() {
        if (database == null) {
            try {
                Path dir = Files.createTempDirectory("kuzet-store-test");
                // a throw-away database: no fsync (the production default is on), so that tests do not wait for the disk
                database = Database.start(DatabaseSettings.embedded(dir).withRetentionDays(30).withEmbeddedSettings("fsync=off"));
                Runtime.getRuntime().addShutdownHook(new Thread(() -> stopAndDelete(dir), "shared-postgres-stop"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return database;
    }

    /** Stops the database and removes its ~100 MB directory (data and extracted binaries). */
    private static void stopAndDelete(Path dir) {
        database.close();
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Empties every table the tests write (the schema stays). */
    public static void truncateAll(Database db) {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("truncate device_commands, positions, device_events, journal_checkpoints, kafka_offsets, device_sequences, legal_holds, handover_notes, alert_actions, alerts, "
                    + "schedules, schedule_exceptions, rules, zones, device_assignments, devices, orders, subjects, "
                    + "users, agencies restart identity cascade");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
