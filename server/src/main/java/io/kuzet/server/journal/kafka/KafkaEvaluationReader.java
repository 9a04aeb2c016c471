package io.kuzet.server.journal.kafka;

import io.kuzet.server.config.ServerConfig;
import io.kuzet.server.journal.IngestRecord;
import io.kuzet.server.journal.JournalReader;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.LongAdder;
import net.openhft.chronicle.bytes.Bytes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The evaluation core's reader of the ingest topic when several nodes share it: a member of the consumer group
 * {@code kafka.evaluationGroup}, so each partition is evaluated by exactly one node. Kafka's committed offsets are never
 * used: the owner of a partition positions it itself, from the partition's core snapshot ({@link Ownership#assigned}).
 *
 * <p>The group uses the classic protocol with the cooperative sticky assignor: a node joining or leaving moves only the
 * partitions that must move (the others keep being evaluated during the rebalance), and the client-side session timeout
 * ({@code kafka.evaluationSessionTimeoutMs}, 6 s: the broker's default minimum) decides how fast a dead node's
 * partitions are handed over, without broker settings. (The KIP-848 protocol would take its session timeout from the
 * broker, 45 s by default.)
 *
 * <p>Rebalance callbacks run on the thread that calls {@link #next}, inside Kafka's poll, when no polled record is
 * pending, so the owner changes its state on its own thread between two records. Not thread-safe, apart from
 * {@link #ownedCount()}, {@link #lag()} and {@link #rebalances()}.
 */
public final class KafkaEvaluationReader implements JournalReader {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaEvaluationReader.class);
    private static final Duration POLL = Duration.ofMillis(20);

    /** What the owner of the partitions does when they move; called on the reading thread. */
    public interface Ownership {
        /** Partitions now owned: position each with {@link #seek} (default: from its start) and restore its state. */
        void assigned(int[] partitions);

        /** Partitions handed to another node: leave a snapshot for it, then drop their state. */
        void revoked(int[] partitions);

        /** Partitions another node may already own (this node was expelled from the group): drop their state. */
        void lost(int[] partitions);
    }

    private final KafkaConsumer<Long, byte[]> consumer;
    private final String topic;
    private final TopicPartition[] partitions;
    private final boolean[] owned;
    private final long[] nextOffsets;
    private final long[] replayEnd;
    private final Bytes<?> in = Bytes.allocateElasticOnHeap(1024);
    private final LongAdder rebalances = new LongAdder();
    private final Duration firstAssignmentWait;
    private Iterator<ConsumerRecord<Long, byte[]>> buffered = Collections.emptyIterator();
    private Ownership ownership;
    private boolean assignedOnce;
    private int lastPartition = -1;
    private long lastOffset = -1;
    private volatile int[] ownedPartitions = new int[0];
    private volatile long lag;
    private final long sessionTimeoutNanos;
    private final long heartbeatMs;
    private long lastPollNanos = System.nanoTime();
    private org.apache.kafka.common.Metric lastHeartbeatSecondsAgo;   // the coordinator's, found at the first poll
    private org.apache.kafka.common.Metric heartbeatResponses;
    private final LongAdder heldForMembership = new LongAdder();

    public KafkaEvaluationReader(ServerConfig.Kafka settings, String clientId) {
        this.topic = settings.topic;
        Map<String, Object> config = IngestTopicConsumers.settings(settings, clientId);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, settings.evaluationGroup);
        config.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
        config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, List.of(CooperativeStickyAssignor.class.getName()));
        config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, settings.evaluationSessionTimeoutMs);
        config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, settings.evaluationHeartbeatMs);
        this.consumer = new KafkaConsumer<>(config, new LongDeserializer(), new ByteArrayDeserializer());
        this.partitions = IngestTopicConsumers.partitions(consumer, topic);
        this.owned = new boolean[partitions.length];
        this.nextOffsets = new long[partitions.length];
        this.replayEnd = new long[partitions.length];
        this.firstAssignmentWait = Duration.ofMillis(Math.max(30_000, 5L * settings.evaluationSessionTimeoutMs));
        this.sessionTimeoutNanos = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(settings.evaluationSessionTimeoutMs);
        this.heartbeatMs = settings.evaluationHeartbeatMs;
    }

    /** Joins the group; {@code ownership} hears of every partition this node gains or loses from now on. */
    public KafkaEvaluationReader join(Ownership ownership) {
        this.ownership = ownership;
        consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
                KafkaEvaluationReader.this.assigned(assigned);
            }

            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
                KafkaEvaluationReader.this.released(revoked, false);
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> lost) {
                KafkaEvaluationReader.this.released(lost, true);
            }
        });
        return this;
    }

    private void assigned(Collection<TopicPartition> assigned) {
        rebalances.increment();
        if (assigned.isEmpty()) {
            assignedOnce = true;
            return;
        }
        int[] ids = ids(assigned);
        for (int p : ids) {
            owned[p] = true;
            consumer.seekToBeginning(List.of(partitions[p]));
        }
        ownership.assigned(ids);
        Map<TopicPartition, Long> ends = consumer.endOffsets(assigned, Duration.ofSeconds(60));
        for (int p : ids) {
            replayEnd[p] = ends.getOrDefault(partitions[p], 0L);
            nextOffsets[p] = consumer.position(partitions[p], Duration.ofSeconds(60));
        }
        ownedPartitions = ownedNow();
        assignedOnce = true;
        LOG.info("evaluation now owns partitions {} of {} (added {}); each replays to its end offset before going live",
                ownedList(), topic, java.util.Arrays.toString(ids));
    }

    private void released(Collection<TopicPartition> released, boolean lost) {
        int[] ids = released.stream().mapToInt(TopicPartition::partition).filter(p -> owned[p]).sorted().toArray();
        if (ids.length == 0) {
            return;   // already handed over (close() hands over before leaving the group)
        }
        if (lost) {
            for (int p : ids) {
                owned[p] = false;   // at once: nothing more is emitted for them, even while their state is dropped
            }
            ownership.lost(ids);
        } else {
            ownership.revoked(ids);
        }
        for (int p : ids) {
            owned[p] = false;
        }
        ownedPartitions = ownedNow();
        LOG.info("evaluation {} partitions {} of {}; still owns {}", lost ? "lost" : "handed over",
                java.util.Arrays.toString(ids), topic, ownedList());
    }

    private static int[] ids(Collection<TopicPartition> tps) {
        return tps.stream().mapToInt(TopicPartition::partition).sorted().toArray();
    }

    private int[] ownedNow() {
        return java.util.stream.IntStream.range(0, owned.length).filter(p -> owned[p]).toArray();
    }

    private String ownedList() {
        StringBuilder s = new StringBuilder("[");
        for (int p = 0; p < owned.length; p++) {
            if (owned[p]) {
                s.append(s.length() > 1 ? ", " : "").append(p);
            }
        }
        return s.append(']').toString();
    }

    /** Positions owned partition {@code p} at {@code offset}, or at its start when {@code offset < 0}. From {@link Ownership#assigned}. */
    public void seek(int p, long offset) {
        if (offset < 0) {
            consumer.seekToBeginning(List.of(partitions[p]));
        } else {
            consumer.seek(partitions[p], offset);
        }
    }

    public String topic() {
        return topic;
    }

    public int partitionCount() {
        return partitions.length;
    }

    /** Whether this node evaluates partition {@code p} now (reading thread). */
    public boolean owns(int p) {
        return owned[p];
    }

    /** How many partitions this node owns (any thread). */
    public int ownedCount() {
        return ownedPartitions.length;
    }

    /** The partitions this node owns, ascending (any thread; a copy). */
    public int[] ownedPartitions() {
        return ownedPartitions.clone();
    }

    /** Rebalances this node took part in (any thread). */
    public long rebalances() {
        return rebalances.sum();
    }

    /** Offset of the next record of partition {@code p} this reader returns (reading thread). */
    public long nextOffset(int p) {
        return nextOffsets[p];
    }

    @Override
    public KafkaEvaluationReader startAfter(long index) {
        if (index >= 0) {
            throw new UnsupportedOperationException("the evaluation group positions each partition from its snapshot");
        }
        return this;
    }

    @Override
    public boolean startAfterExactly(long index) {
        return false;
    }

    @Override
    public boolean next(IngestRecord record) {
        while (true) {
            if (assignedOnce && System.nanoTime() - lastPollNanos >= sessionTimeoutNanos) {
                confirmMembershipAfterStall();
            }
            if (!buffered.hasNext()) {
                var records = poll();   // rebalance callbacks run in here
                updateLag();
                if (records.isEmpty()) {
                    return false;
                }
                if (heartbeatSilentForASession()) {
                    rewind();   // maybe expelled without knowing it yet: evaluate nothing until the coordinator answers
                    heldForMembership.increment();
                    return false;
                }
                buffered = records.iterator();
            }
            ConsumerRecord<Long, byte[]> r = buffered.next();
            int p = r.partition();
            if (!owned[p]) {
                continue;   // defensive: records of a partition revoked since they were fetched
            }
            nextOffsets[p] = r.offset() + 1;
            lastPartition = p;
            lastOffset = r.offset();
            if (IngestTopicConsumers.decode(r, in, record, partitions.length)) {
                return true;
            }
        }
    }

    private org.apache.kafka.clients.consumer.ConsumerRecords<Long, byte[]> poll() {
        var records = consumer.poll(POLL);
        lastPollNanos = System.nanoTime();
        return records;
    }

    /**
     * This thread did not poll for a whole session timeout (a long GC pause, a stalled machine): the group may have
     * expelled this node and handed its partitions to another meanwhile, and the records buffered here would then be
     * evaluated by both (a zombie emitting transitions the new owner emits too). So the buffered records are put back
     * and the consumer polls, evaluating nothing, until the coordinator has answered a heartbeat sent after the stall
     * (at most a session timeout): if this member was expelled, {@code onPartitionsLost} has then dropped those
     * partitions before anything more is evaluated.
     */
    private void confirmMembershipAfterStall() {
        long stalledMs = java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastPollNanos);
        rewind();
        findCoordinatorMetrics();
        double responses = metricValue(heartbeatResponses);
        long deadline = System.nanoTime() + sessionTimeoutNanos;
        while (System.nanoTime() < deadline && !(metricValue(heartbeatResponses) > responses)) {
            consumer.poll(POLL);   // records dropped: re-read from where evaluation stopped (rewind below)
        }
        consumer.poll(POLL);   // the answer's consequence (a lost assignment) runs in here
        lastPollNanos = System.nanoTime();
        rewind();
        heldForMembership.increment();
        LOG.warn("evaluation did not poll for {} ms (more than the session timeout); membership confirmed before going on, "
                + "still owns {}", stalledMs, ownedList());
    }

    /** Drops the polled records not evaluated yet; each owned partition is read again from its next unevaluated record. */
    private void rewind() {
        buffered = Collections.emptyIterator();
        for (int p = 0; p < owned.length; p++) {
            if (owned[p]) {
                consumer.seek(partitions[p], nextOffsets[p]);
            }
        }
    }

    /**
     * Whether no heartbeat has been sent to the group coordinator for a session timeout: the consumer lost the
     * coordinator (network trouble to it) and the group may have expelled this node while its fetches still work.
     */
    private boolean heartbeatSilentForASession() {
        findCoordinatorMetrics();
        double secondsAgo = metricValue(lastHeartbeatSecondsAgo);
        return secondsAgo * 1e9 >= sessionTimeoutNanos;   // NaN (no heartbeat yet) is false
    }

    private void findCoordinatorMetrics() {
        if (lastHeartbeatSecondsAgo == null) {
            for (var e : consumer.metrics().entrySet()) {
                if (e.getKey().group().equals("consumer-coordinator-metrics")) {
                    if (e.getKey().name().equals("last-heartbeat-seconds-ago")) {
                        lastHeartbeatSecondsAgo = e.getValue();
                    } else if (e.getKey().name().equals("heartbeat-total")) {
                        heartbeatResponses = e.getValue();
                    }
                }
            }
        }
    }

    private static double metricValue(org.apache.kafka.common.Metric metric) {
        return metric != null && metric.metricValue() instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    /** Times evaluation held back until the group coordinator confirmed this node's membership (any thread). */
    public long heldForMembership() {
        return heldForMembership.sum();
    }

    private void updateLag() {
        long total = 0;
        for (int p = 0; p < partitions.length; p++) {
            if (owned[p]) {
                OptionalLong l = consumer.currentLag(partitions[p]);
                if (l.isPresent()) {
                    total += l.getAsLong();
                }
            }
        }
        lag = total;
    }

    /** Records of the owned partitions not yet read, as of the last poll (any thread). */
    public long lag() {
        return lag;
    }

    /**
     * Waits (polling, so the group forms) until this node got its first assignment; each assigned partition then replays
     * up to the end offset it had when assigned. Records polled meanwhile are kept for {@link #next}.
     */
    @Override
    public void markReplayEnd() {
        long deadline = System.nanoTime() + firstAssignmentWait.toNanos();
        while (!assignedOnce && System.nanoTime() < deadline) {
            var records = poll();
            if (!records.isEmpty()) {
                buffered = records.iterator();
            }
        }
        if (!assignedOnce) {
            LOG.warn("no partition assignment from the evaluation group {} within {}; starting without one",
                    consumer.groupMetadata().groupId(), firstAssignmentWait);
        }
    }

    @Override
    public boolean replayDone() {
        for (int p = 0; p < partitions.length; p++) {
            if (owned[p] && nextOffsets[p] < replayEnd[p]) {
                return false;
            }
        }
        return true;
    }

    /** Whether partition {@code p} has been read up to where it ended when this node took it over. */
    public boolean live(int p) {
        return nextOffsets[p] >= replayEnd[p];
    }

    @Override
    public boolean lastReadIsLive() {
        return lastPartition < 0 || lastOffset >= replayEnd[lastPartition];
    }

    @Override
    public void handOverToCurrentThread() {
        in.singleThreadedCheckReset();
    }

    /**
     * Hands every owned partition over ({@link Ownership#revoked}: snapshots written), then leaves the group so the
     * others take them at once instead of after the session timeout. On the calling thread.
     */
    @Override
    public void close() {
        try {
            released(consumer.assignment(), false);
        } catch (RuntimeException e) {
            LOG.warn("handing the evaluation partitions over at close failed; the next owners start from older snapshots", e);
        }
        consumer.close(Duration.ofSeconds(30));
    }
}
