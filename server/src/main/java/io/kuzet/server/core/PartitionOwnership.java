package io.kuzet.server.core;

import io.kuzet.server.journal.kafka.KafkaAlertsTopic;
import io.kuzet.server.journal.kafka.KafkaCoreSnapshots;
import io.kuzet.server.journal.kafka.KafkaEvaluationReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partitions of the ingest topic this node's core evaluates (Kafka evaluation group), and their handover.
 *
 * <ul>
 * <li><b>Gained</b>: the partition's newest snapshot (device and rule state, the ingest offset it covers, the alerts-topic
 * offset from which its later transitions lie) is restored and the partition positioned at that offset (no snapshot: its
 * start). The partition's alerts from that alerts offset to the end are read and recognised, so the tail replay
 * re-deriving what the previous owner already emitted emits nothing twice, while what it never emitted (it died first)
 * is emitted now. An open alert stays open: its state came with the snapshot or the replay.</li>
 * <li><b>Revoked</b> (a clean handover): a snapshot is written, after the alerts emitted so far are on the brokers, then
 * the partition's state is dropped.</li>
 * <li><b>Lost</b> (this node was expelled): the state is dropped; the next owner starts from the last snapshot.</li>
 * <li>Every {@code core.snapshotIntervalS} of journal time each owned partition is snapshotted, so a takeover after a
 * crash replays at most that much.</li>
 * </ul>
 * A snapshot is a consistent (state, ingest offset, alerts offset) triple, so an older one is never wrong, only slower.
 * Called on the core thread (rebalance callbacks run inside the core's poll); snapshots are written on the snapshot thread.
 */
final class PartitionOwnership implements KafkaEvaluationReader.Ownership {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionOwnership.class);

    private final EvaluationAgent core;
    private final KafkaEvaluationReader reader;
    private final KafkaAlertsTopic alerts;
    private final KafkaCoreSnapshots snapshots;
    private final ExecutorService writer;

    PartitionOwnership(EvaluationAgent core, KafkaEvaluationReader reader, KafkaAlertsTopic alerts, KafkaCoreSnapshots snapshots,
                       ExecutorService writer) {
        this.core = core;
        this.reader = reader;
        this.alerts = alerts;
        this.snapshots = snapshots;
        this.writer = writer;
    }

    int partitions() {
        return reader.partitionCount();
    }

    long lag() {
        return reader.lag();
    }

    @Override
    public void assigned(int[] partitions) {
        for (int p : partitions) {
            long started = System.nanoTime();
            KafkaCoreSnapshots.Snapshot snapshot = null;
            try {
                snapshot = snapshots.latest(p);
                if (snapshot != null) {
                    core.restorePartition(p, snapshot.state());
                }
            } catch (IOException | RuntimeException e) {
                LOG.error("the core snapshot of partition {} is unusable ({}); replaying the partition from its start", p, e.toString());
                core.dropPartition(p);
                snapshot = null;
            }
            reader.seek(p, snapshot == null ? -1 : snapshot.ingestOffset());
            int[] recognised = new int[1];
            long alertsEnd = recogniseEmitted(p, snapshot == null ? -1 : snapshot.alertsOffset(), recognised);
            LOG.info("partition {} taken over: {}, {} alert transitions already on the alerts topic (to offset {}) recognised, "
                            + "in {} ms; replaying its tail", p,
                    snapshot == null ? "no snapshot, replaying from the start"
                            : "snapshot at ingest offset " + snapshot.ingestOffset() + " (" + snapshot.state().length + " bytes)",
                    recognised[0], alertsEnd, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        }
    }

    /**
     * Reads the partition's transitions the previous owner emitted, retrying a few times: without them the tail replay
     * would emit them again, so when they cannot be read the node stops (fail-stop) and another takes the partition.
     */
    private long recogniseEmitted(int p, long fromOffset, int[] recognised) {
        RuntimeException last = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            try {
                return alerts.read(p, fromOffset, alert -> {
                    core.recognise(alert);
                    recognised[0]++;
                });
            } catch (RuntimeException e) {
                last = e;
                LOG.warn("reading the alerts of partition {} failed (attempt {} of 3): {}", p, attempt, e.toString());
            }
        }
        IllegalStateException failure = new IllegalStateException("cannot read the alerts topic for partition " + p
                + ": evaluating it could emit its alerts twice; stopping this node", last);
        alerts.failStop(failure);
        throw failure;
    }

    @Override
    public void revoked(int[] partitions) {
        List<Future<?>> written = new ArrayList<>();
        for (int p : partitions) {
            written.add(snapshot(p));
            core.dropPartition(p);
        }
        for (int i = 0; i < written.size(); i++) {
            try {
                written.get(i).get(60, TimeUnit.SECONDS);   // before the partition goes: the next owner starts from it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | TimeoutException e) {
                LOG.error("no handover snapshot of partition {}; its next owner starts from the previous one", partitions[i], e);
            }
        }
    }

    @Override
    public void lost(int[] partitions) {
        for (int p : partitions) {
            core.dropPartition(p);
        }
        LOG.warn("evaluation partitions {} lost (this node missed the group's deadline); their new owners take them from "
                + "their last snapshots", java.util.Arrays.toString(partitions));
    }

    /** Periodic snapshots of every owned partition (core thread: encodes; the snapshot thread writes). */
    void snapshotOwned() {
        for (int p = 0; p < reader.partitionCount(); p++) {
            if (reader.owns(p)) {
                snapshot(p);
            }
        }
    }

    /**
     * Encodes partition {@code p} now, on the core thread, and writes it on the snapshot thread once every alert emitted
     * so far is on the brokers: a snapshot must never cover an open alert its next owner could not find on the topic.
     */
    private Future<?> snapshot(int p) {
        long ingestOffset = reader.nextOffset(p);
        long alertsOffset = alerts.floor(p);
        byte[] state;
        try {
            state = core.encodePartition(p);
        } catch (IOException | RuntimeException e) {
            LOG.error("could not take the core snapshot of partition {}", p, e);
            return java.util.concurrent.CompletableFuture.failedFuture(e);
        }
        return writer.submit(() -> {
            alerts.flush();
            snapshots.write(p, ingestOffset, alertsOffset, state);
            LOG.debug("core snapshot of partition {} at ingest offset {}: {} bytes", p, ingestOffset, state.length);
            return null;
        });
    }
}
