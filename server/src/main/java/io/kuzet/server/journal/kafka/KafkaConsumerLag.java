package io.kuzet.server.journal.kafka;

import java.util.Arrays;
import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * How far one of the node's Kafka consumers is behind the end of its topic, for
 * {@code kuzet_kafka_consumer_lag_records{consumer,topic}}: per partition the consumer owns, the offset of the next record
 * it has not processed (reported by the consumer) and the partition's end offset (the high watermark its fetches saw,
 * and every 15 s {@link KafkaHealth}'s answer from the brokers). The lag is the sum of {@code end - position} over the
 * owned partitions.
 *
 * <p>The end offsets do not depend on the consumer running: a consumer that stopped polling (held, or storage's reader
 * closed while the database is down) keeps its last positions while the ends move on, so the backlog shows. A consumer
 * that loses a partition (group rebalance) {@linkplain #release releases} it. Thread-safe; consumers report once per
 * poll, never per record.
 */
public final class KafkaConsumerLag {
    private final String consumer;
    private final String topic;
    private long[] positions = new long[0];   // -1: not owned
    private long[] ends = new long[0];        // -1: not known yet

    KafkaConsumerLag(String consumer, String topic) {
        this.consumer = consumer;
        this.topic = topic;
    }

    public String consumer() {
        return consumer;
    }

    public String topic() {
        return topic;
    }

    /** The consumer owns {@code partition} and will process {@code nextOffset} next. Consumer thread. */
    public synchronized void position(int partition, long nextOffset) {
        grow(partition);
        positions[partition] = nextOffset;
    }

    /** The consumer no longer reads {@code partition} (revoked, or the consumer closed). */
    public synchronized void release(int partition) {
        if (partition < positions.length) {
            positions[partition] = -1;
        }
    }

    /** Releases every partition (the consumer closed). */
    public synchronized void releaseAll() {
        Arrays.fill(positions, -1);
    }

    /** The end offset of {@code partition} as someone saw it; only ever raised (a topic's end never moves back). */
    public synchronized void endOffset(int partition, long endOffset) {
        grow(partition);
        if (endOffset > ends[partition]) {
            ends[partition] = endOffset;
        }
    }

    /**
     * Before a poll of {@code kafka}, once every record it returned so far has been processed: records the positions
     * {@code nextOffsets[p]} of the partitions in {@code owned} (indexed by partition number, null where not assigned to
     * {@code kafka}; partitions it lost are {@linkplain #release released} by the caller) and the
     * end offsets the consumer's last fetches saw ({@link Consumer#currentLag}, relative to its position, which is then
     * {@code nextOffsets[p]}). Consumer thread.
     */
    public synchronized void polled(Consumer<?, ?> kafka, TopicPartition[] owned, long[] nextOffsets) {
        for (int p = 0; p < owned.length; p++) {
            if (owned[p] == null || nextOffsets[p] < 0) {
                continue;
            }
            grow(p);
            positions[p] = nextOffsets[p];
            OptionalLong behind = kafka.currentLag(owned[p]);
            if (behind.isPresent() && nextOffsets[p] + behind.getAsLong() > ends[p]) {
                ends[p] = nextOffsets[p] + behind.getAsLong();
            }
        }
    }

    /** Records behind the end offsets, summed over the owned partitions whose end is known; 0 when none is owned. */
    public synchronized long records() {
        long total = 0;
        for (int p = 0; p < positions.length; p++) {
            if (positions[p] >= 0 && ends[p] > positions[p]) {
                total += ends[p] - positions[p];
            }
        }
        return total;
    }

    private void grow(int partition) {
        if (partition >= positions.length) {
            int from = positions.length;
            positions = Arrays.copyOf(positions, partition + 1);
            ends = Arrays.copyOf(ends, partition + 1);
            Arrays.fill(positions, from, positions.length, -1);
            Arrays.fill(ends, from, ends.length, -1);
        }
    }

    @Override
    public String toString() {
        return "lag of " + consumer + " on " + topic + ": " + records();
    }
}
