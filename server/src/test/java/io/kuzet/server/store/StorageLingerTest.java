package io.kuzet.server.store;

import static io.kuzet.server.testing.Fixes.fixAt;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kuzet.protocol.kuzet.KuzetMessageType;
import io.kuzet.server.KuzetServer;
import io.kuzet.server.KuzetServerMain;
import io.kuzet.server.config.ConfigLoader;
import io.kuzet.server.config.ServerConfig;
import io.kuzet.server.journal.Protocol;
import io.kuzet.server.testing.KuzetTestClient;
import io.kuzet.server.testing.TestClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storage writer's linger ({@code storage.lingerMs}): after a batch that did not fill, positions wait for company
 * up to the linger and are then stored together, a full batch waiting ends the linger early, and alerts are stored at
 * once whatever the positions do.
 */
class StorageLingerTest {
    private static final byte[] KEY = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    private static final long T0 = Instant.parse("2026-02-10T10:00:00Z").toEpochMilli();
    private static final double WORKPLACE_LAT = 43.2567;
    private static final double WORKPLACE_LON = 76.9286;

    @TempDir
    Path dataDir;

    private final TestClock clock = new TestClock(T0);

    @Test
    void lingeringPositionsAreStoredTogetherWithinTheLingerWhileTheirAlertIsStoredAtOnce() throws Exception {
        try (KuzetServerMain.Running running = start(6_000, 50_000);
             KuzetTestClient device = new KuzetTestClient(running.server().port(Protocol.KUZET))) {
            DataSource db = running.database().dataSource();
            assertEquals(0, device.login(100001, KEY).status);
            send(device, 0, 1, WORKPLACE_LAT + 0.02);
            await().atMost(Duration.ofSeconds(30)).until(() -> count(db, "select count(*) from positions") == 1);
            // the journal ran dry after that one: the writer now lingers for 6 s

            send(device, 1, 4, WORKPLACE_LAT + 0.02);
            send(device, 4, 12, WORKPLACE_LAT);          // inside the victim's workplace: an exclusion violation
            await().atMost(Duration.ofSeconds(5)).until(() -> count(db,
                    "select count(*) from alerts where type = 'EXCLUSION_VIOLATION'") == 1);
            assertEquals(1, count(db, "select count(*) from positions"), "the violating fixes are still lingering");

            await().atMost(Duration.ofSeconds(30)).until(() -> count(db, "select count(*) from positions") == 12);
            assertEquals(2, count(db, "select count(distinct xmin::text) from positions"),
                    "the eleven fixes sent during the linger were stored in one transaction");
        }
    }

    @Test
    void aFullBatchWaitingInTheJournalEndsTheLinger() throws Exception {
        try (KuzetServerMain.Running running = start(60_000, 5);
             KuzetTestClient device = new KuzetTestClient(running.server().port(Protocol.KUZET))) {
            DataSource db = running.database().dataSource();
            assertEquals(0, device.login(100001, KEY).status);
            send(device, 0, 1, WORKPLACE_LAT + 0.02);
            await().atMost(Duration.ofSeconds(30)).until(() -> count(db, "select count(*) from positions") == 1);
            // lingering for a minute now, unless five rows (a full batch) wait

            send(device, 1, 13, WORKPLACE_LAT + 0.02);
            await().atMost(Duration.ofSeconds(30)).until(() -> count(db, "select count(*) from positions") == 11);
            Thread.sleep(1_000);
            assertEquals(11, count(db, "select count(*) from positions"),
                    "two full batches went at once; the last two fixes, less than a batch, wait for the linger");
            assertEquals(3, count(db, "select count(distinct xmin::text) from positions"));
        }
    }

    private KuzetServerMain.Running start(int lingerMs, int batchMaxRows) throws Exception {
        Database shared = SharedPostgres.database();
        SharedPostgres.truncateAll(shared);
        ServerConfig config = ConfigLoader.load(null, Map.of());
        config.server.dataDir = dataDir.toString();
        config.server.bindAddress = "127.0.0.1";
        config.server.provisionFile = Path.of("src/test/resources/provisioning/example.yaml").toAbsolutePath().toString();
        config.database.url = "jdbc:postgresql://127.0.0.1:" + shared.embeddedPort() + "/postgres";
        config.database.user = "postgres";
        config.database.password = "postgres";
        config.storage.lingerMs = lingerMs;
        config.storage.batchMaxRows = batchMaxRows;
        config.ports.kuzet = 0;
        config.ports.kuzetTls = -1;
        config.ports.gt06 = -1;
        config.ports.watch = -1;
        config.ports.http = -1;
        config.validate();
        return KuzetServerMain.start(config, new KuzetServer.Options(clock, false));
    }

    /** Fixes {@code from} to {@code to - 1}, 30 s apart from T0, each in its own acked message. */
    private void send(KuzetTestClient device, int from, int to, double lat) throws Exception {
        for (int i = from; i < to; i++) {
            clock.set(T0 + i * 30_000L);
            device.sendPositions(fixAt(T0 + i * 30_000L, lat, WORKPLACE_LON, 6));
            assertEquals(KuzetMessageType.ACK, device.read().type);
        }
    }

    private static long count(DataSource dataSource, String sql) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return -1;
        }
    }
}
