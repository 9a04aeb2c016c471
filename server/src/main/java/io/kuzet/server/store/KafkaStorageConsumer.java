package io.kuzet.server.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One storage writer's consumer of a Kafka topic, as a member of a consumer group: Kafka splits the partitions between
 * the nodes' writers and hands a leaving or lost node's partitions to the others. On every assignment the new owner
 * positions each partition at the offset stored in {@code kafka_offsets} ({@link KafkaOffsets}), never at the group's
 * committed offsets (nothing is committed to Kafka): the database alone says what is stored.
 *
 * <p>Exactly once across a handover: records are handed out one poll at a time, and the next poll (the only place
 * where Kafka runs the rebalance callbacks) happens only after the caller stored everything handed out
 * ({@link #stored()}); so when a partition leaves this writer nothing read from it is waiting to be stored, and its
 * new owner starts exactly where this one's last transaction ended. The rows' transaction still compares and sets the
 * offsets ({@link #checkAhead}, {@link #advance}): a writer that lost its partitions without being told (a session
 * timeout during a long stall) has its batch refused instead of stored twice.
 *
 * <p>Not thread-safe: the storage thread only ({@link #lag()} excepted).
 */
final class KafkaStorageConsumer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaStorageConsumer.class);
    /** A node that stops heart-beating loses its partitions after this; a stopping node hands them over at once. */
    static final int SESSION_TIMEOUT_MS = 10_000;
    /** Longest time between two polls before the group takes the writer's partitions (a batch takes far less). */
    static final int MAX_POLL_INTERVAL_MS = 60_000;

    private final KafkaConsumer<Long, byte[]> consumer;
    private final String topic;
    private final Duration pollTimeout;
    private final DataSource dataSource;
    private final long[] stored;    // per partition: what the database held at assignment, then after each batch
    private final long[] from;      // per partition: the position after the last stored batch (or at assignment)
    private final long[] next;      // per partition: the offset of the next record handed out
    private final boolean[] owned;
    private Iterator<ConsumerRecord<Long, byte[]>> buffered = Collections.emptyIterator();
    private boolean pending;        // records handed out since the last stored batch
    private volatile long lag;
    private io.kuzet.server.journal.kafka.KafkaConsumerLag lagReport;
    private TopicPartition[] ownedPartitions;   // by partition number, null where not owned (what lagReport wants)
    private volatile int ownedCount;

    /**
     * Joins {@code group} on {@code topic}. Throws {@link TopicMissingException} when the topic does not exist yet.
     *
     * @param pollTimeout how long a poll waits for records (the storage thread polls the alerts topic between batches
     *                    of positions, so that one waits little)
     */
    KafkaStorageConsumer(String bootstrapServers, String topic, String group, String clientId, Duration pollTimeout,
                         DataSource dataSource) {
        this.topic = topic;
        this.pollTimeout = pollTimeout;
        this.dataSource = dataSource;
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);   // never with the broker's default partitions
        // only used when a stored offset is no longer retained: records Kafka deleted unstored are missing (scale-out.md)
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // one poll is one batch at most (see the class comment): large enough that a backlog is stored in big batches
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 20_000);
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
        config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, SESSION_TIMEOUT_MS);
        config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, SESSION_TIMEOUT_MS / 4);
        // a writer whose thread is stuck (it still heart-beats) gives its partitions up after this, not Kafka's 5 min
        config.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, MAX_POLL_INTERVAL_MS);
        // a node joining or leaving moves only the partitions that must move; the others keep being stored meanwhile
        config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, List.of(CooperativeStickyAssignor.class.getName()));
        this.consumer = new KafkaConsumer<>(config, new LongDeserializer(), new ByteArrayDeserializer());
        List<PartitionInfo> infos;
        try {
            infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
        } catch (RuntimeException e) {
            consumer.close(Duration.ZERO);
            throw e;
        }
        if (infos == null || infos.isEmpty()) {
            consumer.close(Duration.ZERO);
            throw new TopicMissingException(topic);
        }
        int partitions = infos.size();
        stored = new long[partitions];
        from = new long[partitions];
        next = new long[partitions];
        owned = new boolean[partitions];
        consumer.subscribe(List.of(topic), new Rebalance());
    }

    String topic() {
        return topic;
    }

    /** The topic does not exist (yet): it is created by the node that starts first (or by the operator). */
    static final class TopicMissingException extends IllegalStateException {
        TopicMissingException(String topic) {
            super("Kafka topic " + topic + " does not exist (yet)");
        }
    }

    /**
     * The next record of this writer's partitions, or null: when nothing is buffered and records are pending (the
     * caller stores them before anything new is polled), or when a poll brought nothing.
     */
    ConsumerRecord<Long, byte[]> next() {
        if (!buffered.hasNext()) {
            if (pending) {
                return null;
            }
            if (lagReport != null && ownedPartitions != null) {
                lagReport.polled(consumer, ownedPartitions, next);
            }
            var records = consumer.poll(pollTimeout);   // rebalance callbacks run here, with nothing pending
            updateLag();
            if (records.isEmpty()) {
                return null;
            }
            buffered = records.iterator();
        }
        ConsumerRecord<Long, byte[]> r = buffered.next();
        next[r.partition()] = r.offset() + 1;
        pending = true;
        return r;
    }

    /** In the rows' transaction, before any row: locks and checks the stored offsets of the partitions that moved. */
    void checkAhead(Connection c) throws SQLException {
        KafkaOffsets.checkAhead(c, topic, stored, from, next);
    }

    /** In the rows' transaction, after the rows: moves the stored offsets of the partitions that moved. */
    void advance(Connection c) throws SQLException {
        KafkaOffsets.advance(c, topic, from, next);
    }

    /** After the rows' transaction committed: what was handed out is stored. */
    void stored() {
        for (int p = 0; p < next.length; p++) {
            if (next[p] > from[p]) {
                stored[p] = next[p];
                from[p] = next[p];
            }
        }
        pending = false;
    }

    /** Partitions this writer owns now (any thread). */
    int ownedPartitions() {
        return ownedCount;
    }

    private void countOwned() {
        int n = 0;
        TopicPartition[] tps = new TopicPartition[owned.length];
        for (int p = 0; p < owned.length; p++) {
            if (owned[p]) {
                n++;
                tps[p] = new TopicPartition(topic, p);
            } else if (lagReport != null) {
                lagReport.release(p);
            }
        }
        ownedCount = n;
        ownedPartitions = tps;
    }

    /** Records of this writer's partitions not read yet, as of its last poll (any thread). */
    long lag() {
        return lag;
    }

    private void updateLag() {
        long total = 0;
        for (TopicPartition tp : consumer.assignment()) {
            OptionalLong l = consumer.currentLag(tp);
            if (l.isPresent()) {
                total += l.getAsLong();
            }
        }
        lag = total;
    }

    /** Reports this consumer's positions into {@code lag} (kuzet_kafka_consumer_lag_records); null = not reported. */
    void reportingLagTo(io.kuzet.server.journal.kafka.KafkaConsumerLag lag) {
        this.lagReport = lag;
    }

    @Override
    public void close() {
        if (lagReport != null) {
            lagReport.releaseAll();
        }
        // leaving the group hands this writer's partitions over now rather than after the session timeout
        consumer.close(Duration.ofSeconds(5));
    }

    /** Positions newly assigned partitions from the database; forgets revoked ones. Runs inside {@link #next}'s poll. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            long[] inDatabase;
            try {
                inDatabase = KafkaOffsets.read(dataSource, topic, stored.length);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot read kafka_offsets of " + topic + ": " + e.getMessage(), e);
            }
            List<TopicPartition> fromStart = new ArrayList<>();
            for (TopicPartition tp : partitions) {
                long offset = inDatabase[tp.partition()];
                if (offset < 0) {
                    fromStart.add(tp);
                } else {
                    consumer.seek(tp, offset);
                }
            }
            if (!fromStart.isEmpty()) {
                consumer.seekToBeginning(fromStart);
            }
            for (TopicPartition tp : partitions) {
                int p = tp.partition();
                stored[p] = inDatabase[p];
                from[p] = consumer.position(tp, Duration.ofSeconds(30));
                next[p] = from[p];
                owned[p] = true;
            }
            countOwned();
            LOG.info("storage of {} now owns partitions {} (took {}), positioned at the offsets in kafka_offsets", topic,
                    owned(), numbers(partitions));
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            forget(partitions);
            if (!partitions.isEmpty()) {
                LOG.info("storage of {} handed over partitions {}; owns {}", topic, numbers(partitions), owned());
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            forget(partitions);
            LOG.warn("storage of {} lost partitions {} (no heartbeat within {} ms); their new owner resumes at kafka_offsets",
                    topic, numbers(partitions), SESSION_TIMEOUT_MS);
        }

        private void forget(Collection<TopicPartition> partitions) {
            for (TopicPartition tp : partitions) {
                int p = tp.partition();
                owned[p] = false;
                from[p] = next[p];   // nothing of it is pending (see the class comment): it no longer counts as moved
            }
            countOwned();
        }

        private TreeSet<Integer> owned() {
            TreeSet<Integer> set = new TreeSet<>();
            for (int p = 0; p < owned.length; p++) {
                if (owned[p]) {
                    set.add(p);
                }
            }
            return set;
        }

        private TreeSet<Integer> numbers(Collection<TopicPartition> partitions) {
            TreeSet<Integer> set = new TreeSet<>();
            partitions.forEach(tp -> set.add(tp.partition()));
            return set;
        }
    }
}
