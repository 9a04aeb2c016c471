package io.kuzet.server.command;

import static io.kuzet.server.testing.Fixes.fixAt;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import io.kuzet.server.testing.TestClock;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command outbox over real sockets: a command to a disconnected bracelet is delivered after it reconnects, once
 * (also across a server restart), retried with the same id when the session ended before the answer, matched with
 * the device's COMMAND_RESULT, expired after its time to live, and a kind the protocol cannot do is never sent.
 */
class CommandDeliveryOverSocketsTest {
    private static final byte[] KEY = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    private static final long KUZET_NUMBER = 100001;
    private static final long WATCH_NUMBER = 3548700123L;
    private static final long GT06_IMEI = 868120145233604L;
    private static final long T0 = Instant.parse("2026-02-10T10:00:00Z").toEpochMilli();

    @TempDir
    Path dataDir;

    private final TestClock clock = new TestClock(T0);
    private long nextSequence = 1;

    @Test
    void commandToADisconnectedBraceletIsDeliveredAfterItReconnectsOnceAlsoAcrossARestart() throws Exception {
        Database backing = SharedPostgres.database();
        SharedPostgres.truncateAll(backing);
        long locateId;
        long vibrateId;
        long restartId;
        try (KuzetServerMain.Running running = start(backing)) {
            KuzetServer server = running.server();
            long deviceId = server.registry().snapshot().device("kuzet", KUZET_NUMBER).id();
            try (KuzetTestClient device = connect(server)) {
                nextSequence = sendFixAndAck(device);
            }
            // the server has seen the bracelet go (else a command could still be written to the closing connection)
            await().atMost(Duration.ofSeconds(20)).until(() -> !server.commands().hasSession(deviceId));
            // while the bracelet is away: an operator asks for a position, supervision (twice, as after a replay) to vibrate
            DeviceCommand locate = server.commands().submit(request(deviceId, CommandKind.LOCATE_NOW, 0, null), (tx, c) -> { });
            locateId = locate.id();
            assertEquals(CommandState.QUEUED, locate.state());
            CommandRequest warn = new CommandRequest(deviceId, CommandKind.VIBRATE, 1500, CommandOrigin.SUPERVISION,
                    "approach-warning", "approaching an exclusion zone", 0, "warn:1", Duration.ofMinutes(10));
            server.commands().request(warn);
            server.commands().request(warn);
            await().atMost(Duration.ofSeconds(20)).until(() -> count(running, "device_id = " + deviceId) == 2);
            vibrateId = id(running, "kind = 'VIBRATE'");

            try (KuzetTestClient device = connect(server)) {
                KuzetTestClient.Reply first = device.read();
                KuzetTestClient.Reply second = device.read();
                assertEquals(KuzetMessageType.COMMAND, first.type, "after LOGIN_RESULT the queued command comes: " + first);
                assertEquals(locateId, first.value);
                assertEquals(KuzetCommands.REQUEST_POSITION, first.status);
                assertEquals(KuzetMessageType.COMMAND, second.type);
                assertEquals(vibrateId, second.value, "the supervision request was stored once");
                assertEquals(KuzetCommands.VIBRATE, second.status);
                assertEquals(1500, second.param);
                await().atMost(Duration.ofSeconds(20)).until(() -> state(running, vibrateId) == CommandState.SENT);
                // only the position request is answered before the connection drops
                answer(device, locateId, KuzetCommands.RESULT_DONE);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> state(running, locateId) == CommandState.DONE);

            try (KuzetTestClient device = connect(server)) {
                KuzetTestClient.Reply again = device.read();
                assertEquals(KuzetMessageType.COMMAND, again.type, "the unanswered command is retried on reconnect");
                assertEquals(vibrateId, again.value, "with the same id, so the device can recognise a repeat");
                assertTrue(device.silentFor(700), "the answered command is not sent again");
            }
            try (KuzetTestClient device = connect(server)) {
                device.read();
                answer(device, vibrateId, KuzetCommands.RESULT_DONE);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> state(running, vibrateId) == CommandState.DONE);
            assertEquals(3, attempts(running, vibrateId), "sent once on each of the three sessions until answered");
            assertEquals(1, attempts(running, locateId));

            restartId = server.commands().submit(request(deviceId, CommandKind.REQUEST_STATUS, 0, null), (tx, c) -> { }).id();
            assertEquals(2.0, server.meters().get("kuzet_commands").tags("protocol", "kuzet", "state", "done").counter().count());
        }

        try (KuzetServerMain.Running running = start(backing)) {
            KuzetServer server = running.server();
            try (KuzetTestClient device = connect(server)) {
                KuzetTestClient.Reply queued = device.read();
                assertEquals(KuzetMessageType.COMMAND, queued.type, "the command queued before the restart is delivered");
                assertEquals(restartId, queued.value);
                assertEquals(KuzetCommands.REQUEST_STATUS, queued.status);
                answer(device, restartId, KuzetCommands.RESULT_DONE);
                assertTrue(device.silentFor(700), "nothing finished before the restart is sent again");
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> state(running, restartId) == CommandState.DONE);
            try (KuzetTestClient device = connect(server)) {
                assertTrue(device.silentFor(700), "a reconnect after the answer brings no command");
            }
            assertEquals(3, count(running, "state = 'DONE'"));
        }
    }

