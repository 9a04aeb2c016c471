package io.kuzet.server;

import static io.kuzet.server.testing.Fixes.fixAt;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/**
 * The whole server as the README starts it (embedded PostgreSQL, provisioning file, storage writer): a provisioned
 * bracelet's fixes end up as position rows of its subject and its exclusion-zone violation as an alert row.
 */
class EndToEndStorageTest {
    private static final byte[] KEY = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    private static final long T0 = Instant.parse("2026-02-10T10:00:00Z").toEpochMilli();
    private static final double WORKPLACE_LAT = 43.2567;
    private static final double WORKPLACE_LON = 76.9286;

    @TempDir
    Path dataDir;

    @Test
    void provisionedBraceletsFixesAndViolationAreStoredInPostgres() throws Exception {
        ServerConfig config = ConfigLoader.load(null, Map.of());
        config.server.dataDir = dataDir.toString();
        config.server.bindAddress = "127.0.0.1";
        config.server.provisionFile = Path.of("src/test/resources/provisioning/example.yaml").toAbsolutePath().toString();
        config.ports.kuzet = 0;
        config.ports.kuzetTls = -1;
        config.ports.gt06 = 0;
        config.ports.watch = 0;
        config.ports.http = 0;
        config.validate();
        TestClock clock = new TestClock(T0);
        try (KuzetServerMain.Running running = KuzetServerMain.start(config, new KuzetServer.Options(clock, false))) {
            try (KuzetTestClient device = new KuzetTestClient(running.server().port(Protocol.KUZET))) {
                KuzetTestClient.Reply login = device.login(100001, KEY);
                assertEquals(0, login.status);
                assertEquals(30, login.reportingIntervalS, "a high-risk order reports every 30 s");
                for (int i = 0; i < 12; i++) {
                    long t = T0 + i * 30_000L;
                    clock.set(t);
                    double lat = i < 4 ? WORKPLACE_LAT + 0.02 : WORKPLACE_LAT;   // then inside the 300 m circle
                    device.sendPositions(fixAt(t, lat, WORKPLACE_LON, 6));
                    device.read();
                }
            }
            var dataSource = running.database().dataSource();
            await().atMost(Duration.ofSeconds(20)).until(() -> count(dataSource, "select count(*) from positions") == 12);
            await().atMost(Duration.ofSeconds(20)).until(() -> count(dataSource,
                    "select count(*) from alerts where type = 'EXCLUSION_VIOLATION'") == 1);
            try (Connection c = dataSource.getConnection();
                 PreparedStatement s = c.prepareStatement("""
                         select s.external_case_id, a.severity, a.explanation, a.state
                           from alerts a join subjects s on s.id = a.subject_id where a.type = 'EXCLUSION_VIOLATION'""");
                 ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next());
                assertEquals("KZ-2026-0001", rs.getString(1));
                assertEquals("CRITICAL", rs.getString(2), "high-risk order raises the severity");
                assertTrue(rs.getString(3).contains("Keep away from victim's workplace"), rs.getString(3));
                assertEquals("OPEN", rs.getString(4));
            }
            assertEquals(12, count(dataSource, """
                    select count(*) from positions p join subjects s on s.id = p.subject_id where s.external_case_id = 'KZ-2026-0001'"""));
        }
    }

    private static long count(javax.sql.DataSource dataSource, String sql) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
