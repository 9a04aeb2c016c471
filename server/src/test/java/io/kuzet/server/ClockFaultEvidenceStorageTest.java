package io.kuzet.server;

import static io.kuzet.server.testing.Fixes.fixAt;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kuzet.protocol.Fix;
import io.kuzet.protocol.kuzet.KuzetMessageType;
import io.kuzet.server.config.ConfigLoader;
import io.kuzet.server.config.ServerConfig;
import io.kuzet.server.journal.Protocol;
import io.kuzet.server.testing.KuzetTestClient;
import io.kuzet.server.testing.TestClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A fix with a clock fault is not evaluated, but it is stored with the device's claimed time and the receive time. */
class ClockFaultEvidenceStorageTest {
    private static final byte[] KEY = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    private static final long T0 = Instant.parse("2026-02-10T10:00:00Z").toEpochMilli();
    private static final long YEAR_2099 = Instant.parse("2099-06-01T12:00:00Z").toEpochMilli();

    @TempDir
    Path dataDir;

    @Test
    void clockFaultyFixIsStoredAsEvidenceWithItsClaimedAndReceiveTimes() throws Exception {
        ServerConfig config = ConfigLoader.load(null, Map.of());
        config.server.dataDir = dataDir.toString();
        config.server.bindAddress = "127.0.0.1";
        config.server.provisionFile = Path.of("src/test/resources/provisioning/example.yaml").toAbsolutePath().toString();
        config.ports.kuzet = 0;
        config.ports.kuzetTls = -1;
        config.ports.gt06 = -1;
        config.ports.watch = -1;
        config.ports.http = 0;
        config.validate();
        try (KuzetServerMain.Running running = KuzetServerMain.start(config, new KuzetServer.Options(new TestClock(T0), false))) {
            try (KuzetTestClient device = new KuzetTestClient(running.server().port(Protocol.KUZET))) {
                assertEquals(0, device.login(100001, KEY).status);
                device.sendPositions(fixAt(YEAR_2099, 43.30, 76.90, 8));
                assertEquals(KuzetMessageType.ACK, device.read().type);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                try (Connection c = running.database().dataSource().getConnection();
                     PreparedStatement s = c.prepareStatement("select count(*) from positions");
                     ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getLong(1) == 1;
                }
            });
            try (Connection c = running.database().dataSource().getConnection();
                 PreparedStatement s = c.prepareStatement("select fix_time, received_at, flags from positions");
                 ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next());
                assertEquals(Instant.ofEpochMilli(YEAR_2099), rs.getTimestamp(1).toInstant());
                assertEquals(Instant.ofEpochMilli(T0), rs.getTimestamp(2).toInstant());
                assertEquals(Fix.FLAG_CLOCK_FAULT, rs.getInt(3) & Fix.FLAG_CLOCK_FAULT);
            }
        }
    }
}
