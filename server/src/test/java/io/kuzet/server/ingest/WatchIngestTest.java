package io.kuzet.server.ingest;

import static io.kuzet.server.testing.RunningServer.T0;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kuzet.protocol.DeviceMessage;
import io.kuzet.protocol.watch.WatchEncoder;
import io.kuzet.server.journal.Protocol;
import io.kuzet.server.testing.Fixes;
import io.kuzet.server.testing.LiveAlertClient;
import io.kuzet.server.testing.RunningServer;
import io.kuzet.server.testing.TestFleet;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Watch/3G bracelet over TCP: heartbeat answered, buffered location with the removal bit → late strap tamper alert. */
class WatchIngestTest {
    private static final int STATUS_REMOVED = 1 << 20;

    @TempDir
    Path dataDir;
    RunningServer running;

    @BeforeEach
    void start() throws InterruptedException {
        running = new RunningServer(dataDir, TestFleet.registry(900));
    }

    @AfterEach
    void stop() {
        running.close();
    }

    private static void send(Socket socket, ByteBuf buf) throws Exception {
        byte[] b = new byte[buf.readableBytes()];
        buf.readBytes(b);
        buf.release();
        socket.getOutputStream().write(b);
        socket.getOutputStream().flush();
    }

    private static String readFrame(InputStream in) throws Exception {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            sb.append((char) c);
            if (c == ']') {
                break;
            }
        }
        return sb.toString();
    }

    @Test
    void heartbeatIsAnsweredAndRemovalBitRaisesStrapTamper() throws Exception {
        try (LiveAlertClient live = new LiveAlertClient(running.server.httpPort(), RunningServer.LIVE_TOKEN);
             Socket socket = new Socket("127.0.0.1", running.server.port(Protocol.WATCH))) {
            await().atMost(Duration.ofSeconds(5)).until(() -> running.server.live().subscribers() == 1);
            socket.setSoTimeout(5_000);
            ByteBuf heartbeat = Unpooled.buffer();
            WatchEncoder.writeHeartbeat(heartbeat, "3G", TestFleet.WATCH_NUMBER, 80);
            send(socket, heartbeat);
            assertEquals("[3G*" + TestFleet.WATCH_NUMBER + "*0002*LK]", readFrame(socket.getInputStream()));

            DeviceMessage msg = Fixes.fixAt(T0, 43.30, 76.90, 10);
            ByteBuf location = Unpooled.buffer();
            WatchEncoder.writeLocation(location, "3G", TestFleet.WATCH_NUMBER, msg.fix(0), true, STATUS_REMOVED);
            send(socket, location);
            await().atMost(Duration.ofSeconds(10)).until(() -> live.alerts("STRAP_TAMPER", "RAISED").size() == 1);
            assertEquals(Long.toString(TestFleet.WATCH_NUMBER), live.alerts("STRAP_TAMPER", "RAISED").get(0).get("deviceNumber").asText());
        }
        assertTrue(running.journaledMessages().stream().allMatch(m -> m[0] == TestFleet.WATCH_DEVICE));
    }

    @Test
    void alarmInTheSameSecondAsALocationReportIsStoredAndRaisesItsAlert() throws Exception {
        try (LiveAlertClient live = new LiveAlertClient(running.server.httpPort(), RunningServer.LIVE_TOKEN);
             Socket socket = new Socket("127.0.0.1", running.server.port(Protocol.WATCH))) {
            await().atMost(Duration.ofSeconds(5)).until(() -> running.server.live().subscribers() == 1);
            socket.setSoTimeout(5_000);
            DeviceMessage msg = Fixes.fixAt(T0, 43.30, 76.90, 10);
            ByteBuf location = Unpooled.buffer();
            WatchEncoder.writeLocation(location, "3G", TestFleet.WATCH_NUMBER, "UD", msg.fix(0), 80, 0);
            send(socket, location);
            ByteBuf alarm = Unpooled.buffer();
            WatchEncoder.writeLocation(alarm, "3G", TestFleet.WATCH_NUMBER, "AL", msg.fix(0), 80, STATUS_REMOVED);
            send(socket, alarm);
            assertEquals("[3G*" + TestFleet.WATCH_NUMBER + "*0002*AL]", readFrame(socket.getInputStream()));
            await().atMost(Duration.ofSeconds(10)).until(() -> live.alerts("STRAP_TAMPER", "RAISED").size() == 1);
        }
        assertEquals(2, running.journaledMessages().size(), "the alarm is not a retransmission of the location report");
    }

    @Test
    void unregisteredWatchIsClosedWithoutAReply() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", running.server.port(Protocol.WATCH))) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write("[3G*9999999999*0002*LK]".getBytes(StandardCharsets.US_ASCII));
            assertEquals(-1, socket.getInputStream().read());
        }
        assertEquals(0, running.journaledMessages().size());
    }
}
