package io.kuzet.server.store;

import static io.kuzet.server.testing.Fixes.fixAt;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kuzet.protocol.DeviceMessage;
import io.kuzet.server.alert.Alert;
import io.kuzet.server.alert.AlertCodec;
import io.kuzet.server.alert.AlertType;
import io.kuzet.server.alert.Severity;
import io.kuzet.server.config.ServerConfig;
import io.kuzet.server.journal.IngestRecordCodec;
import io.kuzet.server.journal.Protocol;
import io.kuzet.server.registry.RegistryHolder;
import io.kuzet.server.testing.SharedKafka;
import io.kuzet.server.testing.TestFleet;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two nodes' storage writers on one Kafka cluster and one database (real in-process broker, embedded PostgreSQL): as a
 * consumer group they split the ingest topic's and the alerts topic's partitions, so every record is stored exactly
 * once, none of their batches is refused, and a node that stops mid-stream hands its partitions to the other, which
 * resumes at the offsets stored in {@code kafka_offsets}.
 */
class KafkaStorageGroupTest {
    private static final int PARTITIONS = 6;
    private static final long T0 = 1_780_000_000_000L;
    private static final long[] DEVICES = {TestFleet.KUZET_DEVICE, TestFleet.GT06_DEVICE, TestFleet.WATCH_DEVICE};

    private final Database db = SharedPostgres.database();
    private ServerConfig.Kafka settings;
    private KafkaProducer<Long, byte[]> producer;
    private Node nodeA;
    private Node nodeB;

