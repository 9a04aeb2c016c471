package io.kuzet.server.command;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kuzet.protocol.kuzet.KuzetCommands;
import io.kuzet.protocol.kuzet.KuzetMessageType;
import io.kuzet.server.KuzetServer;
import io.kuzet.server.KuzetServerMain;
import io.kuzet.server.config.ConfigLoader;
import io.kuzet.server.config.ServerConfig;
import io.kuzet.server.journal.Protocol;
import io.kuzet.server.store.Database;
import io.kuzet.server.store.SharedPostgres;
import io.kuzet.server.testing.KuzetTestClient;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Figures for docs/commands.md (run with {@code -Dslow}): how long an operator command takes from being stored to
 * reaching a connected Kuzet bracelet over loopback (outbox insert, the kuzet-commands thread, the session's event
 * loop, the frame tag), and how many commands a second one device gets through answering each. Reports, asserts
 * only that every command ended DONE.
 */
@Tag("slow")
class CommandRoundTripBenchmarkTest {
    private static final Logger LOG = LoggerFactory.getLogger(CommandRoundTripBenchmarkTest.class);
    private static final byte[] KEY = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    private static final int COMMANDS = 1000;

    @TempDir
    Path dataDir;

    @Test
    void deliveryLatencyAndRoundTripsPerSecondOfOneConnectedBracelet() throws Exception {
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
        config.validate();
        try (KuzetServerMain.Running running = KuzetServerMain.start(config, KuzetServer.Options.defaults());
             KuzetTestClient device = new KuzetTestClient(running.server().port(Protocol.KUZET)).receivingCommands()) {
            KuzetServer server = running.server();
            long deviceId = server.registry().snapshot().device("kuzet", 100001).id();
            device.startSequenceAt(device.login(100001, KEY).value + 1);
            await().atMost(Duration.ofSeconds(20)).until(() -> server.commands().hasSession(deviceId));
            long[] deliveryNanos = new long[COMMANDS];
            long start = System.nanoTime();
            for (int i = 0; i < COMMANDS; i++) {
                long t0 = System.nanoTime();
                DeviceCommand c = server.commands().submit(new CommandRequest(deviceId, CommandKind.LOCATE_NOW, 0,
                        CommandOrigin.OPERATOR, "bench", "bench", 0, null, Duration.ofHours(1)), (tx, stored) -> { });
                KuzetTestClient.Reply command = device.read();
                deliveryNanos[i] = System.nanoTime() - t0;
                assertEquals(c.id(), command.value);
                device.sendCommandResult(command.value, KuzetCommands.RESULT_DONE);
                KuzetTestClient.Reply ack;
                do {
                    ack = device.read();
                } while (ack.type != KuzetMessageType.ACK);
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> done(running) == COMMANDS);
            double seconds = (System.nanoTime() - start) / 1e9;
            Arrays.sort(deliveryNanos);
            LOG.info("commands: {} stored, delivered and answered one at a time in {} s ({} round trips/s); "
                            + "store-to-bracelet p50 {} ms, p99 {} ms, max {} ms",
                    COMMANDS, String.format("%.2f", seconds), String.format("%.0f", COMMANDS / seconds),
                    String.format("%.2f", deliveryNanos[COMMANDS / 2] / 1e6),
                    String.format("%.2f", deliveryNanos[COMMANDS * 99 / 100] / 1e6),
                    String.format("%.2f", deliveryNanos[COMMANDS - 1] / 1e6));
        }
    }

    private static long done(KuzetServerMain.Running running) throws Exception {
        try (Connection c = running.database().dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from device_commands where state = 'DONE'")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
