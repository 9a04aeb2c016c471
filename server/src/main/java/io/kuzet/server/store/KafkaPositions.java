package io.kuzet.server.store;

import io.kuzet.server.config.ServerConfig;
import io.kuzet.server.journal.IngestRecord;
import io.kuzet.server.journal.IngestRecordCodec;
import io.kuzet.server.journal.JournalReader;
import io.kuzet.server.journal.kafka.KafkaIndex;
import java.sql.SQLException;
import javax.sql.DataSource;
import net.openhft.chronicle.bytes.Bytes;
import org.agrona.collections.Long2LongHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Storage's source on the Kafka journal: a member of the consumer group {@code kafka.storageGroup} on the ingest topic,
 * so several nodes split its partitions and take over a lost node's ({@link KafkaStorageConsumer}). Each partition is
 * positioned at the offset stored in {@code kafka_offsets} whenever it is assigned, and each batch moves those offsets
 * in the transaction that stores its rows ({@link KafkaOffsets}). Kafka's own committed offsets are never used: the
 * database alone says what is stored, so a restart, a crash between commit and anything else, or a handover to
 * another node resumes exactly after the last stored record. A batch refused by the offsets' compare-and-set is
 * counted ({@code kuzet_storage_batches_refused_total{journal="positions"}}).
 */
public final class KafkaPositions implements PositionsSource {
    private final ServerConfig.Kafka settings;
    private final DataSource dataSource;
    private final PositionWriter writer;
    private final StorageMetrics metrics;
    private volatile KafkaStorageConsumer consumer;
    private io.kuzet.server.journal.kafka.KafkaConsumerLag lagReport;   // kuzet_kafka_consumer_lag_records; null = none

    public KafkaPositions(ServerConfig.Kafka settings, DataSource dataSource, PositionWriter writer, StorageMetrics metrics) {
        this.settings = settings;
        this.dataSource = dataSource;
        this.writer = writer;
        this.metrics = metrics;
    }

    /** Consumers opened from now on report their positions into {@code lag} ({@code consumer="storage"}). */
    public KafkaPositions reportingLagTo(io.kuzet.server.journal.kafka.KafkaConsumerLag lag) {
        this.lagReport = lag;
        return this;
    }

    @Override
    public JournalReader openAfterStored() {
        KafkaStorageConsumer opened = new KafkaStorageConsumer(settings.bootstrapServers, settings.topic,
                settings.storageGroup, "kuzet-storage", java.time.Duration.ofMillis(20), dataSource);
        opened.reportingLagTo(lagReport);
        consumer = opened;
        return new Reader(opened);
    }

    @Override
    public void store(PositionBatch positions, DeviceEventBatch events, Long2LongHashMap sequences, long lastIndex)
            throws SQLException {
        KafkaStorageConsumer c = consumer;
        try {
            writer.write(positions, events, sequences, new PositionWriter.StoredPosition() {
                @Override
                public void checkAhead(java.sql.Connection connection) throws SQLException {
                    c.checkAhead(connection);
                }

                @Override
                public void advance(java.sql.Connection connection) throws SQLException {
                    c.advance(connection);
                }
            });
        } catch (JournalCheckpoints.StaleCheckpointException e) {
            metrics.positionsRefused.increment();
            throw e;
        }
        c.stored();
    }

    @Override
    public double lag(long lastStoredIndex) {
        KafkaStorageConsumer c = consumer;
        return c == null ? Double.NaN : c.lag();
    }

    /** Partitions of the ingest topic this node's writer owns now (0 before it joined the group). Any thread. */
    public int ownedPartitions() {
        KafkaStorageConsumer c = consumer;
        return c == null ? 0 : c.ownedPartitions();
    }

    /** The group consumer's records decoded as ingest records carrying their Kafka position ({@link KafkaIndex}). */
    private static final class Reader implements JournalReader {
        private final KafkaStorageConsumer consumer;
        private final Bytes<?> in = Bytes.allocateElasticOnHeap(1024);

        Reader(KafkaStorageConsumer consumer) {
            this.consumer = consumer;
        }

        @Override
        public boolean next(IngestRecord record) {
            ConsumerRecord<Long, byte[]> r = consumer.next();
            if (r == null) {
                return false;
            }
            in.clear();
            in.write(r.value());
            if (!IngestRecordCodec.read(in, record)) {
                // a record type from a newer writer: handed out as "unknown" so that its offset moves with the batch
                record.type = IngestRecord.TYPE_UNKNOWN;
            }
            record.index = KafkaIndex.of(r.partition(), r.offset());
            record.partition = r.partition();
            return true;
        }

        @Override
        public JournalReader startAfter(long index) {
            throw new UnsupportedOperationException("positioned by the consumer group and kafka_offsets");
        }

        @Override
        public boolean startAfterExactly(long index) {
            return false;
        }

        @Override
        public void markReplayEnd() {
        }

        @Override
        public boolean replayDone() {
            return true;
        }

        @Override
        public boolean lastReadIsLive() {
            return true;
        }

        @Override
        public void handOverToCurrentThread() {
            in.singleThreadedCheckReset();
        }

        @Override
        public void close() {
            consumer.close();
            in.releaseLast();
        }
    }
}
