package io.kuzet.server.journal.kafka;

import io.kuzet.protocol.DeviceMessage;
import io.kuzet.server.config.ServerConfig;
import io.kuzet.server.journal.Durability;
import io.kuzet.server.journal.IngestRecordCodec;
import io.kuzet.server.journal.Journal;
import io.netty.util.concurrent.FastThreadLocal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import net.openhft.chronicle.bytes.Bytes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest journal on a replicated Apache Kafka topic ({@code journal.kind=kafka}, docs/scale-out.md). Records have
 * the binary layout of {@link IngestRecordCodec} (little-endian), keyed by registry device id and sent to the device's
 * partition ({@link DevicePartitions}), so one device's records stay in order. Clock ticks go to every partition.
 *
 * <p>The producer is idempotent with {@code acks=all}: a device is acked ({@link KafkaAcks}) only once every in-sync
 * replica holds its record, and a retried send is never written twice. {@code linger.ms} is small because the device
 * waits for that ack. An append returns a ticket of this process (0, 1, 2, ...), which is what {@link #durability()}
 * understands; positions in the topic come with the records read back ({@link KafkaIndex}).
 *
 * <p>Thread-safe. An append allocates the record's bytes and the producer's own objects (unlike the Chronicle journal);
 * when the producer's buffer is full it blocks the appending thread, which pauses that thread's device reads.
 */
public final class KafkaJournal implements Journal {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaJournal.class);

    private final ServerConfig.Kafka settings;
    private final KafkaProducer<Long, byte[]> producer;
    private final KafkaAcks acks;
    private final int partitions;
    private final AtomicLong tickets = new AtomicLong();
    private final LongAdder appends = new LongAdder();
    private volatile KafkaHealth health;   // where the evaluation reader reports its lag; null = nowhere
    private final FastThreadLocal<ByteBuffer> scratch = new FastThreadLocal<>() {
        @Override
        protected ByteBuffer initialValue() {
            return ByteBuffer.allocate(IngestRecordCodec.MAX_DEVICE_MESSAGE_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        }
    };
    private final FastThreadLocal<Bytes<?>> smallScratch = new FastThreadLocal<>() {
        @Override
        protected Bytes<?> initialValue() {
            return Bytes.allocateElasticOnHeap(256);
        }
    };

    /**
     * Creates the topic if it does not exist (with the configured partitions, replication and min.insync.replicas) and
     * connects the producer.
     *
     * @param failureListener told once when an append is not acknowledged (the server then fail-stops)
     */
    public KafkaJournal(ServerConfig.Kafka settings, Consumer<Throwable> failureListener) {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new IllegalStateException("the Kafka journal's record layout is little-endian; this platform is not");
        }
        this.settings = settings;
        ensureTopic(settings, settings.topic, settings.partitions, Map.of());
        this.acks = new KafkaAcks(failureListener);
        this.producer = new KafkaProducer<>(producerConfig(settings), new LongSerializer(), new ByteArraySerializer());
        this.partitions = producer.partitionsFor(settings.topic).size();
        ensureSideTopics(settings, partitions);
        LOG.info("Kafka journal: topic {} with {} partitions at {}", settings.topic, partitions, settings.bootstrapServers);
    }

    static Map<String, Object> producerConfig(ServerConfig.Kafka settings) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "kuzet-ingest");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);   // the most idempotence keeps in order
        config.put(ProducerConfig.LINGER_MS_CONFIG, settings.lingerMs);
        int requestTimeoutMs = Math.min(30_000, Math.max(1_000, settings.deliveryTimeoutMs - settings.lingerMs - 1));
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, requestTimeoutMs);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Math.max(settings.deliveryTimeoutMs, requestTimeoutMs + settings.lingerMs));
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000);
        return config;
    }

    /**
     * The ingest topic, the alerts topic (same partitions: an alert goes to its device's partition) and the core
     * snapshots topic (compacted: only a partition's newest snapshot matters; one snapshot can be tens of MB).
     */
    static void ensureSideTopics(ServerConfig.Kafka settings, int partitions) {
        ensureTopic(settings, settings.alertsTopic, partitions, Map.of());
        ensureTopic(settings, settings.snapshotsTopic, partitions, Map.of("cleanup.policy", "compact",
                "max.message.bytes", String.valueOf(KafkaCoreSnapshots.MAX_BYTES)));
    }

    private static void ensureTopic(ServerConfig.Kafka settings, String name, int partitions, Map<String, String> extraConfigs) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers))) {
            if (admin.listTopics().names().get(60, TimeUnit.SECONDS).contains(name)) {
                return;
            }
            Map<String, String> configs = new HashMap<>(extraConfigs);
            configs.put("min.insync.replicas", String.valueOf(settings.minInsyncReplicas));
            NewTopic topic = new NewTopic(name, partitions, (short) settings.replicationFactor).configs(configs);
            try {
                admin.createTopics(List.of(topic)).all().get(60, TimeUnit.SECONDS);
                LOG.info("created Kafka topic {}: {} partitions, replication factor {}, {}", name,
                        partitions, settings.replicationFactor, configs);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking Kafka topic " + name, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot reach Kafka at " + settings.bootstrapServers + " to check topic "
                    + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public long appendDeviceMessage(long receivedMs, long receivedNanoTime, long deviceId, int protocol, DeviceMessage message) {
        ByteBuffer encoded = scratch.get();
        IngestRecordCodec.encodeDeviceMessage(encoded, receivedMs, receivedNanoTime, deviceId, protocol, message);
        return send(DevicePartitions.of(deviceId, partitions), deviceId, Arrays.copyOf(encoded.array(), encoded.position()));
    }

    @Override
    public long appendRefused(long receivedMs, long deviceId, long deviceNumber, int protocol, long sequence, int reason) {
        Bytes<?> out = smallScratch.get();
        out.clear();
        IngestRecordCodec.writeRefused(out, receivedMs, deviceId, deviceNumber, protocol, sequence, reason);
        return send(DevicePartitions.of(deviceId, partitions), deviceId, out.toByteArray());
    }

    @Override
    public long appendSessionConflict(long receivedMs, long deviceId, long deviceNumber, int protocol, int outcome, String detail) {
        Bytes<?> out = smallScratch.get();
        out.clear();
        IngestRecordCodec.writeSessionConflict(out, receivedMs, deviceId, deviceNumber, protocol, outcome, detail);
        return send(DevicePartitions.of(deviceId, partitions), deviceId, out.toByteArray());
    }

    /** One tick per partition: each partition's devices see time pass in their partition's order. */
    @Override
    public long appendTick(long timeMs) {
        Bytes<?> out = smallScratch.get();
        out.clear();
        IngestRecordCodec.writeTick(out, timeMs);
        byte[] tick = out.toByteArray();
        long last = -1;
        for (int p = 0; p < partitions; p++) {
            last = send(p, null, tick);
        }
        return last;
    }

    private long send(int partition, Long key, byte[] value) {
        long ticket = tickets.getAndIncrement();
        producer.send(new ProducerRecord<>(settings.topic, partition, key, value), (metadata, error) -> acks.completed(ticket, error));
        appends.increment();
        return ticket;
    }

    /**
     * Binds the producer's own metrics to {@code registry} ({@code kafka_producer_*}: request latency, time records
     * wait in the producer's buffer, requests in flight, batch sizes...: where an ack's time goes). Close the returned
     * binder with the server.
     */
    public AutoCloseable bindProducerMetrics(io.micrometer.core.instrument.MeterRegistry registry) {
        io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics metrics =
                new io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics(producer);
        metrics.bindTo(registry);
        return metrics;
    }

    /** Partitions of the ingest topic. */
    public int partitions() {
        return partitions;
    }

    public ServerConfig.Kafka settings() {
        return settings;
    }

    @Override
    public long appendsSinceOpen() {
        return appends.sum();
    }

    @Override
    public Durability durability() {
        return acks;
    }

    /** A reader of every partition from its start (one consumer owning all partitions: the single-node layout). */
    @Override
    public KafkaJournalReader createReader() {
        KafkaJournalReader reader = new KafkaJournalReader(settings, "kuzet-core");
        KafkaHealth h = health;
        return h == null ? reader : reader.reportingLagTo(h.consumerLag("evaluation", settings.topic));
    }

    /** Readers created from now on report their lag as {@code consumer="evaluation"} into {@code health}. */
    public KafkaJournal reportingLagTo(KafkaHealth health) {
        this.health = health;
        return this;
    }

    @Override
    public long lastIndex() {
        return -1;
    }

    @Override
    public long firstIndex() {
        return -1;
    }

    /**
     * Sends what is buffered and waits for it (at most 30 s), then closes the producer. Appends that fail now are not a
     * fail-stop: the server is already stopping, and their devices were never acked.
     */
    @Override
    public void close() {
        acks.closing();
        producer.close(java.time.Duration.ofMillis(Math.min(settings.deliveryTimeoutMs, 30_000)));
        acks.close();
    }
}