    @BeforeEach
    void topics() {
        SharedPostgres.truncateAll(db);
        settings = new ServerConfig.Kafka();
        settings.bootstrapServers = SharedKafka.bootstrapServers();
        settings.topic = SharedKafka.uniqueTopic("kuzet-ingest");
        settings.alertsTopic = SharedKafka.uniqueTopic("kuzet-alerts");
        settings.storageGroup = SharedKafka.uniqueTopic("kuzet-storage");
        SharedKafka.createTopic(settings.topic, PARTITIONS);
        SharedKafka.createTopic(settings.alertsTopic, PARTITIONS);
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                new LongSerializer(), new ByteArraySerializer());
    }

    @AfterEach
    void stop() {
        if (nodeA != null) {
            nodeA.close();
        }
        if (nodeB != null) {
            nodeB.close();
        }
        producer.close();
    }

    @Test
    void twoNodesStoreEveryFixOfTheTopicOnceWithNoRefusedBatchEvenWhenOneStopsMidStream() throws Exception {
        nodeA = new Node();
        nodeB = new Node();
        await().atMost(Duration.ofSeconds(60)).until(() -> nodeA.positions.ownedPartitions() > 0
                && nodeB.positions.ownedPartitions() > 0
                && nodeA.positions.ownedPartitions() + nodeB.positions.ownedPartitions() == PARTITIONS);

        int sent = sendFixes(0, 600);
        await().atMost(Duration.ofSeconds(60)).until(() -> count("select count(*) from positions") == sent);
        assertTrue(nodeA.metrics.positionsWritten() > 0 && nodeB.metrics.positionsWritten() > 0,
                "both nodes stored part of the stream: A " + nodeA.metrics.positionsWritten() + ", B "
                        + nodeB.metrics.positionsWritten());

        // node A stops in the middle of the next stretch: B takes over its partitions at the stored offsets
        int more = sendFixes(600, 300);
        long stoppedNs = System.nanoTime();
        nodeA.close();
        nodeA = null;
        more += sendFixes(900, 300);
        int total = sent + more;
        await().atMost(Duration.ofSeconds(60)).until(() -> count("select count(*) from positions") == total);
        System.out.printf("storage handover: node A stopped, node B stored every remaining fix %d ms later%n",
                (System.nanoTime() - stoppedNs) / 1_000_000);
        assertEquals(PARTITIONS, nodeB.positions.ownedPartitions(), "B owns every partition once A is gone");
        assertEquals(total, count("select count(distinct journal_index) from positions"), "no record stored twice");
        assertEquals(total, count("select coalesce(sum(next_offset), 0) from kafka_offsets where topic = '" + settings.topic + "'"),
                "the stored offsets stand right after the last record of every partition");
        assertEquals(0, nodeB.metrics.refusedBatches(), "no batch of B was refused");
        assertEquals(0, nodeB.meters.get("kuzet_storage_batches_refused").tag("journal", "positions").counter().count());
    }

    @Test
    void aTransitionOnTheAlertsTopicTwiceIsStoredAsOneAlertWithOneClearOnTwoNodes() throws Exception {
        nodeA = new Node();
        nodeB = new Node();
        Alert raised = alert(Alert.Phase.RAISED, TestFleet.KUZET_DEVICE, T0, "Exclusion zone 'Victim home': 85 m inside");
        Alert cleared = alert(Alert.Phase.CLEARED, TestFleet.KUZET_DEVICE, T0, "left the exclusion zone");
        Alert other = alert(Alert.Phase.RAISED, TestFleet.GT06_DEVICE, T0 + 60_000, "Exclusion zone 'Victim home': 20 m inside");
        // the evaluation owner appends, fails over, and the new owner appends the same transitions again
        for (Alert a : new Alert[] {raised, cleared, raised, cleared, other}) {
            producer.send(new ProducerRecord<>(settings.alertsTopic, partitionOf(a.deviceId()), a.deviceId(),
                    AlertCodec.toBytes(a))).get();
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> count("select coalesce(sum(next_offset), 0) from kafka_offsets where topic = '"
                + settings.alertsTopic + "'") == 5);
        assertEquals(2, count("select count(*) from alerts"));
        assertEquals(1, count("select count(*) from alerts where id = " + raised.alertId() + " and state = 'CLEARED'"),
                "the alert read twice is one row, cleared once");
        assertEquals(1, count("select count(*) from alert_actions where alert_id = " + raised.alertId() + " and action = 'CLEARED'"));
        assertEquals(1, count("select count(*) from alerts where id = " + other.alertId() + " and state = 'OPEN'"));
        assertEquals(0, nodeA.metrics.refusedBatches() + nodeB.metrics.refusedBatches(), "no batch refused");
    }

    private Alert alert(Alert.Phase phase, long deviceId, long openedMs, String explanation) {
        long id = Alert.identity(deviceId, AlertType.EXCLUSION_VIOLATION, TestFleet.EXCLUSION_RULE, openedMs);
        long at = phase == Alert.Phase.RAISED ? openedMs : openedMs + 120_000;
        return new Alert(id, phase, AlertType.EXCLUSION_VIOLATION, Severity.HIGH, deviceId, deviceId, TestFleet.SUBJECT,
                TestFleet.ORDER, TestFleet.EXCLUSION_RULE, at, at + 500, false, explanation, Map.of());
    }

    private static int partitionOf(long deviceId) {
        return io.kuzet.server.journal.kafka.DevicePartitions.of(deviceId, PARTITIONS);
    }

    /** Appends {@code count} one-fix messages spread over every partition; returns {@code count}. */
    private int sendFixes(int first, int count) throws Exception {
        ByteBuffer scratch = ByteBuffer.allocate(IngestRecordCodec.MAX_DEVICE_MESSAGE_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = first; i < first + count; i++) {
            long device = DEVICES[i % DEVICES.length];
            long t = T0 + i * 1000L;
            DeviceMessage msg = fixAt(t, 43.25 + i * 1e-5, 76.94, 8);
            IngestRecordCodec.encodeDeviceMessage(scratch, t, 0, device, Protocol.GT06.code(), msg);
            producer.send(new ProducerRecord<>(settings.topic, i % PARTITIONS, device,
                    Arrays.copyOf(scratch.array(), scratch.position())));
        }
        producer.flush();
        return count;
    }

    private long count(String sql) throws Exception {
        try (Connection c = db.dataSource().getConnection(); PreparedStatement s = c.prepareStatement(sql);
             ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** One node's storage writer: positions and alerts, each a member of its storage consumer group. */
    private final class Node implements AutoCloseable {
        final SimpleMeterRegistry meters = new SimpleMeterRegistry();
        final StorageMetrics metrics = new StorageMetrics(meters);
        final KafkaPositions positions = new KafkaPositions(settings, db.dataSource(),
                new PositionWriter(db, "positions", metrics), metrics);
        final StorageAgent agent = new StorageAgent(positions,
                new KafkaAlerts(settings, db.dataSource(), new AlertWriter(db.dataSource(), "alerts", metrics), metrics),
                new RegistryHolder(TestFleet.registry(900)), 50_000, StorageAgent.DEFAULT_LINGER_MS, meters, System::currentTimeMillis).start();

        @Override
        public void close() {
            agent.close();
        }
    }
}
