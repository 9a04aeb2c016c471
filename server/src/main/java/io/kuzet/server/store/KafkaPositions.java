package io.kuzet.server.store;

import io.kuzet.server.config.ServerConfig;
import io.kuzet.server.journal.JournalReader;
import io.kuzet.server.journal.kafka.KafkaConsumerLag;
import io.kuzet.server.journal.kafka.KafkaJournalReader;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.agrona.collections.Long2LongHashMap;

/**
 * Storage's source on the Kafka journal: a consumer of every partition of the ingest topic, positioned at the offsets
 * stored in {@code kafka_offsets}, which each batch moves in the transaction that stores its rows ({@link KafkaOffsets}).
 * Kafka's own committed offsets are never used: the database alone says what is stored, so a restart, a crash between
 * commit and anything else, or a second node resumes exactly after the last stored record.
 */
public final class KafkaPositions implements PositionsSource {
    private final ServerConfig.Kafka settings;
    private final DataSource dataSource;
    private final PositionWriter writer;
    private KafkaJournalReader reader;
    private KafkaConsumerLag lagReport;   // kuzet_kafka_consumer_lag_records{consumer="storage"}; null = not exported
    private long[] stored;   // what the database held when the reader opened, then after each batch
    private long[] from;     // the reader's position per partition at open / after the last batch

    public KafkaPositions(ServerConfig.Kafka settings, DataSource dataSource, PositionWriter writer) {
        this.settings = settings;
        this.dataSource = dataSource;
        this.writer = writer;
    }

    /** Readers opened from now on report their positions into {@code lag}. */
    public KafkaPositions reportingLagTo(KafkaConsumerLag lag) {
        this.lagReport = lag;
        return this;
    }

    @Override
    public JournalReader openAfterStored() throws SQLException {
        KafkaJournalReader opened = new KafkaJournalReader(settings, "kuzet-storage");
        try {
            stored = KafkaOffsets.read(dataSource, settings.topic, opened.partitionCount());
            opened.seek(stored);
            if (lagReport != null) {
                opened.reportingLagTo(lagReport);   // from the stored offsets on
            }
        } catch (SQLException | RuntimeException e) {
            opened.close();
            throw e;
        }
        from = opened.nextOffsets().clone();
        reader = opened;
        return opened;
    }

    @Override
    public void store(PositionBatch positions, DeviceEventBatch events, Long2LongHashMap sequences, long lastIndex)
            throws SQLException {
        long[] next = reader.nextOffsets().clone();
        long[] expected = stored;
        long[] start = from;
        writer.write(positions, events, sequences, new PositionWriter.StoredPosition() {
            @Override
            public void checkAhead(java.sql.Connection c) throws SQLException {
                KafkaOffsets.checkAhead(c, settings.topic, expected, start, next);
            }

            @Override
            public void advance(java.sql.Connection c) throws SQLException {
                KafkaOffsets.advance(c, settings.topic, start, next);
            }
        });
        long[] nowStored = stored.clone();
        for (int p = 0; p < next.length; p++) {
            if (next[p] > start[p]) {
                nowStored[p] = next[p];
            }
        }
        stored = nowStored;
        from = next;
    }

    @Override
    public double lag(long lastStoredIndex) {
        KafkaJournalReader r = reader;
        return r == null ? Double.NaN : r.lag();
    }
}
