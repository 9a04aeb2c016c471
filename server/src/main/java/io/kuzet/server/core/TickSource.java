package io.kuzet.server.core;

import io.kuzet.server.journal.Journal;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends a clock tick to the journal every interval. Ticks are how time passes for the evaluation core when no
 * device speaks (absence alerts, curfew starts), and because they are journal records a replay sees the same time.
 */
public final class TickSource implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TickSource.class);

    private final ScheduledExecutorService executor;

    public TickSource(Journal journal, LongSupplier clockMs, int intervalMs) {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kuzet-tick");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleAtFixedRate(() -> {
            try {
                journal.appendTick(clockMs.getAsLong());
            } catch (RuntimeException e) {
                LOG.error("could not append a clock tick", e);
            }
        }, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
