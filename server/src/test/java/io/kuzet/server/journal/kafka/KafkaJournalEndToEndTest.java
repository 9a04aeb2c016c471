package io.kuzet.server.journal.kafka;

import static io.kuzet.server.testing.Fixes.fixAt;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kuzet.protocol.DeviceMessage;
import io.kuzet.protocol.gt06.Gt06Encoder;
import io.kuzet.server.KuzetServer;
import io.kuzet.server.KuzetServerMain;
import io.kuzet.server.config.ConfigLoader;
import io.kuzet.server.config.ServerConfig;
import io.kuzet.server.journal.Protocol;
import io.kuzet.server.testing.Gt06Wire;
import io.kuzet.server.testing.KuzetTestClient;
import io.kuzet.server.testing.SharedKafka;
import io.kuzet.server.testing.TestClock;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.Socket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code journal.kind=kafka} against a real broker (in-process KRaft, {@link SharedKafka}): Kuzet and GT06 bracelets
 * over their sockets, acked after Kafka acknowledged the append, evaluated from the topic (an exclusion-zone violation)
 * and stored in PostgreSQL with the consumed offsets; then the server restarts on the same topic and database.
 */
class KafkaJournalEndToEndTest {
    private static final byte[] KEY = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    private static final long T0 = Instant.parse("2026-02-10T10:00:00Z").toEpochMilli();
    private static final long KUZET_BRACELET = 100001;
    private static final long GT06_BRACELET = 868120145233605L;
    private static final double WORKPLACE_LAT = 43.2567;
    private static final double WORKPLACE_LON = 76.9286;

    @TempDir
    Path dataDir;

    @Test
    void everyAckedFixOfKuzetAndGt06BraceletsIsStoredOnceAndTheExclusionAlertRaisedOnceThenClearedAcrossARestart() throws Exception {
        String topic = SharedKafka.uniqueTopic("kuzet-ingest");
        ServerConfig config = config(topic);
        TestClock clock = new TestClock(T0);
        int kuzetSent = 0;
        int gt06Sent = 0;
        try (KuzetServerMain.Running running = KuzetServerMain.start(config, new KuzetServer.Options(clock, false))) {
            try (KuzetTestClient device = new KuzetTestClient(running.server().port(Protocol.KUZET))) {
                assertEquals(0, device.login(KUZET_BRACELET, KEY).status);
                for (int i = 0; i < 12; i++) {
                    long t = T0 + i * 30_000L;
                    clock.set(t);
                    double lat = i < 4 ? WORKPLACE_LAT + 0.02 : WORKPLACE_LAT;   // then inside the 300 m circle
                    long sequence = device.sendPositions(fixAt(t, lat, WORKPLACE_LON, 6));
                    assertEquals(sequence, device.readReply().value, "acked once Kafka acknowledged the append");
                    kuzetSent++;
                }
                // the last frame again, as a device that missed its ack resends it: acked again, stored once
                device.sendRaw(device.lastSentFrame());
                assertEquals(12, device.readReply().value);
            }
            gt06Sent += sendGt06Locations(running.server().port(Protocol.GT06), T0, 5, 2);

            DataSource db = running.database().dataSource();
            int sent = kuzetSent + gt06Sent;
            await().atMost(Duration.ofSeconds(60)).until(() -> count(db, "select count(*) from positions") == sent);
            await().atMost(Duration.ofSeconds(60)).until(() -> count(db,
                    "select count(*) from alerts where type = 'EXCLUSION_VIOLATION'") == 1);
            assertEquals(kuzetSent, countFor(db, "KZ-2026-0001"));
            assertEquals(gt06Sent, countFor(db, "KZ-2026-0002"));
            assertEquals(count(db, "select count(*) from positions"), count(db, "select count(distinct journal_index) from positions"),
                    "every row comes from its own Kafka record");
            assertEquals(1, count(db, "select count(distinct topic) from kafka_offsets where topic = '" + topic + "'"),
                    "storage keeps its Kafka offsets in the database");
        }

        // restart on the same topic and database: nothing stored twice, no alert raised twice, the device's sequence known
        try (KuzetServerMain.Running running = KuzetServerMain.start(config, new KuzetServer.Options(clock, false))) {
            try (KuzetTestClient device = new KuzetTestClient(running.server().port(Protocol.KUZET))) {
                KuzetTestClient.Reply login = device.login(KUZET_BRACELET, KEY);
                assertEquals(12, login.value, "the last stored sequence, rebuilt from the topic");
                device.startSequenceAt(13);
                for (int i = 12; i < 18; i++) {   // the subject leaves the exclusion zone
                    long t = T0 + i * 30_000L;
                    clock.set(t);
                    long sequence = device.sendPositions(fixAt(t, WORKPLACE_LAT + 0.02, WORKPLACE_LON, 6));
                    assertEquals(sequence, device.readReply().value);
                    kuzetSent++;
                }
            }
            gt06Sent += sendGt06Locations(running.server().port(Protocol.GT06), T0 + 300_000L, 2, 10);
            DataSource db = running.database().dataSource();
            int expected = kuzetSent + gt06Sent;
            await().atMost(Duration.ofSeconds(60)).until(() -> count(db, "select count(*) from positions") == expected);
            assertEquals(kuzetSent, countFor(db, "KZ-2026-0001"));
            assertEquals(gt06Sent, countFor(db, "KZ-2026-0002"));
            assertEquals(count(db, "select count(*) from positions"), count(db, "select count(distinct journal_index) from positions"));
            assertEquals(1, count(db, "select count(*) from alerts where type = 'EXCLUSION_VIOLATION'"),
                    "the replayed violation is recognised, not raised again");
            // the core evaluates the new fixes with the state it rebuilt from the topic: the open violation clears
            await().atMost(Duration.ofSeconds(60)).until(() -> count(db,
                    "select count(*) from alerts where type = 'EXCLUSION_VIOLATION' and state = 'CLEARED'") == 1);
        }
    }

