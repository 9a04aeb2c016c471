package io.kuzet.server.ingest;

import static io.kuzet.server.testing.Fixes.fixAt;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kuzet.protocol.DeviceEventType;
import io.kuzet.protocol.kuzet.KuzetCommands;
import io.kuzet.protocol.kuzet.KuzetMessageType;
import io.kuzet.server.KuzetServer;
import io.kuzet.server.KuzetServerMain;
import io.kuzet.server.config.ConfigLoader;
import io.kuzet.server.config.ServerConfig;
import io.kuzet.server.journal.IngestReader;
import io.kuzet.server.journal.IngestRecord;
import io.kuzet.server.journal.Protocol;
import io.kuzet.server.store.Database;
import io.kuzet.server.store.SharedPostgres;
import io.kuzet.server.testing.KuzetTestClient;
import io.kuzet.server.testing.TestClock;
import io.micrometer.core.instrument.Counter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A COMMAND_RESULT is a sequenced data message (docs/protocol.md §5): journaled, acked with its sequence once durable,
 * stored once as a device event, seen by the evaluation core without an alert, and never the cause of a gap.
 */
class KuzetCommandResultTest {
    private static final byte[] KEY = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    private static final long T0 = Instant.parse("2026-02-10T10:00:00Z").toEpochMilli();
    private static final long COMMAND_ID = 7001;            // the command-result vector of docs/protocol.md §7

    @TempDir
    Path dataDir;

    @Test
    void commandResultIsAckedInSequenceStoredOnceAsEvidenceAndTheNextMessageIsNotAGap() throws Exception {
        Database backing = SharedPostgres.database();
        SharedPostgres.truncateAll(backing);
        ServerConfig config = ConfigLoader.load(null, Map.of());
        config.server.dataDir = dataDir.toString();
        config.server.bindAddress = "127.0.0.1";
        config.server.provisionFile = Path.of("src/test/resources/provisioning/example.yaml").toAbsolutePath().toString();
        config.database.url = "jdbc:postgresql://127.0.0.1:" + backing.embeddedPort() + "/postgres";
        config.database.user = "postgres";
        config.database.password = "postgres";
        config.ports.kuzet = 0;
        config.ports.kuzetTls = -1;
        config.ports.gt06 = -1;
        config.ports.watch = -1;
        config.ports.http = -1;
        config.journal.durability = ServerConfig.Durability.FSYNC;   // acks wait for the durable watermark
        config.validate();
        TestClock clock = new TestClock(T0);
        try (KuzetServerMain.Running running = KuzetServerMain.start(config, new KuzetServer.Options(clock, false))) {
            KuzetServer server = running.server();
            DataSource db = running.database().dataSource();
            long resultSeq;
            try (KuzetTestClient device = new KuzetTestClient(server.port(Protocol.KUZET))) {
                KuzetTestClient.Reply login = device.login(100001, KEY);
                assertEquals(0, login.status);
                device.startSequenceAt(login.value + 1);
                for (int i = 0; i < 2; i++) {
                    assertAcked(device, device.sendPositions(fixAt(T0 + i * 10_000L, 43.30, 76.90, 6)));
                }
                clock.set(T0 + 25_000);
                resultSeq = device.sendCommandResult(COMMAND_ID, KuzetCommands.RESULT_DONE);
                assertAcked(device, resultSeq);
                device.startSequenceAt(resultSeq);             // the ack was lost: the device sends the result again
                assertEquals(resultSeq, device.sendCommandResult(COMMAND_ID, KuzetCommands.RESULT_DONE));
                assertAcked(device, resultSeq);
                for (int i = 3; i < 5; i++) {
                    assertAcked(device, device.sendPositions(fixAt(T0 + i * 10_000L, 43.30, 76.90, 6)));
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> server.core().lagEntries() == 0);
                assertEquals(0.0, alertsRaised(server), "positions inside the order's area and a command result raise no alert");
            }
            assertEquals(List.of("seq " + resultSeq + " " + DeviceEventType.COMMAND_DONE + " " + COMMAND_ID),
                    journaledCommandResults(server), "journaled once, with the command id and status");
            await().atMost(Duration.ofSeconds(30)).until(() -> positionCount(db) == 4);
            assertEquals(List.of(DeviceEventType.COMMAND_DONE.code() + " " + COMMAND_ID + " " + Instant.ofEpochMilli(T0 + 25_000)),
                    storedEvents(db), "stored once in device_events, at the time it was received");
        }
    }

    private static void assertAcked(KuzetTestClient device, long sequence) throws Exception {
        KuzetTestClient.Reply reply = device.read();
        assertEquals(KuzetMessageType.ACK, reply.type, "reply to sequence " + sequence + ": " + reply);
        assertEquals(sequence, reply.value);
    }

    private static double alertsRaised(KuzetServer server) {
        return server.meters().find("kuzet_alerts_raised").counters().stream().mapToDouble(Counter::count).sum();
    }

    private static List<String> journaledCommandResults(KuzetServer server) {
        List<String> out = new ArrayList<>();
        IngestRecord r = new IngestRecord();
        try (IngestReader reader = server.journal().createReader().startAfter(-1)) {
            while (reader.next(r)) {
                if (r.type == IngestRecord.TYPE_DEVICE_MESSAGE && r.message.eventCount() > 0) {
                    out.add("seq " + r.message.sequence + " " + r.message.eventType(0) + " " + r.message.eventValue(0));
                }
            }
        }
        return out;
    }

    private static int positionCount(DataSource db) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("select count(*) from positions");
             ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            return -1;
        }
    }

    private static List<String> storedEvents(DataSource db) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.getConnection();
             PreparedStatement s = c.prepareStatement("select event_type, value, event_time from device_events order by event_time");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getInt(1) + " " + rs.getInt(2) + " " + rs.getTimestamp(3).toInstant());
            }
        }
        return out;
    }
}
