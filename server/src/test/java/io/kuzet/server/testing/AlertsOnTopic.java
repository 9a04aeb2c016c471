package io.kuzet.server.testing;

import io.kuzet.server.alert.Alert;
import io.kuzet.server.alert.AlertCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.LongDeserializer;

/** What a consumer of the alerts topic sees: every transition on it, read with a plain consumer from the start to the end. */
public final class AlertsOnTopic {
    private AlertsOnTopic() {
    }

    public static List<Alert> read(String alertsTopic) {
        return read(SharedKafka.bootstrapServers(), alertsTopic);
    }

    /** The same on the cluster at {@code bootstrapServers}. */
    public static List<Alert> read(String bootstrapServers, String alertsTopic) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<Alert> alerts = new ArrayList<>();
        try (KafkaConsumer<Long, byte[]> consumer = new KafkaConsumer<>(config, new LongDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(alertsTopic, Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(alertsTopic, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + alertsTopic + " to its end");
                }
                for (ConsumerRecord<Long, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    alerts.add(AlertCodec.fromBytes(r.value()));
                }
            }
        }
        return alerts;
    }

    /** The transitions on the topic as "alertId/PHASE" strings, in topic order (per partition). */
    public static List<String> transitions(List<Alert> alerts) {
        return alerts.stream().map(a -> a.alertId() + "/" + a.phase()).toList();
    }
}
