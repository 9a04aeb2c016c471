package io.kuzet.server.store;

import static io.kuzet.server.testing.Fixes.fixAt;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kuzet.protocol.kuzet.KuzetMessageType;
import io.kuzet.server.KuzetServer;
import io.kuzet.server.KuzetServerMain;
import io.kuzet.server.config.ConfigLoader;
import io.kuzet.server.config.ServerConfig;
import io.kuzet.server.journal.Protocol;
import io.kuzet.server.testing.CuttableTcpProxy;
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
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database becomes unreachable under load (every connection reset, new ones refused) and comes back: ingestion and acks go on from the
 * journal meanwhile, readiness says storage is failing, and afterwards every journaled fix is stored exactly once.
 */
class DatabaseOutageTest {
    private static final byte[] KEY = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    private static final long T0 = Instant.parse("2026-02-10T10:00:00Z").toEpochMilli();

    @TempDir
    Path dataDir;

    @Test
    void fixesAckedDuringADatabaseOutageAreStoredExactlyOnceWhenItReturns() throws Exception {
        Database backing = SharedPostgres.database();
        SharedPostgres.truncateAll(backing);
        int dbPort = backing.embeddedPort();
        ServerConfig config = ConfigLoader.load(null, Map.of());
        config.server.dataDir = dataDir.toString();
        config.server.bindAddress = "127.0.0.1";
        config.server.provisionFile = Path.of("src/test/resources/provisioning/example.yaml").toAbsolutePath().toString();
        CuttableTcpProxy proxy = new CuttableTcpProxy(dbPort);
        config.database.url = "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/postgres";
        config.database.user = "postgres";
        config.database.password = "postgres";
        config.ports.kuzet = 0;
        config.ports.kuzetTls = -1;
        config.ports.gt06 = -1;
        config.ports.watch = -1;
        config.ports.http = -1;
        config.validate();
        TestClock clock = new TestClock(T0);
        try (proxy; KuzetServerMain.Running running = KuzetServerMain.start(config, new KuzetServer.Options(clock, false))) {
            DataSource db = running.database().dataSource();
            try (KuzetTestClient device = new KuzetTestClient(running.server().port(Protocol.KUZET))) {
                assertEquals(0, device.login(100001, KEY).status);
                send(device, clock, 0, 200);
                await().atMost(Duration.ofSeconds(30)).until(() -> count(db, "select count(*) from positions") == 200);

                proxy.cut();

                send(device, clock, 200, 500);            // every one of these is still acked: the journal is the system of record
                // the writer's next batch comes after its linger; its idle pooled connections then fail validation and
                // the pool tries to connect for up to its 30 s connection timeout before the batch fails
                await().atMost(Duration.ofSeconds(60)).until(() -> running.storage().problem() != null);
            }
            // the backlog on /metrics: fix 200 (received at T0 + 200 x 15 s) is the oldest unstored, the clock is at fix 499
            assertEquals(299 * 15.0, gauge(running, "kuzet_storage_lag_seconds"), "seconds behind");
            assertTrue(gauge(running, "kuzet_storage_lag_bytes") > 0, "journal bytes held for storage");
            assertEquals(200, count(backing.dataSource(), "select count(*) from positions"), "nothing reached the database meanwhile");
            proxy.restore();
            await().atMost(Duration.ofSeconds(60)).until(() -> count(db, "select count(*) from positions") >= 500);
            assertEquals(500, count(db, "select count(*) from positions"));
            assertEquals(500, count(db, "select count(distinct (device_id, fix_time)) from positions"), "nothing stored twice");
            await().atMost(Duration.ofSeconds(30)).until(() -> running.storage().problem() == null);
            assertEquals(0.0, gauge(running, "kuzet_storage_lag_seconds"), "caught up");
            assertEquals(0.0, gauge(running, "kuzet_storage_lag_bytes"));
        }
    }

    private static double gauge(KuzetServerMain.Running running, String name) {
        return running.server().meters().get(name).tag("journal", "positions").gauge().value();
    }

    private static void send(KuzetTestClient device, TestClock clock, int from, int to) throws Exception {
        for (int i = from; i < to; i++) {
            long t = T0 + i * 15_000L;
            clock.set(t);
            device.sendPositions(fixAt(t, 43.30, 76.90, 6));
            KuzetTestClient.Reply ack = device.read();
            assertEquals(KuzetMessageType.ACK, ack.type);
            assertEquals(i + 1, ack.value);
        }
    }

    private static long count(DataSource dataSource, String sql) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            return -1;
        }
    }
}
