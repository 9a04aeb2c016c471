package io.kuzet.server.journal.kafka;

import io.kuzet.server.alert.Alert;
import io.kuzet.server.alert.AlertCodec;
import io.kuzet.server.config.ServerConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The evaluation owner's side of the alerts topic ({@code kafka.alertsTopic}, contract in docs/scale-out.md): every
 * alert transition is appended, keyed by device id, to the device's partition (the partition number of its ingest
 * records), with the idempotent producer and {@code acks=all}. It also reads a partition's transitions back, so a node
 * taking a partition over recognises what the previous owner already emitted.
 *
 * <p>An append Kafka does not acknowledge is a fail-stop, as for the ingest journal: the owner's snapshot would
 * otherwise cover an alert no one ever received. Sending is thread-safe; {@link #read} is for the evaluation thread.
 */
public final class KafkaAlertsTopic implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaAlertsTopic.class);

    private final ServerConfig.Kafka settings;
    private final String topic;
    private final int partitions;
    private final KafkaProducer<Long, byte[]> producer;
    private final AtomicLongArray ackedEnd;
    private final Consumer<Throwable> failureListener;
    private KafkaConsumer<Long, byte[]> reader;
    private java.util.function.IntPredicate owned = p -> true;
    private volatile Throwable failure;
    private volatile boolean closing;

    /** @param failureListener told once when an alert append fails (the server then fail-stops) */
    public KafkaAlertsTopic(ServerConfig.Kafka settings, int partitions, Consumer<Throwable> failureListener) {
        this.settings = settings;
        this.topic = settings.alertsTopic;
        this.partitions = partitions;
        this.failureListener = failureListener;
        Map<String, Object> config = KafkaJournal.producerConfig(settings);
        config.put(org.apache.kafka.clients.producer.ProducerConfig.CLIENT_ID_CONFIG, "kuzet-alerts");
        this.producer = new KafkaProducer<>(config, new LongSerializer(), new ByteArraySerializer());
        this.ackedEnd = new AtomicLongArray(partitions);
    }

    /**
     * Appends only transitions of the partitions {@code owned} accepts (the evaluation reader's: a partition lost or
     * handed over gets nothing more from this node). Call before the core starts; {@link #send} calls it on its thread.
     */
    public void emitOnlyFor(java.util.function.IntPredicate owned) {
        this.owned = owned;
    }

    /** Appends one transition to its device's partition, unless this node no longer evaluates that partition. */
    public void send(Alert alert) {
        int p = DevicePartitions.of(alert.deviceId(), partitions);
        if (!owned.test(p)) {
            LOG.warn("alert {} {} not appended: partition {} is no longer evaluated by this node (its new owner re-derives it)",
                    alert.alertId(), alert.phase(), p);
            return;
        }
        producer.send(new ProducerRecord<>(topic, p, alert.deviceId(), AlertCodec.toBytes(alert)), (metadata, error) -> {
            if (error == null) {
                ackedEnd.accumulateAndGet(p, metadata.offset() + 1, Math::max);
            } else {
                failed(alert, error);
            }
        });
    }

    private void failed(Alert alert, Exception error) {
        if (closing) {
            LOG.warn("alert {} {} not appended to {} while closing: the next owner of its partition re-derives it",
                    alert.alertId(), alert.phase(), topic);
            failure = error;
            return;
        }
        LOG.error("Kafka did not acknowledge alert {} {} on {} ({}); stopping", alert.alertId(), alert.phase(), topic, error.toString());
        failStop(error);
    }

    /**
     * This node can no longer evaluate safely (an alert not appended, or a partition taken over whose emitted alerts
     * cannot be read): the failure listener stops the node once, and the group hands its partitions to the others.
     */
    public synchronized void failStop(Throwable error) {
        if (failure != null) {
            return;
        }
        failure = error;
        failureListener.accept(error);
    }

    /** Blocks until every transition sent so far is on the brokers; throws if one could not be appended. */
    public void flush() {
        producer.flush();
        if (failure != null) {
            throw new IllegalStateException("an alert could not be appended to " + topic, failure);
        }
    }

    /**
     * An offset of partition {@code p} at or below every transition sent from now on: where a snapshot taken now tells
     * the next owner to start reading the partition's alerts.
     */
    public long floor(int p) {
        return ackedEnd.get(p);
    }

    /**
     * Reads partition {@code p} from {@code fromOffset} (its start when below the oldest retained) to its current end,
     * giving each transition to {@code each}; returns the end offset. Evaluation thread.
     */
    public long read(int p, long fromOffset, Consumer<Alert> each) {
        if (reader == null) {
            Map<String, Object> config = new HashMap<>();
            config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers);
            config.put(ConsumerConfig.CLIENT_ID_CONFIG, "kuzet-alerts-handover");
            config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
            reader = new KafkaConsumer<>(config, new LongDeserializer(), new ByteArrayDeserializer());
        }
        TopicPartition tp = new TopicPartition(topic, p);
        reader.assign(List.of(tp));
        long end = reader.endOffsets(List.of(tp), Duration.ofSeconds(30)).getOrDefault(tp, 0L);
        if (fromOffset < 0) {
            reader.seekToBeginning(List.of(tp));
        } else {
            reader.seek(tp, fromOffset);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (reader.position(tp, Duration.ofSeconds(30)) < end) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read " + tp + " up to offset " + end + " within 60 s");
            }
            for (ConsumerRecord<Long, byte[]> r : reader.poll(Duration.ofMillis(100))) {
                if (r.offset() < end) {
                    Alert alert = AlertCodec.fromBytes(r.value());
                    if (alert != null) {
                        each.accept(alert);
                    }
                }
            }
        }
        ackedEnd.accumulateAndGet(p, end, Math::max);
        return end;
    }

    @Override
    public void close() {
        closing = true;
        producer.close(Duration.ofMillis(Math.min(settings.deliveryTimeoutMs, 30_000)));
        if (reader != null) {
            reader.close(Duration.ofSeconds(5));
        }
    }
}
