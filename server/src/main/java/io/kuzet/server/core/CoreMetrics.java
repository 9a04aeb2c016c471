package io.kuzet.server.core;

import io.kuzet.server.alert.Alert;
import io.kuzet.server.alert.AlertType;
import io.kuzet.server.alert.Severity;
import io.kuzet.server.journal.kafka.DevicePartitions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** Meters of the evaluation core (see docs/metrics.md), resolved once. Updated from the core thread only. */
public final class CoreMetrics {
    private final Counter[][] raised = new Counter[AlertType.values().length][Severity.values().length];
    private final AtomicLong[] open = new AtomicLong[AlertType.values().length];
    private final Timer evaluation;
    private final Timer fixToAlert;
    private long[][] openByPartition;

    public CoreMetrics(MeterRegistry registry, LongSupplier lagEntries) {
        for (AlertType type : AlertType.values()) {
            for (Severity severity : Severity.values()) {
                raised[type.ordinal()][severity.ordinal()] = Counter.builder("kuzet_alerts_raised")
                        .description("alerts raised by the core")
                        .tags("type", type.name(), "severity", severity.name()).register(registry);
            }
            open[type.ordinal()] = registry.gauge("kuzet_alerts_open", Tags.of("type", type.name()), new AtomicLong());
        }
        evaluation = Timer.builder("kuzet_evaluation").description("time to evaluate one journal record")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(100))
                .maximumExpectedValue(Duration.ofMillis(100)).register(registry);
        fixToAlert = Timer.builder("kuzet_fix_to_alert").description("fix received to alert emitted, in process")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(1_000))
                .maximumExpectedValue(Duration.ofSeconds(1)).register(registry);
        // Held strongly: the supplier is usually a lambda nobody else references, and a weakly held one reads NaN.
        Gauge.builder("kuzet_core_lag_entries", lagEntries, LongSupplier::getAsLong).strongReference(true)
                .description("journal entries not yet evaluated by the core").register(registry);
    }

    /** Tracks the open-alert gauge; called for every transition, replayed ones included, so it survives restarts. */
    void openChanged(Alert alert) {
        int change = alert.phase() == Alert.Phase.RAISED ? 1 : -1;
        open[alert.type().ordinal()].addAndGet(change);
        if (openByPartition != null) {
            openByPartition[DevicePartitions.of(alert.deviceId(), openByPartition.length)][alert.type().ordinal()] += change;
        }
    }

    /**
     * Kafka evaluation group: open alerts are also counted per ingest partition, so a partition's count can go into its
     * snapshot and leave the gauge when the partition is handed to another node.
     */
    void partitioned(int partitions) {
        openByPartition = new long[partitions][AlertType.values().length];
    }

    /** Open alerts of {@code type} among the devices of partition {@code p}. */
    long openIn(int p, AlertType type) {
        return openByPartition[p][type.ordinal()];
    }

    /** Adds a restored partition's open alerts to the gauge. */
    void restoreOpenIn(int p, AlertType type, long count) {
        openByPartition[p][type.ordinal()] += count;
        open[type.ordinal()].addAndGet(count);
    }

    /** Removes a partition handed to another node from the gauge (its new owner counts it). */
    void dropPartition(int p) {
        for (AlertType type : AlertType.values()) {
            open[type.ordinal()].addAndGet(-openByPartition[p][type.ordinal()]);
            openByPartition[p][type.ordinal()] = 0;
        }
    }

    /** Counts a newly raised alert (not one re-derived by a replay). */
    void raised(Alert alert) {
        if (alert.phase() == Alert.Phase.RAISED) {
            raised[alert.type().ordinal()][alert.severity().ordinal()].increment();
        }
    }


    void evaluated(long nanos) {
        evaluation.record(nanos, TimeUnit.NANOSECONDS);
    }

    void fixToAlert(long nanos) {
        fixToAlert.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Sets the open-alert gauge from a core snapshot (its transitions before the snapshot are not replayed). */
    void restoreOpen(AlertType type, long count) {
        open[type.ordinal()].set(count);
    }

    public long open(AlertType type) {
        return open[type.ordinal()].get();
    }

}
