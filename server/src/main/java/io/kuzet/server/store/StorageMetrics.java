package io.kuzet.server.store;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The storage writers' meters, named as in {@code docs/metrics.md}: {@code kuzet_storage_rows_written_total{table}},
 * {@code kuzet_storage_batch_seconds}, {@code kuzet_storage_errors_total},
 * {@code kuzet_storage_batches_refused_total{journal}}. Thread-safe; counters are striped.
 */
public final class StorageMetrics {
    final Counter positionsWritten;
    final Counter eventsWritten;
    final Counter alertsWritten;
    final Counter errors;
    final Counter positionsRefused;
    final Counter alertsRefused;
    final Timer batch;

    public StorageMetrics(MeterRegistry registry) {
        positionsWritten = rows(registry, "positions");
        eventsWritten = rows(registry, "device_events");
        alertsWritten = rows(registry, "alerts");
        errors = Counter.builder("kuzet_storage_errors").description("failed storage batches (retried with backoff)")
                .register(registry);
        positionsRefused = refused(registry, "positions");
        alertsRefused = refused(registry, "alerts");
        batch = Timer.builder("kuzet_storage_batch").description("time to write one batch (COPY + checkpoint + commit)")
                .publishPercentileHistogram().register(registry);
    }

    /** Meters that go nowhere, for tools and tests that do not export metrics. */
    public static StorageMetrics detached() {
        return new StorageMetrics(new SimpleMeterRegistry());
    }

    private static Counter rows(MeterRegistry registry, String table) {
        return Counter.builder("kuzet_storage_rows_written").tag("table", table)
                .description("rows written by the storage writer").register(registry);
    }

    /**
     * Batches refused because the stored position had moved since the writer read it (another writer stored those
     * records first): rolled back and re-read from the database, nothing stored twice. Steadily zero when the nodes'
     * storage writers split the partitions as a consumer group; a rise means two writers read the same records.
     */
    private static Counter refused(MeterRegistry registry, String journal) {
        return Counter.builder("kuzet_storage_batches_refused").tag("journal", journal)
                .description("storage batches refused because another writer had stored their records first")
                .register(registry);
    }

    public double positionsWritten() {
        return positionsWritten.count();
    }

    public double refusedBatches() {
        return positionsRefused.count() + alertsRefused.count();
    }

    public double errors() {
        return errors.count();
    }
}
