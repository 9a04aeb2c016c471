package io.kuzet.server.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Disk used by the journal directory and free space on its file system, read at scrape time. The gauges hold this
 * object strongly: Micrometer's default is a weak reference, and a binder nobody else keeps would be collected and
 * read as NaN from then on.
 */
public final class JournalDiskMetrics implements MeterBinder {
    private final Path directory;

    public JournalDiskMetrics(Path directory) {
        this.directory = directory;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("kuzet_journal_disk_used_bytes", this, JournalDiskMetrics::usedBytes).strongReference(true)
                .description("bytes used by journal files").register(registry);
        Gauge.builder("kuzet_journal_disk_free_bytes", this, JournalDiskMetrics::freeBytes).strongReference(true)
                .description("free bytes on the journal's file system").register(registry);
    }

    private double usedBytes() {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private double freeBytes() {
        return directory.toFile().getUsableSpace();
    }
}