    private ServerConfig config(String topic) {
        ServerConfig config = ConfigLoader.load(null, Map.of());
        config.server.dataDir = dataDir.toString();
        config.server.bindAddress = "127.0.0.1";
        config.server.provisionFile = Path.of("src/test/resources/provisioning/kafka-fleet.yaml").toAbsolutePath().toString();
        config.ports.kuzet = 0;
        config.ports.kuzetTls = -1;
        config.ports.gt06 = 0;
        config.ports.watch = -1;
        config.ports.http = 0;
        config.journal.kind = ServerConfig.JournalKind.KAFKA;
        config.kafka.bootstrapServers = SharedKafka.bootstrapServers();
        io.kuzet.server.testing.KafkaTestTopics.use(config.kafka, topic);
        config.kafka.partitions = 3;
        config.kafka.replicationFactor = 1;
        config.kafka.minInsyncReplicas = 1;
        return config.validate();
    }

    /** Logs a GT06 bracelet in and sends {@code count} locations a minute apart, each answered; returns how many. */
    private static int sendGt06Locations(int port, long fromMs, int count, int firstSerial) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            ByteBuf login = Unpooled.buffer();
            Gt06Encoder.writeLogin(login, GT06_BRACELET, 1);
            socket.getOutputStream().write(Gt06Wire.bytes(login));
            assertEquals(0x01, Gt06Wire.readAnswer(socket.getInputStream())[3]);
            for (int i = 0; i < count; i++) {
                DeviceMessage msg = fixAt(fromMs + i * 60_000L, 43.30 + i * 0.001, 76.90, 10);
                ByteBuf location = Unpooled.buffer();
                Gt06Encoder.writeLocation0x12(location, msg.fix(0), firstSerial + i);
                socket.getOutputStream().write(Gt06Wire.bytes(location));
                assertEquals(0x12, Gt06Wire.readAnswer(socket.getInputStream())[3], "the reply comes after Kafka's ack");
            }
        }
        return count;
    }

    private static long countFor(DataSource db, String caseId) throws Exception {
        return count(db, "select count(*) from positions p join subjects s on s.id = p.subject_id where s.external_case_id = '"
                + caseId + "'");
    }

    private static long count(DataSource dataSource, String sql) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
