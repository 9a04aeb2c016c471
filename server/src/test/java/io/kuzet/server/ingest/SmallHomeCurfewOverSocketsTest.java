package io.kuzet.server.ingest;

import static io.kuzet.server.testing.RunningServer.T0;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kuzet.protocol.Fix;
import io.kuzet.protocol.gt06.Gt06Encoder;
import io.kuzet.protocol.watch.WatchEncoder;
import io.kuzet.server.journal.Protocol;
import io.kuzet.server.testing.LiveAlertClient;
import io.kuzet.server.testing.RunningServer;
import io.kuzet.server.testing.TestFleet;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * IMEI-only devices that report no accuracy, a home 120 m across with a curfew: a night out opens one curfew
 * violation and coming home closes it, over real sockets. The accuracy used is estimated from the satellite count.
 */
class SmallHomeCurfewOverSocketsTest {
    private static final int SATELLITES = 5;          // estimated as 50 m: no fix can be certainly inside a 60 m radius
    private static final long STEP_MS = 30_000;

    @TempDir
    Path dataDir;
    RunningServer running;

    @BeforeEach
    void start() throws InterruptedException {
        running = new RunningServer(dataDir, TestFleet.registryWithHomeCurfew(3_600));
    }

    @AfterEach
    void stop() {
        running.close();
    }

    /** The n-th fix of the night: 10 fixes 600 m out, then home, a few metres off the centre. */
    private static Fix fix(int n) {
        Fix f = new Fix().clear();
        f.timeMs = T0 + n * STEP_MS;
        double metresNorth = n < 10 ? 600 : (n % 3 - 1) * 12;
        f.latE7 = (int) Math.round(TestFleet.latNorthOfHome(metresNorth) * 1e7);
        f.lonE7 = (int) Math.round(TestFleet.HOME_LON * 1e7);
        f.satellites = SATELLITES;
        f.flags = Fix.FLAG_VALID;
        return f;
    }

    private static void send(Socket socket, ByteBuf buf) throws IOException {
        byte[] b = new byte[buf.readableBytes()];
        buf.readBytes(b);
        buf.release();
        socket.getOutputStream().write(b);
        socket.getOutputStream().flush();
    }

    private static void readGt06Reply(DataInputStream in) throws IOException {
        byte[] head = new byte[3];
        in.readFully(head);
        in.readFully(new byte[(head[2] & 0xFF) + 2]);
    }

    private void assertOpenedAndClosed(LiveAlertClient live) {
        await().atMost(Duration.ofSeconds(10)).until(() -> live.alerts("CURFEW_VIOLATION", "CLEARED").size() == 1);
        assertEquals(1, live.alerts("CURFEW_VIOLATION", "RAISED").size());
        JsonNode raised = live.alerts("CURFEW_VIOLATION", "RAISED").get(0);
        assertEquals("ESTIMATED_SATELLITES", raised.get("details").get("accuracySource").asText(), raised.toString());
        assertEquals(50.0, raised.get("details").get("accuracyMetres").asDouble(), raised.toString());
        JsonNode cleared = live.alerts("CURFEW_VIOLATION", "CLEARED").get(0);
        assertTrue(cleared.get("explanation").asText().contains("back inside"), cleared.toString());
        assertEquals(raised.get("alertId").asText(), cleared.get("alertId").asText());
    }

    @Test
    void gt06DeviceOpensAndClosesACurfewViolationAtA120MetreHome() throws Exception {
        try (LiveAlertClient live = new LiveAlertClient(running.server.httpPort(), RunningServer.LIVE_TOKEN);
             Socket socket = new Socket("127.0.0.1", running.server.port(Protocol.GT06))) {
            await().atMost(Duration.ofSeconds(5)).until(() -> running.server.live().subscribers() == 1);
            socket.setSoTimeout(5_000);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            ByteBuf login = Unpooled.buffer();
            Gt06Encoder.writeLogin(login, TestFleet.GT06_IMEI, 1);
            send(socket, login);
            readGt06Reply(in);
            for (int n = 0; n < 30; n++) {
                Fix f = fix(n);
                running.clock.set(f.timeMs + 5_000);
                ByteBuf location = Unpooled.buffer();
                Gt06Encoder.writeLocation0x12(location, f, n + 2);
                send(socket, location);
                readGt06Reply(in);
            }
            assertOpenedAndClosed(live);
        }
    }

    @Test
    void watchDeviceOpensAndClosesACurfewViolationAtA120MetreHome() throws Exception {
        try (LiveAlertClient live = new LiveAlertClient(running.server.httpPort(), RunningServer.LIVE_TOKEN);
             Socket socket = new Socket("127.0.0.1", running.server.port(Protocol.WATCH))) {
            await().atMost(Duration.ofSeconds(5)).until(() -> running.server.live().subscribers() == 1);
            for (int n = 0; n < 30; n++) {
                Fix f = fix(n);
                running.clock.set(f.timeMs + 5_000);
                ByteBuf location = Unpooled.buffer();
                WatchEncoder.writeLocation(location, "3G", TestFleet.WATCH_NUMBER, f, false, 0);
                send(socket, location);
            }
            assertOpenedAndClosed(live);
        }
    }
}