    @Test
    void expiredCommandsAreNeverSentAndUnsupportedKindsAreNotSentAtAll() throws Exception {
        Database backing = SharedPostgres.database();
        SharedPostgres.truncateAll(backing);
        try (KuzetServerMain.Running running = start(backing)) {
            KuzetServer server = running.server();
            long deviceId = server.registry().snapshot().device("kuzet", KUZET_NUMBER).id();
            long watchId = server.registry().snapshot().device("watch", WATCH_NUMBER).id();
            DeviceCommand stale = server.commands().submit(new CommandRequest(deviceId, CommandKind.LOCATE_NOW, 0,
                    CommandOrigin.OPERATOR, "op", "check", 0, null, Duration.ofSeconds(60)), (tx, c) -> { });
            DeviceCommand status = server.commands().submit(request(watchId, CommandKind.REQUEST_STATUS, 0, null), (tx, c) -> { });
            assertEquals(CommandState.UNSUPPORTED, status.state(), "the Watch protocol has no status query");
            assertNotNull(status.finishedAt());
            clock.advance(61_000);
            server.commands().expireNow();
            assertEquals(CommandState.EXPIRED, state(running, stale.id()));
            try (KuzetTestClient device = connect(server)) {
                assertTrue(device.silentFor(700), "an expired command is not delivered");
            }
            // a late answer does not reopen it
            try (KuzetTestClient device = connect(server)) {
                answer(device, stale.id(), KuzetCommands.RESULT_DONE);
            }
            Thread.sleep(300);
            assertEquals(CommandState.EXPIRED, state(running, stale.id()));

            // the Watch: queued interval change delivered on its next frame, matched by the command word it repeats
            DeviceCommand upload = server.commands().submit(request(watchId, CommandKind.SET_REPORTING_INTERVAL, 15, null),
                    (tx, c) -> { });
            try (Socket watch = new Socket("127.0.0.1", server.port(Protocol.WATCH))) {
                watch.setSoTimeout(10_000);
                OutputStream out = watch.getOutputStream();
                InputStream in = watch.getInputStream();
                out.write("[3G*3548700123*0009*LK,0,0,90]".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String received = readFrames(in, 2);
                assertTrue(received.contains("[3G*3548700123*0009*UPLOAD,15]"), received);
                out.write("[3G*3548700123*0006*UPLOAD]".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                await().atMost(Duration.ofSeconds(20)).until(() -> state(running, upload.id()) == CommandState.DONE);
            }
        }
    }

    @Test
    void gt06OnlineCommandIsMatchedWithTheAnswerByItsServerFlagAndVibrateIsUnsupported() throws Exception {
        Database backing = SharedPostgres.database();
        SharedPostgres.truncateAll(backing);
        try (KuzetServerMain.Running running = start(backing)) {
            KuzetServer server = running.server();
            long gt06Id = server.registry().snapshot().device("gt06", GT06_IMEI).id();
            DeviceCommand vibrate = server.commands().submit(request(gt06Id, CommandKind.VIBRATE, 1000, null), (tx, c) -> { });
            assertEquals(CommandState.UNSUPPORTED, vibrate.state(), "a GT06 tracker cannot vibrate: never sent");
            DeviceCommand where = server.commands().submit(request(gt06Id, CommandKind.LOCATE_NOW, 0, null), (tx, c) -> { });
            try (Socket tracker = new Socket("127.0.0.1", server.port(Protocol.GT06))) {
                tracker.setSoTimeout(10_000);
                OutputStream out = tracker.getOutputStream();
                InputStream in = tracker.getInputStream();
                io.netty.buffer.ByteBuf login = io.netty.buffer.Unpooled.buffer();
                io.kuzet.protocol.gt06.Gt06Encoder.writeLogin(login, GT06_IMEI, 1);
                out.write(io.kuzet.server.testing.Gt06Wire.bytes(login));
                out.flush();
                assertEquals(0x01, io.kuzet.server.testing.Gt06Wire.readReply(in)[3], "login acked");
                byte[] command = io.kuzet.server.testing.Gt06Wire.readReply(in);
                io.netty.buffer.ByteBuf frame = io.netty.buffer.Unpooled.wrappedBuffer(command);
                assertEquals(0x80, frame.getUnsignedByte(3), "online command");
                assertEquals(where.id(), frame.getUnsignedInt(5), "the command id is the server flag");
                assertEquals("WHERE#", frame.toString(9, command.length - 9 - 6, StandardCharsets.US_ASCII));

                io.netty.buffer.ByteBuf answer = io.netty.buffer.Unpooled.buffer();
                byte[] text = "Lat:N43.238949,Lon:E76.889709,Course:0.00,Speed:0.00".getBytes(StandardCharsets.US_ASCII);
                answer.writeShort(0x7878).writeByte(0).writeByte(0x21).writeInt((int) where.id()).writeByte(1).writeBytes(text)
                        .writeShort(2);
                answer.setByte(2, answer.writerIndex() - 3 + 2);
                answer.writeShort(io.kuzet.protocol.gt06.Gt06Crc.compute(answer, 2, answer.writerIndex() - 2)).writeShort(0x0D0A);
                out.write(io.kuzet.server.testing.Gt06Wire.bytes(answer));
                out.flush();
                await().atMost(Duration.ofSeconds(20)).until(() -> state(running, where.id()) == CommandState.DONE);
            }
            assertEquals(List.of("Lat:N43.238949,Lon:E76.889709,Course:0.00,Speed:0.00"), results(running, gt06Id),
                    "the device's answer is the command's result");
            assertEquals(1.0, server.meters().get("kuzet_commands").tags("protocol", "gt06", "state", "unsupported").counter().count());
        }
    }

    private static List<String> results(KuzetServerMain.Running running, long deviceId) throws Exception {
        List<String> out = new java.util.ArrayList<>();
        try (Connection c = running.database().dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select result from device_commands where state = 'DONE' and device_id = " + deviceId)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
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
        config.ports.gt06 = 0;
        config.ports.watch = 0;
        config.ports.http = -1;
        config.validate();
        return KuzetServerMain.start(config, new KuzetServer.Options(clock, false));
    }

    private KuzetTestClient connect(KuzetServer server) throws Exception {
        KuzetTestClient device = new KuzetTestClient(server.port(Protocol.KUZET)).receivingCommands();
        KuzetTestClient.Reply login = device.login(KUZET_NUMBER, KEY);
        assertEquals(KuzetMessageType.LOGIN_RESULT, login.type);
        assertEquals(0, login.status);
        device.startSequenceAt(login.value + 1);
        return device;
    }

    private long sendFixAndAck(KuzetTestClient device) throws Exception {
        long seq = device.sendPositions(fixAt(T0, 43.30, 76.90, 6));
        assertEquals(KuzetMessageType.ACK, device.read().type);
        return seq + 1;
    }

    /** Sends a COMMAND_RESULT and reads its ACK (skipping any command frame in between). */
    private static void answer(KuzetTestClient device, long commandId, int status) throws Exception {
        long seq = device.sendCommandResult(commandId, status);
        KuzetTestClient.Reply reply;
        do {
            reply = device.read();
        } while (reply.type == KuzetMessageType.COMMAND);
        assertEquals(KuzetMessageType.ACK, reply.type);
        assertEquals(seq, reply.value);
    }

    private static CommandRequest request(long deviceId, CommandKind kind, long argument, String dedupKey) {
        return new CommandRequest(deviceId, kind, argument, CommandOrigin.OPERATOR, "op-alm", "test", 0, dedupKey,
                Duration.ofHours(1));
    }

    private static String readFrames(InputStream in, int frames) throws Exception {
        StringBuilder sb = new StringBuilder();
        int closing = 0;
        while (closing < frames) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            sb.append((char) b);
            if (b == ']') {
                closing++;
            }
        }
        return sb.toString();
    }

    private static long count(KuzetServerMain.Running running, String where) throws Exception {
        return scalar(running, "select count(*) from device_commands where " + where);
    }

    private static long id(KuzetServerMain.Running running, String where) throws Exception {
        return scalar(running, "select id from device_commands where " + where);
    }

    private static long attempts(KuzetServerMain.Running running, long id) throws Exception {
        return scalar(running, "select attempts from device_commands where id = " + id);
    }

    private static CommandState state(KuzetServerMain.Running running, long id) throws Exception {
        try (Connection c = running.database().dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select state from device_commands where id = " + id)) {
            return rs.next() ? CommandState.valueOf(rs.getString(1)) : null;
        }
    }

    private static long scalar(KuzetServerMain.Running running, String sql) throws Exception {
        try (Connection c = running.database().dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
