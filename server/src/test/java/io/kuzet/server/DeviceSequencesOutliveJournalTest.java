package io.kuzet.server;

import static io.kuzet.server.testing.Fixes.fixAt;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kuzet.protocol.kuzet.KuzetMessageType;
import io.kuzet.server.config.ConfigLoader;
import io.kuzet.server.config.ServerConfig;
import io.kuzet.server.journal.Protocol;
import io.kuzet.server.testing.KuzetTestClient;
import io.kuzet.server.testing.TestClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Kuzet device's stored sequence outlives the journal: after the journal files are gone (retention, loss, a restore
 * that did not include them) and the server restarts, the device is told what is stored, its next messages are acked
 * and stored, and a retransmission is still recognised, so nothing is stored twice.
 */
class DeviceSequencesOutliveJournalTest {
    private static final byte[] KEY = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    private static final long DEVICE = 100001;
    private static final long T0 = Instant.parse("2026-02-10T10:00:00Z").toEpochMilli();

    @TempDir
    Path dataDir;

    @Test
    void kuzetDeviceKeepsStoringAfterTheJournalIsGoneAndTheServerRestarts() throws Exception {
        TestClock clock = new TestClock(T0);
        try (KuzetServerMain.Running running = KuzetServerMain.start(config(), new KuzetServer.Options(clock, false));
             KuzetTestClient device = new KuzetTestClient(running.server().port(Protocol.KUZET))) {
            assertEquals(0, device.login(DEVICE, KEY).status);
            for (int i = 0; i < 3; i++) {
                device.sendPositions(fixAt(T0 + i * 30_000L, 43.30, 76.90, 8));
                assertEquals(i + 1, device.read().value);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> positions(running.database().dataSource()) == 3);
        }
        deleteRecursively(dataDir.resolve("journal"));

        try (KuzetServerMain.Running running = KuzetServerMain.start(config(), new KuzetServer.Options(clock, false))) {
            try (KuzetTestClient device = new KuzetTestClient(running.server().port(Protocol.KUZET))) {
                KuzetTestClient.Reply login = device.login(DEVICE, KEY);
                assertEquals(0, login.status);
                assertEquals(3, login.value, "lastStoredSequence comes from the database when the journal no longer has it");
                device.startSequenceAt(3).sendPositions(fixAt(T0 + 60_000L, 43.30, 76.90, 8));   // retransmission of 3
                KuzetTestClient.Reply dup = device.read();
                assertEquals(KuzetMessageType.ACK, dup.type, dup.toString());
                assertEquals(3, dup.value);
                for (int i = 3; i < 5; i++) {
                    device.sendPositions(fixAt(T0 + i * 30_000L, 43.30, 76.90, 8));
                    KuzetTestClient.Reply ack = device.read();
                    assertEquals(KuzetMessageType.ACK, ack.type, ack.toString());
                    assertEquals(i + 1, ack.value);
                }
            }
            DataSource db = running.database().dataSource();
            await().atMost(Duration.ofSeconds(20)).until(() -> positions(db) == 5);
            assertEquals(5, count(db, "select count(distinct fix_time) from positions"), "nothing stored twice");
            assertEquals(5, count(db, "select last_sequence from device_sequences"));
        }
    }

    private ServerConfig config() {
        ServerConfig config = ConfigLoader.load(null, Map.of());
        config.server.dataDir = dataDir.toString();
        config.server.bindAddress = "127.0.0.1";
        config.server.provisionFile = Path.of("src/test/resources/provisioning/example.yaml").toAbsolutePath().toString();
        config.ports.kuzet = 0;
        config.ports.kuzetTls = -1;
        config.ports.gt06 = -1;
        config.ports.watch = -1;
        config.ports.http = 0;
        return config.validate();
    }

    private static long positions(DataSource db) throws Exception {
        return count(db, "select count(*) from positions");
    }

    private static long count(DataSource db, String sql) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
