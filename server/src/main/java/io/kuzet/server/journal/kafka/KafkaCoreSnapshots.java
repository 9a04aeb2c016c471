package io.kuzet.server.journal.kafka;

import io.kuzet.server.config.ServerConfig;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.IntegerDeserializer;
import org.apache.kafka.common.serialization.IntegerSerializer;

/**
 * Per-partition snapshots of the evaluation core on a compacted Kafka topic ({@code kafka.snapshotsTopic}): the snapshot
 * of ingest partition p is a record keyed p in partition p of that topic, so a partition's newest snapshot is simply the
 * last record of its partition (one fetch, whatever compaction has or has not removed yet). Every node reaches it with
 * the same replication guarantees as the records it summarises, and no database is needed for evaluation.
 *
 * <pre>value: i32 version=1 | u16-length UTF-8 ingest topic | i64 ingest offset (next record the snapshot does not cover)
 *       | i64 alerts-topic offset (where the partition's transitions after the snapshot start, at the latest)
 *       | core state bytes</pre>
 *
 * A snapshot of another ingest topic (a snapshots topic shared by mistake) is ignored, never restored.
 *
 * Thread-safe for writes; {@link #latest} is for the evaluation thread.
 */
public final class KafkaCoreSnapshots implements AutoCloseable {
    /** Largest snapshot record (the topic's max.message.bytes and the producer's request size); lz4-compressed. */
    public static final int MAX_BYTES = 64 * 1024 * 1024;
    private static final int VERSION = 1;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(KafkaCoreSnapshots.class);

    /** One partition's snapshot. */
    public record Snapshot(int partition, long ingestOffset, long alertsOffset, byte[] state) {
    }

    private final ServerConfig.Kafka settings;
    private final String topic;
    private final KafkaProducer<Integer, byte[]> producer;
    private KafkaConsumer<Integer, byte[]> reader;

    public KafkaCoreSnapshots(ServerConfig.Kafka settings) {
        this.settings = settings;
        this.topic = settings.snapshotsTopic;
        Map<String, Object> config = KafkaJournal.producerConfig(settings);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "kuzet-core-snapshots");
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_BYTES);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        this.producer = new KafkaProducer<>(config, new IntegerSerializer(), new ByteArraySerializer());
    }

    /** Writes partition {@code p}'s snapshot and waits until the brokers hold it (acks=all). */
    public void write(int p, long ingestOffset, long alertsOffset, byte[] state) {
        byte[] ingestTopic = settings.topic.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ByteBuffer value = ByteBuffer.allocate(22 + ingestTopic.length + state.length);
        value.putInt(VERSION).putShort((short) ingestTopic.length).put(ingestTopic).putLong(ingestOffset).putLong(alertsOffset)
                .put(state);
        try {
            producer.send(new ProducerRecord<>(topic, p, p, value.array())).get(Math.min(settings.deliveryTimeoutMs, 60_000),
                    TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing the core snapshot of partition " + p, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not write the core snapshot of partition " + p + " to " + topic + ": " + e, e);
        }
    }

    /** The newest snapshot of partition {@code p}, or null when there is none (or it is of an unknown version). */
    public Snapshot latest(int p) {
        if (reader == null) {
            Map<String, Object> config = new HashMap<>();
            config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers);
            config.put(ConsumerConfig.CLIENT_ID_CONFIG, "kuzet-core-snapshots");
            config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, MAX_BYTES);
            config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, MAX_BYTES);
            config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
            reader = new KafkaConsumer<>(config, new IntegerDeserializer(), new ByteArrayDeserializer());
        }
        TopicPartition tp = new TopicPartition(topic, p);
        reader.assign(List.of(tp));
        long end = reader.endOffsets(List.of(tp), Duration.ofSeconds(30)).getOrDefault(tp, 0L);
        if (end == 0) {
            return null;
        }
        reader.seek(tp, end - 1);   // the last record: never compacted away (the active segment is not cleaned)
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        ConsumerRecord<Integer, byte[]> last = null;
        while (reader.position(tp, Duration.ofSeconds(30)) < end) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read the core snapshot of partition " + p + " within 60 s");
            }
            for (ConsumerRecord<Integer, byte[]> r : reader.poll(Duration.ofMillis(100))) {
                last = r;
            }
        }
        if (last == null || last.value() == null) {
            return null;
        }
        ByteBuffer value = ByteBuffer.wrap(last.value());
        if (value.getInt() != VERSION) {
            return null;
        }
        byte[] ingestTopic = new byte[Short.toUnsignedInt(value.getShort())];
        value.get(ingestTopic);
        String of = new String(ingestTopic, java.nio.charset.StandardCharsets.UTF_8);
        if (!of.equals(settings.topic)) {
            LOG.warn("the newest snapshot in {} partition {} is of ingest topic {}, not {}: ignored", topic, p, of, settings.topic);
            return null;
        }
        long ingestOffset = value.getLong();
        long alertsOffset = value.getLong();
        byte[] state = new byte[value.remaining()];
        value.get(state);
        return new Snapshot(p, ingestOffset, alertsOffset, state);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
        if (reader != null) {
            reader.close(Duration.ofSeconds(5));
        }
    }
}
