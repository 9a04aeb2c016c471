package io.kuzet.server.journal.kafka;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka health metrics of a node in {@code journal.kind=kafka} (docs/metrics.md, runbook in ops/): every 15 s one
 * Admin client asks the brokers, per watched topic, which partitions have fewer in-sync replicas than replicas
 * ({@code kuzet_kafka_under_replicated_partitions{topic}}, -1 when the cluster cannot be asked) and the end offsets of
 * the topics the node's consumers read, which the consumers' {@link KafkaConsumerLag} compare with their positions
 * ({@code kuzet_kafka_consumer_lag_records{consumer,topic}}). The gauges are read at scrape time from what the last
 * answer said: a scrape never waits for the brokers.
 */
public final class KafkaHealth implements AutoCloseable {
    /** How often the brokers are asked. */
    public static final long INTERVAL_MS = 15_000;
    private static final Logger LOG = LoggerFactory.getLogger(KafkaHealth.class);
    private static final int ASK_TIMEOUT_MS = 10_000;

    private final MeterRegistry meters;
    private final Admin admin;
    private final ScheduledExecutorService timer;
    private final Map<String, AtomicLong> underReplicated = new ConcurrentHashMap<>();
    private final Map<String, List<KafkaConsumerLag>> lagsByTopic = new ConcurrentHashMap<>();
    private final Map<String, KafkaConsumerLag> lags = new ConcurrentHashMap<>();
    private volatile boolean unreachable;

    /** Asks the brokers at {@code bootstrapServers} now and every {@link #INTERVAL_MS}. */
    public KafkaHealth(String bootstrapServers, MeterRegistry meters) {
        this(bootstrapServers, meters, INTERVAL_MS);
    }

    /** As above every {@code intervalMs}; 0 = only when {@link #refresh()} is called (tests). */
    public KafkaHealth(String bootstrapServers, MeterRegistry meters, long intervalMs) {
        this.meters = meters;
        this.admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, "kuzet-health",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ASK_TIMEOUT_MS / 2,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ASK_TIMEOUT_MS));
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kuzet-kafka-health");
            t.setDaemon(true);
            return t;
        });
        if (intervalMs > 0) {
            timer.scheduleWithFixedDelay(this::refreshQuietly, 0, intervalMs, TimeUnit.MILLISECONDS);
        }
    }

    /** Exports {@code kuzet_kafka_under_replicated_partitions{topic}} for {@code topic} (-1 until the first answer). */
    public void watchTopic(String topic) {
        underReplicated.computeIfAbsent(topic, t -> {
            AtomicLong value = new AtomicLong(-1);
            Gauge.builder("kuzet_kafka_under_replicated_partitions", value, AtomicLong::get).strongReference(true).tag("topic", t)
                    .description("partitions of the topic whose in-sync replicas are fewer than their replicas; -1 when "
                            + "the Kafka cluster cannot be asked").register(meters);
            return value;
        });
    }

    /**
     * The lag of the node's consumer named {@code consumer} ({@code evaluation}, {@code storage}, {@code alerts}) on
     * {@code topic}, exported as {@code kuzet_kafka_consumer_lag_records{consumer,topic}}; the same object for the same
     * pair, so a consumer that is closed and opened again reports into the same gauge.
     */
    public KafkaConsumerLag consumerLag(String consumer, String topic) {
        watchTopic(topic);
        return lags.computeIfAbsent(consumer + '\n' + topic, key -> {
            KafkaConsumerLag lag = new KafkaConsumerLag(consumer, topic);
            Gauge.builder("kuzet_kafka_consumer_lag_records", lag, KafkaConsumerLag::records).strongReference(true)
                    .tags("consumer", consumer, "topic", topic)
                    .description("records behind the end offsets of the partitions this node's consumer reads").register(meters);
            lagsByTopic.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(lag);
            return lag;
        });
    }

    /** Asks the brokers once (the timer's job; tests call it to not wait for the interval). At most ~20 s. */
    public void refresh() {
        Set<String> topics = Set.copyOf(underReplicated.keySet());
        if (topics.isEmpty()) {
            return;
        }
        Map<String, KafkaFuture<TopicDescription>> described = admin.describeTopics(topics).topicNameValues();
        Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
        boolean anyAnswer = false;
        for (String topic : topics) {
            TopicDescription description;
            try {
                description = described.get(topic).get(ASK_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | TimeoutException e) {
                underReplicated.get(topic).set(-1);
                LOG.debug("cannot describe Kafka topic {}: {}", topic, e.toString());
                continue;
            }
            anyAnswer = true;
            int count = 0;
            for (TopicPartitionInfo p : description.partitions()) {
                if (p.isr().size() < p.replicas().size()) {
                    count++;
                }
                if (lagsByTopic.containsKey(topic)) {
                    ends.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest());
                }
            }
            underReplicated.get(topic).set(count);
        }
        if (unreachable != !anyAnswer) {
            unreachable = !anyAnswer;
            if (unreachable) {
                LOG.warn("the Kafka cluster does not answer the health check (kuzet_kafka_under_replicated_partitions = -1)");
            } else {
                LOG.info("the Kafka cluster answers the health check again");
            }
        }
        if (!ends.isEmpty()) {
            askEndOffsets(ends);
        }
    }

    private void askEndOffsets(Map<TopicPartition, OffsetSpec> partitions) {
        ListOffsetsResult answer = admin.listOffsets(partitions);
        for (TopicPartition tp : partitions.keySet()) {
            long end;
            try {
                end = answer.partitionResult(tp).get(ASK_TIMEOUT_MS, TimeUnit.MILLISECONDS).offset();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | TimeoutException e) {
                continue;   // a partition without a leader now: its end stays as last seen
            }
            for (KafkaConsumerLag lag : lagsByTopic.getOrDefault(tp.topic(), List.of())) {
                lag.endOffset(tp.partition(), end);
            }
        }
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            LOG.warn("Kafka health check failed", e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        admin.close(Duration.ofSeconds(2));
    }
}
