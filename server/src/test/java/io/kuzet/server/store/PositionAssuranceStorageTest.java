package io.kuzet.server.store;

import static io.kuzet.server.testing.Fixes.fixAt;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every stored position row carries the assurance of the session it came in on (docs/device-trust.md). */
class PositionAssuranceStorageTest {
    private static final byte[] KEY = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    private static final long T0 = Instant.parse("2026-02-10T10:00:00Z").toEpochMilli();

    @TempDir
    Path dataDir;

    @Test
    void positionsFromAFrameAuthenticatedKuzetSessionAreStoredAsAuthenticatedAndOldFirmwareAsLoginAuthenticated()
            throws Exception {
        Database backing = SharedPostgres.database();
        SharedPostgres.truncateAll(backing);
        List<String> stored = new ArrayList<>();
        for (boolean frameMac : new boolean[] {true, false}) {
            ServerConfig config = ConfigLoader.load(null, Map.of());
            config.server.dataDir = dataDir.toString();   // one journal: the second run continues the first
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
            config.deviceTrust.kuzetRequireFrameMac = frameMac;
            config.validate();
            long t = T0 + (frameMac ? 0 : 60_000);
            try (KuzetServerMain.Running running = KuzetServerMain.start(config, new KuzetServer.Options(new TestClock(t), false))) {
                DataSource db = running.database().dataSource();
                int before = stored.size();
                try (KuzetTestClient device = new KuzetTestClient(running.server().port(Protocol.KUZET))) {
                    KuzetTestClient.Reply login = frameMac ? device.login(100001, KEY) : device.loginWithoutFrameMac(100001, KEY);
                    assertEquals(0, login.status);
                    device.startSequenceAt(login.value + 1);
                    device.sendPositions(fixAt(t, 43.30, 76.90, 6));
                    device.read();
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> assurances(db).size() == before + 1);
                stored.clear();
                stored.addAll(assurances(db));
                List<TrackPoint> track = new TrackQueries(db).deviceTrack(track(db), Instant.ofEpochMilli(T0 - 1), Instant.ofEpochMilli(T0 + 120_000));
                assertEquals(stored, track.stream().map(TrackPoint::assurance).toList(), "the API reads what was stored");
            }
        }
        assertEquals(List.of("AUTHENTICATED", "LOGIN_AUTHENTICATED"), stored);
    }

    private static long track(DataSource db) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("select device_id from positions limit 1");
             ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<String> assurances(DataSource db) {
        List<String> out = new ArrayList<>();
        try (Connection c = db.getConnection();
             PreparedStatement s = c.prepareStatement("select assurance from positions order by fix_time");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        } catch (SQLException e) {
            return List.of();
        }
        return out;
    }
}
