package io.kuzet.server.journal.kafka;

import io.kuzet.server.config.ServerConfig;
import io.kuzet.server.journal.IngestRecord;
import io.kuzet.server.journal.IngestRecordCodec;
import io.kuzet.server.journal.JournalReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import net.openhft.chronicle.bytes.Bytes;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.LongDeserializer;

/**
 * Reads the Kafka ingest topic for one consumer thread: the partitions are assigned explicitly (no group rebalancing;
 * the position is the reader's own or the database's, never Kafka's committed offsets), records are decoded with
 * {@link IngestRecordCodec} into the caller's holder and carry {@link KafkaIndex} positions and their partition.
 *
 * <p>It keeps, per partition, the offset of the next record it will return ({@link #nextOffsets()}): that is what
 * storage commits with its rows. Not thread-safe.
 */
public final class KafkaJournalReader implements JournalReader {
    private static final Duration POLL = Duration.ofMillis(20);

    private final KafkaConsumer<Long, byte[]> consumer;
    private final String topic;
    private final TopicPartition[] partitions;
    private final long[] nextOffsets;
    private final long[] replayEnd;
    private final Bytes<?> in = Bytes.allocateElasticOnHeap(1024);
    private Iterator<ConsumerRecord<Long, byte[]>> buffered = java.util.Collections.emptyIterator();
    private boolean replayMarked;
    private int lastPartition = -1;
    private long lastOffset = -1;
    private volatile long lag;
    private KafkaConsumerLag lagReport;   // kuzet_kafka_consumer_lag_records, when the node exports it

    public KafkaJournalReader(ServerConfig.Kafka settings, String clientId) {
        this.topic = settings.topic;
        Map<String, Object> config = IngestTopicConsumers.settings(settings, clientId);
        this.consumer = new KafkaConsumer<>(config, new LongDeserializer(), new ByteArrayDeserializer());
        this.partitions = IngestTopicConsumers.partitions(consumer, topic);
        this.nextOffsets = new long[partitions.length];
        this.replayEnd = new long[partitions.length];
        consumer.assign(Arrays.asList(partitions));
        startAfter(-1);
    }

    public String topic() {
        return topic;
    }

    public int partitionCount() {
        return partitions.length;
    }

    /**
     * Positions every partition at the offset of its next record to read: {@code offsets[p]}, or the partition's start
     * where {@code offsets[p] < 0}.
     */
    public KafkaJournalReader seek(long[] offsets) {
        buffered = java.util.Collections.emptyIterator();
        List<TopicPartition> fromStart = new ArrayList<>();
        for (int p = 0; p < partitions.length; p++) {
            long offset = p < offsets.length ? offsets[p] : -1;
            if (offset < 0) {
                fromStart.add(partitions[p]);
            } else {
                consumer.seek(partitions[p], offset);
            }
        }
        if (!fromStart.isEmpty()) {
            consumer.seekToBeginning(fromStart);
        }
        for (int p = 0; p < partitions.length; p++) {
            nextOffsets[p] = consumer.position(partitions[p], Duration.ofSeconds(60));
        }
        if (lagReport != null) {
            lagReport.polled(consumer, partitions, nextOffsets);
        }
        return this;
    }

    /**
     * Reports this reader's positions into {@code lag}: now, before every poll and at every seek. Closing the reader
     * leaves them there: storage closes its reader while the database is down and the backlog must keep showing.
     */
    public KafkaJournalReader reportingLagTo(KafkaConsumerLag lag) {
        this.lagReport = lag;
        lag.polled(consumer, partitions, nextOffsets);
        return this;
    }

    /** Only -1 (every partition from its start) is meaningful: a Kafka position is one offset per partition. */
    @Override
    public KafkaJournalReader startAfter(long index) {
        if (index >= 0) {
            throw new UnsupportedOperationException("the Kafka journal is positioned by partition offsets (seek), not one index");
        }
        long[] none = new long[partitions.length];
        Arrays.fill(none, -1);
        return seek(none);
    }

    @Override
    public boolean startAfterExactly(long index) {
        return false;   // no single-index snapshots on the Kafka journal
    }

    @Override
    public boolean next(IngestRecord record) {
        while (true) {
            if (!buffered.hasNext()) {
                if (lagReport != null) {
                    lagReport.polled(consumer, partitions, nextOffsets);   // every record returned so far is processed
                }
                var records = consumer.poll(POLL);
                updateLag();
                if (records.isEmpty()) {
                    return false;
                }
                buffered = records.iterator();
            }
            ConsumerRecord<Long, byte[]> r = buffered.next();
            int p = r.partition();
            nextOffsets[p] = r.offset() + 1;
            lastPartition = p;
            lastOffset = r.offset();
            if (IngestTopicConsumers.decode(r, in, record, partitions.length)) {
                return true;
            }
            // an unknown record type from a newer writer: skip it rather than stall the consumer
        }
    }

    private void updateLag() {
        long total = 0;
        for (TopicPartition tp : partitions) {
            OptionalLong l = consumer.currentLag(tp);
            if (l.isPresent()) {
                total += l.getAsLong();
            }
        }
        lag = total;
    }

    /** Records in the topic after this reader's position, as of its last poll (any thread may read it). */
    public long lag() {
        return lag;
    }

    /** Per partition, the offset of the next record this reader returns (a live array: copy it to keep it). */
    public long[] nextOffsets() {
        return nextOffsets;
    }

    @Override
    public void markReplayEnd() {
        Map<TopicPartition, Long> ends = consumer.endOffsets(Arrays.asList(partitions), Duration.ofSeconds(60));
        for (int p = 0; p < partitions.length; p++) {
            replayEnd[p] = ends.getOrDefault(partitions[p], 0L);
        }
        replayMarked = true;
    }

    @Override
    public boolean replayDone() {
        for (int p = 0; p < partitions.length; p++) {
            if (nextOffsets[p] < replayEnd[p]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean lastReadIsLive() {
        return !replayMarked || lastPartition < 0 || lastOffset >= replayEnd[lastPartition];
    }

    @Override
    public void handOverToCurrentThread() {
        // a KafkaConsumer only refuses concurrent use; Chronicle's bytes check for one thread
        in.singleThreadedCheckReset();
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }

    /** Builds a map partition → offset of the entries of {@code offsets} that are not negative. */
    public static Map<Integer, Long> asMap(long[] offsets) {
        Map<Integer, Long> map = new HashMap<>();
        for (int p = 0; p < offsets.length; p++) {
            if (offsets[p] >= 0) {
                map.put(p, offsets[p]);
            }
        }
        return map;
    }
}
