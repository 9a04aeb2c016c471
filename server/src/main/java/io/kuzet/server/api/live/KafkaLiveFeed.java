package io.kuzet.server.api.live;

import io.kuzet.server.alert.Alert;
import io.kuzet.server.alert.AlertCodec;
import io.kuzet.server.config.ServerConfig;
import io.kuzet.server.journal.IngestRecord;
import io.kuzet.server.journal.IngestRecordCodec;
import io.kuzet.server.registry.RegistryHolder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.openhft.chronicle.bytes.Bytes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live hub's sources in Kafka mode. Alerts: every alert transition appended to the alerts topic
 * ({@code kafka.alertsTopic}), whichever node evaluated it, handed to this node's {@link AgencyLiveHub} for its own
 * WebSocket subscribers. Positions: while a subscriber of this node wants them, the ingest topic's fixes, coalesced
 * to the newest per subject per poll as on the embedded journal ({@link LatestPositions}). One plain consumer of every
 * partition of both topics (assigned, no group: every node must see everything), each starting at the end of its
 * topic (the alerts topic's as of this node's start, the ingest topic's as of the first positions subscriber): the
 * live stream shows what happens from now on; the console loads the queue and tracks from the database.
 *
 * <p>A transition appended twice (an evaluation failover) reaches the stream twice; the console keys alerts by id.
 * If the alerts topic does not exist yet, alerts start
 * with it (checked every second); positions do not wait for it. One thread, {@code kuzet-live-kafka}.
 */
public final class KafkaLiveFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaLiveFeed.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final KafkaConsumer<Long, byte[]> consumer;
    private final String topic;
    private final String ingestTopic;
    private final AgencyLiveHub hub;
    private final RegistryHolder registry;
    private final Thread thread;
    private final IngestRecord record = new IngestRecord();
    private final Bytes<?> in = Bytes.allocateElasticOnHeap(1024);
    private final LatestPositions latest = new LatestPositions();
    private List<TopicPartition> alertPartitions = List.of();
    private boolean followingPositions;
    private volatile boolean running = true;
    private boolean positioned;
    private long lastAttemptNs = System.nanoTime();

    /** Connects and, if the topic exists, fixes the start at its end now (alerts appended from here on are streamed). */
    public KafkaLiveFeed(ServerConfig.Kafka settings, AgencyLiveHub hub, RegistryHolder registry) {
        this.topic = settings.alertsTopic;
        this.ingestTopic = settings.topic;
        this.hub = hub;
        this.registry = registry;
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "kuzet-live");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);   // never with the broker's default partitions
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20);   // alerts are rare: a fetch should not sit on one
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        this.consumer = new KafkaConsumer<>(config, new LongDeserializer(), new ByteArrayDeserializer());
        try {
            positioned = positionAtEnd(Duration.ofSeconds(30));
        } catch (RuntimeException e) {
            consumer.close(Duration.ZERO);
            throw e;
        }
        if (!positioned) {
            LOG.warn("Kafka alerts topic {} does not exist yet; live alerts start with it", topic);
        }
        thread = new Thread(this::run, "kuzet-live-kafka");
        thread.setDaemon(true);
        thread.start();
    }

    /** Assigns every partition of the topic at its current end; false when the topic does not exist (yet). */
    private boolean positionAtEnd(Duration timeout) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
        if (infos == null || infos.isEmpty()) {
            return false;
        }
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo info : infos) {
            partitions.add(new TopicPartition(topic, info.partition()));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        for (TopicPartition tp : partitions) {
            consumer.position(tp, timeout);   // resolve the end now, not at the first poll
        }
        alertPartitions = partitions;
        LOG.info("live stream follows every partition ({}) of the alerts topic {}", partitions.size(), topic);
        return true;
    }

    /** Adds the ingest topic's partitions at their end (a positions subscriber arrived), or drops them (none left). */
    private void followPositions(boolean follow) {
        if (!follow) {
            consumer.assign(alertPartitions);
            followingPositions = false;
            return;
        }
        List<PartitionInfo> infos = consumer.partitionsFor(ingestTopic, Duration.ofSeconds(5));
        List<TopicPartition> ingest = new ArrayList<>();
        for (PartitionInfo info : infos == null ? List.<PartitionInfo>of() : infos) {
            ingest.add(new TopicPartition(ingestTopic, info.partition()));
        }
        List<TopicPartition> both = new ArrayList<>(alertPartitions);
        both.addAll(ingest);
        consumer.assign(both);   // the alerts partitions keep their positions
        consumer.seekToEnd(ingest);
        for (TopicPartition tp : ingest) {
            consumer.position(tp, Duration.ofSeconds(5));
        }
        followingPositions = true;
    }

    private void run() {
        in.singleThreadedCheckReset();   // allocated by the constructor's thread, used by this one only
        try {
            follow();
        } finally {
            consumer.close(Duration.ofSeconds(2));
            in.releaseLast();
        }
    }

    private void follow() {
        while (running) {
            try {
                if (!positioned && System.nanoTime() - lastAttemptNs > TimeUnit.SECONDS.toNanos(1)) {
                    lastAttemptNs = System.nanoTime();
                    positioned = positionAtEnd(Duration.ofSeconds(5));
                    if (positioned && followingPositions) {
                        followPositions(true);   // positionAtEnd replaced the assignment
                    }
                }
                boolean wanted = hub.wantsPositions();
                if (wanted != followingPositions) {
                    followPositions(wanted);
                }
                if (consumer.assignment().isEmpty()) {
                    Thread.sleep(POLL.toMillis());   // no alerts topic yet and nobody wants positions
                    continue;
                }
                for (ConsumerRecord<Long, byte[]> r : consumer.poll(POLL)) {
                    if (r.value() == null) {
                        continue;
                    }
                    if (topic.equals(r.topic())) {
                        Alert alert = AlertCodec.fromBytes(r.value());
                        if (alert != null) {
                            hub.deliver(alert);
                        }
                    } else if (followingPositions) {
                        in.clear();
                        in.write(r.value());
                        if (IngestRecordCodec.read(in, record)) {
                            latest.add(record, registry.snapshot());
                        }
                    }
                }
                latest.flush(registry.snapshot(), hub::deliverPosition);
            } catch (WakeupException e) {
                // closing
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("live stream could not read Kafka ({} / {}): {}", topic, ingestTopic, e.toString());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
