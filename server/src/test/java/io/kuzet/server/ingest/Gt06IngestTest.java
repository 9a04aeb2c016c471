package io.kuzet.server.ingest;

import io.kuzet.server.testing.Gt06Wire;
import static io.kuzet.server.testing.RunningServer.T0;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kuzet.protocol.DeviceMessage;
import io.kuzet.protocol.Fix;
import io.kuzet.protocol.gt06.Gt06Encoder;
import io.kuzet.server.journal.Protocol;
import io.kuzet.server.metrics.IngestMetrics;
import io.kuzet.server.testing.Fixes;
import io.kuzet.server.testing.LiveAlertClient;
import io.kuzet.server.testing.RunningServer;
import io.kuzet.server.testing.TestFleet;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A GT06 bracelet over TCP: registered IMEI only, acks as the device expects, removal alarm → tamper alert. */
class Gt06IngestTest {
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


    @Test
    void loginLocationAndRemovalAlarmReachTheOperatorAsAStrapTamperAlert() throws Exception {
        try (LiveAlertClient live = new LiveAlertClient(running.server.httpPort(), RunningServer.LIVE_TOKEN);
             Socket socket = new Socket("127.0.0.1", running.server.port(Protocol.GT06))) {
            await().atMost(Duration.ofSeconds(5)).until(() -> running.server.live().subscribers() == 1);
            socket.setSoTimeout(5_000);
            ByteBuf login = Unpooled.buffer();
            Gt06Encoder.writeLogin(login, TestFleet.GT06_IMEI, 1);
            socket.getOutputStream().write(Gt06Wire.bytes(login));
            byte[] loginAck = Gt06Wire.readReply(socket.getInputStream());
            assertEquals(0x01, loginAck[3], "login ack echoes the protocol number");

            DeviceMessage msg = Fixes.fixAt(T0, 43.30, 76.90, 10);
            Fix fix = msg.fix(0);
            ByteBuf location = Unpooled.buffer();
            Gt06Encoder.writeLocation0x12(location, fix, 2);
            socket.getOutputStream().write(Gt06Wire.bytes(location));
            assertEquals(0x12, Gt06Wire.readReply(socket.getInputStream())[3]);

            ByteBuf alarm = Unpooled.buffer();
            Gt06Encoder.writeAlarm0x16(alarm, fix, 0x18, 3);   // 0x18 = removal (strap cut / taken off)
            socket.getOutputStream().write(Gt06Wire.bytes(alarm));
            assertEquals(0x16, Gt06Wire.readReply(socket.getInputStream())[3]);

            await().atMost(Duration.ofSeconds(10)).until(() -> live.alerts("STRAP_TAMPER", "RAISED").size() == 1);
            JsonNode alert = live.alerts("STRAP_TAMPER", "RAISED").get(0);
            assertEquals("CRITICAL", alert.get("severity").asText());
            assertEquals(Long.toString(TestFleet.SUBJECT), alert.get("subjectId").asText());
            assertEquals(Long.toString(TestFleet.GT06_IMEI), alert.get("deviceNumber").asText());
        }
        List<long[]> journaled = running.journaledMessages();
        assertEquals(2, journaled.size(), "location and alarm journaled, the login is session state");
        assertTrue(journaled.stream().allMatch(m -> m[0] == TestFleet.GT06_DEVICE));
    }

    @Test
    void unregisteredImeiIsRefusedClosedAndCounted() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", running.server.port(Protocol.GT06))) {
            socket.setSoTimeout(5_000);
            ByteBuf login = Unpooled.buffer();
            Gt06Encoder.writeLogin(login, 359_000_000_000_001L, 1);
            socket.getOutputStream().write(Gt06Wire.bytes(login));
            assertEquals(-1, socket.getInputStream().read());
        }
        assertEquals(1.0, running.server.ingestMetrics().loginsRefused(Protocol.GT06, IngestMetrics.LoginRefusal.UNKNOWN_DEVICE));
        assertArrayEquals(new long[0], running.journaledMessages().stream().mapToLong(m -> m[0]).toArray());
    }
}
