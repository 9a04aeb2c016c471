package io.kuzet.server.journal.kafka;

import static io.kuzet.server.testing.Fixes.fixAt;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kuzet.server.KuzetServer;
import io.kuzet.server.KuzetServerMain;
import io.kuzet.server.alert.Alert;
import io.kuzet.server.alert.AlertCodec;
import io.kuzet.server.alert.AlertType;
import io.kuzet.server.alert.Severity;
import io.kuzet.server.config.ConfigLoader;
import io.kuzet.server.config.ServerConfig;
import io.kuzet.server.journal.Protocol;
import io.kuzet.server.store.Database;
import io.kuzet.server.store.SharedPostgres;
import io.kuzet.server.testing.KuzetTestClient;
import io.kuzet.server.testing.SharedKafka;
import io.kuzet.server.testing.TestClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two whole Kuzet nodes ({@link KuzetServerMain}: storage, operator API, housekeeping) on one Kafka cluster and one
 * PostgreSQL: a bracelet's fixes sent through either node are stored once, an alert transition on the alerts topic
 * twice is one alert, no storage batch is refused, exactly one node runs the cluster-wide jobs, and when that node
 * stops the other takes them over.
 */
class TwoKafkaNodesOnOneDatabaseTest {
    private static final byte[] KEY = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    private static final long KUZET_BRACELET = 100001;
    private static final long T0 = Instant.parse("2026-02-10T10:00:00Z").toEpochMilli();
    private static final int PARTITIONS = 3;

    @TempDir
    Path dirA;
    @TempDir
    Path dirB;

    @Test
    void twoNodesStoreEveryFixAndAlertOnceAndExactlyOneOfThemRunsTheClusterJobs() throws Exception {
        Database db = SharedPostgres.database();
        SharedPostgres.truncateAll(db);
        String ingest = SharedKafka.uniqueTopic("kuzet-ingest");
        String alerts = SharedKafka.uniqueTopic("kuzet-alerts");
        String group = SharedKafka.uniqueTopic("kuzet-storage");
        SharedKafka.createTopic(alerts, PARTITIONS);
        TestClock clock = new TestClock(T0);
        KuzetServerMain.Running nodeA = KuzetServerMain.start(config(dirA, db, ingest, alerts, group), new KuzetServer.Options(clock, false));
        KuzetServerMain.Running nodeB = KuzetServerMain.start(config(dirB, db, ingest, alerts, group), new KuzetServer.Options(clock, false));
        java.util.List<KuzetServerMain.Running> running = new java.util.ArrayList<>(java.util.List.of(nodeA, nodeB));
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> leader(nodeA) + leader(nodeB) == 1);

            int sent = 0;
            for (KuzetServerMain.Running node : new KuzetServerMain.Running[] {nodeA, nodeB, nodeA}) {
                int known = sent;
                // the node learns what the other appended from the topic: the login reports it
                await().atMost(Duration.ofSeconds(60)).until(() -> loginResult(node) == known);
                try (KuzetTestClient device = new KuzetTestClient(node.server().port(Protocol.KUZET))) {
                    assertEquals(sent, device.login(KUZET_BRACELET, KEY).value);
                    device.startSequenceAt(sent + 1);
                    for (int i = 0; i < 4; i++) {
                        long t = T0 + sent * 30_000L;
                        clock.set(t);
                        assertEquals(device.sendPositions(fixAt(t, 43.30, 76.90, 8)), device.readReply().value);
                        sent++;
                    }
                }
                int expected = sent;
                await().atMost(Duration.ofSeconds(60)).until(() -> count(db, "select count(*) from positions") == expected);
            }
            assertEquals(sent, count(db, "select count(distinct journal_index) from positions"), "each fix stored once");

            long deviceId = count(db, "select id from devices where device_number = " + KUZET_BRACELET);
            long subjectId = count(db, "select subject_id from device_assignments where device_id = " + deviceId);
            Alert raised = new Alert(Alert.identity(deviceId, AlertType.EXCLUSION_VIOLATION, 1, T0), Alert.Phase.RAISED,
                    AlertType.EXCLUSION_VIOLATION, Severity.HIGH, deviceId, KUZET_BRACELET, subjectId, 0, 1, T0, T0 + 900,
                    false, "Exclusion zone 'Victim workplace': 120 m inside (accuracy 8 m)", Map.of());
            try (KafkaProducer<Long, byte[]> owner = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    SharedKafka.bootstrapServers()), new LongSerializer(), new ByteArraySerializer())) {
                for (int copy = 0; copy < 2; copy++) {   // appended again by a new evaluation owner after a failover
                    owner.send(new ProducerRecord<>(alerts, DevicePartitions.of(deviceId, PARTITIONS), deviceId,
                            AlertCodec.toBytes(raised))).get();
                }
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> count(db, "select coalesce(sum(next_offset), 0) from kafka_offsets"
                    + " where topic = '" + alerts + "'") == 2);
            assertEquals(1, count(db, "select count(*) from alerts where id = " + raised.alertId() + " and state = 'OPEN'"));
            assertEquals(0.0, refused(nodeA) + refused(nodeB), "no storage batch refused on either node");

            KuzetServerMain.Running leader = leader(nodeA) == 1 ? nodeA : nodeB;
            KuzetServerMain.Running other = leader == nodeA ? nodeB : nodeA;
            running.remove(leader);
            leader.close();
            await().atMost(Duration.ofSeconds(30)).until(() -> leader(other) == 1);
        } finally {
            running.forEach(KuzetServerMain.Running::close);
        }
    }

    private static long loginResult(KuzetServerMain.Running node) throws Exception {
        try (KuzetTestClient device = new KuzetTestClient(node.server().port(Protocol.KUZET))) {
            return device.login(KUZET_BRACELET, KEY).value;
        }
    }

    private static double leader(KuzetServerMain.Running node) {
        return node.server().meters().get("kuzet_cluster_leader").gauge().value();
    }

    private static double refused(KuzetServerMain.Running node) {
        return node.server().meters().get("kuzet_storage_batches_refused").counters().stream()
                .mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
    }

    private static ServerConfig config(Path dataDir, Database db, String ingest, String alerts, String group) {
        ServerConfig config = ConfigLoader.load(null, Map.of());
        config.server.dataDir = dataDir.toString();
        config.server.bindAddress = "127.0.0.1";
        config.server.provisionFile = Path.of("src/test/resources/provisioning/kafka-fleet.yaml").toAbsolutePath().toString();
        config.database.url = "jdbc:postgresql://localhost:" + db.embeddedPort() + "/postgres";
        config.database.user = "postgres";
        config.ports.kuzet = 0;
        config.ports.kuzetTls = -1;
        config.ports.gt06 = -1;
        config.ports.watch = -1;
        config.ports.http = 0;
        config.journal.kind = ServerConfig.JournalKind.KAFKA;
        config.kafka.bootstrapServers = SharedKafka.bootstrapServers();
        config.kafka.topic = ingest;
        config.kafka.alertsTopic = alerts;
        config.kafka.storageGroup = group;
        config.kafka.partitions = PARTITIONS;
        config.kafka.replicationFactor = 1;
        config.kafka.minInsyncReplicas = 1;
        return config.validate();
    }

    private static long count(Database db, String sql) throws Exception {
        try (Connection c = db.dataSource().getConnection(); PreparedStatement s = c.prepareStatement(sql);
             ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
