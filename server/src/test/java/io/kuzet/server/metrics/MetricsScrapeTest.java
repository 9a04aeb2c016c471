package io.kuzet.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kuzet.server.KuzetServer;
import io.kuzet.server.KuzetServerMain;
import io.kuzet.server.config.ConfigLoader;
import io.kuzet.server.config.ServerConfig;
import io.kuzet.server.testing.TestClock;
import java.lang.ref.WeakReference;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scrapes {@code /metrics} of the whole server (embedded database, storage writer, HTTP) over HTTP: no {@code kuzet_}
 * series may read NaN, also after a garbage collection, or the alert rules built on it can never fire.
 */
class MetricsScrapeTest {
    @TempDir
    Path dataDir;

    @Test
    void noKuzetSeriesReadsNaNAfterAGarbageCollection() throws Exception {
        ServerConfig config = ConfigLoader.load(null, Map.of());
        config.server.dataDir = dataDir.toString();
        config.server.bindAddress = "127.0.0.1";
        config.ports.kuzet = 0;
        config.ports.kuzetTls = -1;
        config.ports.gt06 = 0;
        config.ports.watch = 0;
        config.ports.http = 0;
        config.validate();
        try (KuzetServerMain.Running running = KuzetServerMain.start(config,
                new KuzetServer.Options(new TestClock(1_780_000_000_000L), false))) {
            collectGarbage();
            HttpResponse<String> scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + running.server().httpPort() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, scrape.statusCode());
            List<String> series = scrape.body().lines().filter(l -> l.startsWith("kuzet_")).toList();
            for (String name : List.of("kuzet_core_lag_entries", "kuzet_journal_disk_used_bytes", "kuzet_journal_disk_free_bytes",
                    "kuzet_storage_lag_seconds", "kuzet_storage_lag_bytes", "kuzet_journal_retention_seconds")) {
                assertTrue(series.stream().anyMatch(l -> l.startsWith(name)), name + " is exported");
            }
            List<String> nan = series.stream().filter(l -> l.endsWith(" NaN")).toList();
            assertTrue(nan.isEmpty(), "series reading NaN: " + nan);
        }
    }

    /** Runs GCs until a fresh weakly reachable object is cleared, so every weakly held gauge object is gone too. */
    private static void collectGarbage() {
        WeakReference<Object> canary = new WeakReference<>(new Object());
        for (int i = 0; i < 20 && canary.get() != null; i++) {
            System.gc();
        }
        assertTrue(canary.get() == null, "a garbage collection ran");
    }
}
