package io.kuzet.server.store;

import io.kuzet.server.alert.Alert;
import io.kuzet.server.alert.AlertCodec;
import io.kuzet.server.config.ServerConfig;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Alert storage's source on the Kafka alerts topic ({@code kafka.alertsTopic}), whichever node evaluated the alert: a
 * member of the consumer group {@code <kafka.storageGroup>-alerts}, each partition positioned at its offset in
 * {@code kafka_offsets} when assigned, the offsets moved (compare-and-set) in the transaction that stores the rows
 * ({@link KafkaStorageConsumer}). A transition on the topic twice (an evaluation failover re-appends what the old owner
 * had appended) is stored once: the alert id is deterministic and {@link AlertWriter}'s upsert is idempotent.
 */
public final class KafkaAlerts implements AlertsSource {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaAlerts.class);

    private final ServerConfig.Kafka settings;
    private final DataSource dataSource;
    private final AlertWriter writer;
    private final StorageMetrics metrics;
    private volatile KafkaStorageConsumer consumer;
    private long retryOpenAtMs;
    private boolean missingLogged;

    public KafkaAlerts(ServerConfig.Kafka settings, DataSource dataSource, AlertWriter writer, StorageMetrics metrics) {
        this.settings = settings;
        this.dataSource = dataSource;
        this.writer = writer;
        this.metrics = metrics;
    }

    /** The consumer group of the alert writers: apart from the positions' so that neither rebalances the other. */
    public static String group(ServerConfig.Kafka settings) {
        return settings.storageGroup + "-alerts";
    }

    @Override
    public int storeNext(int max) throws SQLException {
        KafkaStorageConsumer c = consumer;
        if (c == null) {
            if (System.currentTimeMillis() < retryOpenAtMs) {
                return 0;
            }
            try {
                c = new KafkaStorageConsumer(settings.bootstrapServers, settings.alertsTopic, group(settings),
                        "kuzet-storage-alerts", java.time.Duration.ofMillis(5), dataSource);
            } catch (KafkaStorageConsumer.TopicMissingException e) {
                // positions storage goes on meanwhile: a missing alerts topic must not fail (and reset) the whole writer
                if (!missingLogged) {
                    LOG.warn("alerts topic {} does not exist yet; alert storage starts once it does", settings.alertsTopic);
                    missingLogged = true;
                }
                retryOpenAtMs = System.currentTimeMillis() + 5_000;
                return 0;
            }
            consumer = c;
        }
        List<Alert> batch = new ArrayList<>();
        int read = 0;
        ConsumerRecord<Long, byte[]> r;
        while (read < max && (r = c.next()) != null) {
            read++;
            Alert alert = r.value() == null ? null : AlertCodec.fromBytes(r.value());
            if (alert == null) {
                LOG.warn("alerts topic {} partition {} offset {}: a record this version cannot read; skipped", r.topic(),
                        r.partition(), r.offset());
                continue;
            }
            batch.add(alert);
        }
        if (read == 0) {
            return 0;
        }
        KafkaStorageConsumer owner = c;
        try {
            writer.upsert(batch, new PositionWriter.StoredPosition() {
                @Override
                public void checkAhead(Connection connection) throws SQLException {
                    owner.checkAhead(connection);
                }

                @Override
                public void advance(Connection connection) throws SQLException {
                    owner.advance(connection);
                }
            });
        } catch (JournalCheckpoints.StaleCheckpointException e) {
            metrics.alertsRefused.increment();
            throw e;
        }
        c.stored();
        return read;
    }

    @Override
    public void reset() {
        KafkaStorageConsumer c = consumer;
        consumer = null;
        if (c != null) {
            c.close();
        }
    }

    /** Storage needs nothing of this node's alerts journal: its retention goes by age alone. */
    @Override
    public long checkpoint() {
        return Long.MAX_VALUE;
    }

    @Override
    public double lag() {
        KafkaStorageConsumer c = consumer;
        return c == null ? Double.NaN : c.lag();
    }

    @Override
    public void close() {
        reset();
    }
}
