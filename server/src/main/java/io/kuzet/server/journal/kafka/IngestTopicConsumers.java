package io.kuzet.server.journal.kafka;

import io.kuzet.server.config.ServerConfig;
import io.kuzet.server.journal.IngestRecord;
import io.kuzet.server.journal.IngestRecordCodec;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import net.openhft.chronicle.bytes.Bytes;

/**
 * What every consumer of the ingest topic shares: the client settings (positions always chosen by Kuzet, never Kafka's
 * committed offsets; large polls with a short fetch wait) and the topic's partitions, indexed by partition number.
 */
final class IngestTopicConsumers {
    private IngestTopicConsumers() {
    }

    /** The shared consumer settings; callers add their own (a group, timeouts) before creating the consumer. */
    static Map<String, Object> settings(ServerConfig.Kafka kafka, String clientId) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 4096);
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
        return config;
    }

    /** The topic's partitions by number; closes {@code consumer} and throws when the topic does not exist. */
    static TopicPartition[] partitions(Consumer<?, ?> consumer, String topic) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(60));
        if (infos == null || infos.isEmpty()) {
            consumer.close();
            throw new IllegalStateException("Kafka topic " + topic + " does not exist or has no partitions");
        }
        TopicPartition[] partitions = new TopicPartition[infos.size()];
        for (PartitionInfo info : infos) {
            partitions[info.partition()] = new TopicPartition(topic, info.partition());
        }
        return partitions;
    }

    /**
     * Decodes {@code r} into {@code record} through the reusable buffer {@code in}, with its Kafka position as the
     * record's index; false for a record type this code does not know (a newer writer's), which the caller skips.
     */
    static boolean decode(ConsumerRecord<Long, byte[]> r, Bytes<?> in, IngestRecord record, int partitionCount) {
        in.clear();
        in.write(r.value());
        if (!IngestRecordCodec.read(in, record)) {
            return false;
        }
        record.index = KafkaIndex.of(r.partition(), r.offset());
        record.partition = r.partition();
        record.partitions = partitionCount;
        return true;
    }
}
