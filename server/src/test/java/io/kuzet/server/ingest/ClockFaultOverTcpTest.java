package io.kuzet.server.ingest;

import static io.kuzet.server.testing.Fixes.fixAt;
import static io.kuzet.server.testing.RunningServer.T0;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kuzet.protocol.DeviceMessage;
import io.kuzet.protocol.gt06.Gt06Encoder;
import io.kuzet.protocol.kuzet.KuzetMessageType;
import io.kuzet.server.journal.Protocol;
import io.kuzet.server.testing.KuzetTestClient;
import io.kuzet.server.testing.LiveAlertClient;
import io.kuzet.server.testing.RunningServer;
import io.kuzet.server.testing.TestFleet;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A device whose clock jumps (a fix dated 2099) must not blind geofencing: the faulty fix is kept as evidence but never
 * evaluated, the device is acked as usual, and a clock that stays wrong raises a CLOCK_FAULT alert.
 */
class ClockFaultOverTcpTest {
    private static final long YEAR_2099 = Instant.parse("2099-06-01T12:00:00Z").toEpochMilli();

    @TempDir
    Path dataDir;
    RunningServer running;
    LiveAlertClient live;

    @BeforeEach
    void start() throws Exception {
        running = new RunningServer(dataDir, TestFleet.registry(900));
        live = new LiveAlertClient(running.server.httpPort(), RunningServer.LIVE_TOKEN);
        await().atMost(Duration.ofSeconds(5)).until(() -> running.server.live().subscribers() == 1);
    }

    @AfterEach
    void stop() {
        live.close();
        running.close();
    }

    @Test
    void futureDatedGt06FixDoesNotBlindExclusionZoneEvaluation() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", running.server.port(Protocol.GT06))) {
            socket.setSoTimeout(5_000);
            ByteBuf login = Unpooled.buffer();
            Gt06Encoder.writeLogin(login, TestFleet.GT06_IMEI, 1);
            send(socket, login);
            readGt06Reply(socket);

            ByteBuf future = Unpooled.buffer();
            Gt06Encoder.writeLocation0x12(future, fixAt(YEAR_2099, 43.30, 76.90, 10).fix(0), 2);
            send(socket, future);
            assertEquals(0x12, readGt06Reply(socket)[3], "the faulty fix is acked so the device frees its buffer");

            for (int i = 0; i < 6; i++) {
                long t = T0 + i * 10_000L;
                running.clock.set(t);
                ByteBuf inside = Unpooled.buffer();
                Gt06Encoder.writeLocation0x12(inside, fixAt(t, TestFleet.latNorthOfCentre(50), TestFleet.ZONE_LON, 5).fix(0), 3 + i);
                send(socket, inside);
                readGt06Reply(socket);
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> live.alerts("EXCLUSION_VIOLATION", "RAISED").size() == 1);
        JsonNode alert = live.alerts("EXCLUSION_VIOLATION", "RAISED").get(0);
        assertFalse(alert.get("late").asBoolean(), "a live violation, not a one-shot late alert: " + alert);
        assertEquals(1.0, running.server.ingestMetrics().clockFaultFixes(Protocol.GT06));
    }

    @Test
    void futureDatedKuzetFixDoesNotBlindExclusionZoneEvaluation() throws Exception {
        try (KuzetTestClient device = new KuzetTestClient(running.server.port(Protocol.KUZET))) {
            assertEquals(0, device.login(TestFleet.KUZET_NUMBER, TestFleet.KUZET_KEY).status);
            long faulty = device.sendPositions(fixAt(YEAR_2099, 43.30, 76.90, 10));
            KuzetTestClient.Reply ack = device.read();
            assertEquals(KuzetMessageType.ACK, ack.type, "acked, not refused: " + ack);
            assertEquals(faulty, ack.value);
            for (int i = 0; i < 6; i++) {
                long t = T0 + i * 10_000L;
                running.clock.set(t);
                device.sendPositions(fixAt(t, TestFleet.latNorthOfCentre(50), TestFleet.ZONE_LON, 5));
                assertEquals(KuzetMessageType.ACK, device.read().type);
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> live.alerts("EXCLUSION_VIOLATION", "RAISED").size() == 1);
        assertFalse(live.alerts("EXCLUSION_VIOLATION", "RAISED").get(0).get("late").asBoolean());
        assertEquals(7, running.journaledMessages().size(), "the faulty fix is journaled as evidence");
    }

    @Test
    void clockThatStaysWrongRaisesAClockFaultAlertThatClearsWhenTheClockIsRight() throws Exception {
        try (KuzetTestClient device = new KuzetTestClient(running.server.port(Protocol.KUZET))) {
            assertEquals(0, device.login(TestFleet.KUZET_NUMBER, TestFleet.KUZET_KEY).status);
            int faultyFixes = running.config.core.clockFaultAlertFixes;
            for (int i = 0; i < faultyFixes; i++) {
                running.clock.set(T0 + i * 30_000L);
                device.sendPositions(fixAt(YEAR_2099 + i * 30_000L, 43.30, 76.90, 10));
                assertEquals(KuzetMessageType.ACK, device.read().type);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> live.alerts("CLOCK_FAULT", "RAISED").size() == 1);
            JsonNode alert = live.alerts("CLOCK_FAULT", "RAISED").get(0);
            String explanation = alert.get("explanation").asText();
            assertTrue(explanation.startsWith("Device clock wrong: " + faultyFixes + " fixes in a row"), explanation);
            assertTrue(explanation.contains("2099-06-01"), explanation);
            assertEquals("MEDIUM", alert.get("severity").asText());

            running.clock.set(T0 + 600_000);
            device.sendPositions(fixAt(T0 + 600_000, 43.30, 76.90, 10));
            assertEquals(KuzetMessageType.ACK, device.read().type);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> live.alerts("CLOCK_FAULT", "CLEARED").size() == 1);
        assertEquals(1, live.alerts("CLOCK_FAULT", "RAISED").size());
        DeviceIngestState state = running.server.deviceLedger().stateFor(TestFleet.KUZET_DEVICE);
        assertEquals(running.config.core.clockFaultAlertFixes, state.clockFaultFixes());
    }

    @Test
    void fixOlderThanTheAgeLimitIsCountedAsAClockFault() throws Exception {
        running.clock.set(T0 + (running.config.limits.maxFixAgeDays + 1) * 86_400_000L);
        try (KuzetTestClient device = new KuzetTestClient(running.server.port(Protocol.KUZET))) {
            assertEquals(0, device.login(TestFleet.KUZET_NUMBER, TestFleet.KUZET_KEY).status);
            DeviceMessage old = fixAt(T0, TestFleet.latNorthOfCentre(50), TestFleet.ZONE_LON, 5);
            device.sendPositions(old);
            assertEquals(KuzetMessageType.ACK, device.read().type);
        }
        assertEquals(1.0, running.server.ingestMetrics().clockFaultFixes(Protocol.KUZET));
    }

    private static void send(Socket socket, ByteBuf buf) throws Exception {
        byte[] b = new byte[buf.readableBytes()];
        buf.readBytes(b);
        buf.release();
        socket.getOutputStream().write(b);
    }

    private static byte[] readGt06Reply(Socket socket) throws Exception {
        DataInputStream data = new DataInputStream(socket.getInputStream());
        byte[] head = new byte[3];
        data.readFully(head);
        byte[] all = new byte[3 + (head[2] & 0xFF) + 2];
        System.arraycopy(head, 0, all, 0, 3);
        data.readFully(all, 3, all.length - 3);
        return all;
    }
}
