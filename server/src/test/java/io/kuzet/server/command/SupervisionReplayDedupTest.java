package io.kuzet.server.command;

import static io.kuzet.server.testing.Fixes.fixAt;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kuzet.protocol.kuzet.KuzetMessageType;
import io.kuzet.server.KuzetServer;
import io.kuzet.server.KuzetServerMain;
import io.kuzet.server.config.ConfigLoader;
import io.kuzet.server.config.ServerConfig;
import io.kuzet.server.journal.Protocol;
import io.kuzet.server.store.Database;
import io.kuzet.server.store.SharedPostgres;
import io.kuzet.server.testing.KuzetTestClient;
import io.kuzet.server.testing.TestClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The core's supervision commands through the real command service, across a restart: a bracelet walking into an
 * exclusion zone gets one pursuit command row (living {@code core.commandTtlS}); after a restart without a core snapshot
 * the core replays the whole journal, takes the same decision again and asks with the same de-duplication key, and
 * {@code device_commands} still holds that one row.
 */
class SupervisionReplayDedupTest {
    private static final byte[] KEY = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    private static final long KUZET_NUMBER = 100001;
    /** A Tuesday 15:00 in Almaty: no curfew. */
    private static final long T0 = Instant.parse("2026-02-10T10:00:00Z").toEpochMilli();
    /** The centre of the example's "Victim workplace" exclusion circle (300 m), and a point 2 km north of it. */
    private static final double INSIDE_LAT = 43.2567;
    private static final double OUTSIDE_LAT = 43.2767;
    private static final double LON = 76.9286;

    @TempDir
    Path dataDir;
    private final TestClock clock = new TestClock(T0);

    @Test
    void replayAfterARestartAsksForThePursuitAgainButTheOutboxKeepsOneRow() throws Exception {
        Database backing = SharedPostgres.database();
        SharedPostgres.truncateAll(backing);
        long deviceId;
        long rowId;
        String key;
        try (KuzetServerMain.Running running = start(backing)) {
            KuzetServer server = running.server();
            deviceId = server.registry().snapshot().device("kuzet", KUZET_NUMBER).id();
            try (KuzetTestClient device = new KuzetTestClient(server.port(Protocol.KUZET)).receivingCommands()) {
                KuzetTestClient.Reply login = device.login(KUZET_NUMBER, KEY);
                assertEquals(0, login.status);
                device.startSequenceAt(login.value + 1);
                long t = T0;
                for (int i = 0; i < 4; i++, t += 30_000) {
                    send(device, t, OUTSIDE_LAT);
                }
                for (int i = 0; i < 8; i++, t += 30_000) {
                    send(device, t, INSIDE_LAT);    // the violation opens after three fixes and a minute inside
                }
                await().atMost(Duration.ofSeconds(20)).until(() -> count(running, "dedup_key like 'pursuit-on:%'") == 1);
            }
            settle(server);
            key = string(running, "select dedup_key from device_commands where dedup_key like 'pursuit-on:%'");
            rowId = scalar(running, "select id from device_commands where dedup_key = '" + key + "'");
            assertEquals(1, count(running, "device_id = " + deviceId));
            assertEquals(new ServerConfig.Core().commandTtlS, scalar(running, "select extract(epoch from expires_at - created_at)"
                    + "::bigint from device_commands where id = " + rowId), "a supervision command lives core.commandTtlS");
        }
        deleteSnapshots();

        try (KuzetServerMain.Running running = start(backing)) {
            KuzetServer server = running.server();
            assertEquals(15, server.core().pursuitIntervals().intervalS(deviceId),
                    "the replayed core is pursuing the device again, so it asked for the pursuit again");
            settle(server);
            assertEquals(1, count(running, "dedup_key = '" + key + "'"), "the replayed request found its row");
            assertEquals(rowId, scalar(running, "select id from device_commands where dedup_key = '" + key + "'"));
            assertEquals(1, count(running, "device_id = " + deviceId), "nothing else was queued by the replay");
            assertEquals(0.0, server.meters().get("kuzet_commands").tags("protocol", "kuzet", "state", "queued").counter().count(),
                    "no command was stored after the restart");
        }
    }

    private void deleteSnapshots() throws Exception {
        Path snapshots = dataDir.resolve("snapshots");
        if (Files.exists(snapshots)) {
            try (Stream<Path> files = Files.walk(snapshots)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private void send(KuzetTestClient device, long t, double lat) throws Exception {
        clock.set(t);
        long seq = device.sendPositions(fixAt(t, lat, LON, 6));
        KuzetTestClient.Reply reply;
        do {
            reply = device.read();
        } while (reply.type == KuzetMessageType.COMMAND);
        assertEquals(KuzetMessageType.ACK, reply.type);
        assertEquals(seq, reply.value);
    }

    /** The core has processed the journal and the command service has stored everything it was asked. */
    private static void settle(KuzetServer server) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (server.core().lagEntries() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(1_000_000);
        }
        server.commands().awaitIdle(Duration.ofSeconds(30));
    }

    private KuzetServerMain.Running start(Database backing) throws Exception {
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
        config.core.snapshotIntervalS = 0;
        config.validate();
        return KuzetServerMain.start(config, new KuzetServer.Options(clock, false));
    }

    private static long count(KuzetServerMain.Running running, String where) throws Exception {
        return scalar(running, "select count(*) from device_commands where " + where);
    }

    private static long scalar(KuzetServerMain.Running running, String sql) throws Exception {
        try (Connection c = running.database().dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String string(KuzetServerMain.Running running, String sql) throws Exception {
        try (Connection c = running.database().dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
