package io.kuzet.server.ingest;

import static io.kuzet.server.testing.RunningServer.T0;
import static io.kuzet.server.testing.Fixes.fixAt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kuzet.protocol.DecodeError;
import io.kuzet.protocol.kuzet.KuzetMessageType;
import io.kuzet.server.journal.Protocol;
import io.kuzet.server.metrics.IngestMetrics;
import io.kuzet.server.testing.KuzetTestClient;
import io.kuzet.server.testing.RunningServer;
import io.kuzet.server.testing.TestFleet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KuzetIngestTest {
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

    private int port() {
        return running.server.port(Protocol.KUZET);
    }

    @Test
    void loggedInDevicePositionsAreJournaledAndAckedCumulatively() throws Exception {
        try (KuzetTestClient device = new KuzetTestClient(port())) {
            KuzetTestClient.Reply login = device.login(TestFleet.KUZET_NUMBER, TestFleet.KUZET_KEY);
            assertEquals(KuzetMessageType.LOGIN_RESULT, login.type);
            assertEquals(0, login.status);
            assertEquals(0, login.value, "nothing stored yet");
            assertEquals(60, login.reportingIntervalS, "a medium-risk order reports every minute");
            for (int i = 0; i < 5; i++) {
                long seq = device.sendPositions(fixAt(T0 + i * 60_000L, 43.30, 76.90, 8));
                KuzetTestClient.Reply ack = device.read();
                assertEquals(KuzetMessageType.ACK, ack.type);
                assertEquals(seq, ack.value);
            }
        }
        List<long[]> journaled = running.journaledMessages();
        assertEquals(5, journaled.size());
        for (int i = 0; i < 5; i++) {
            assertEquals(TestFleet.KUZET_DEVICE, journaled.get(i)[0]);
            assertEquals(i + 1, journaled.get(i)[1]);
        }
    }

    @Test
    void retransmittedMessagesAreAckedAgainButJournaledOnce() throws Exception {
        try (KuzetTestClient device = new KuzetTestClient(port())) {
            device.login(TestFleet.KUZET_NUMBER, TestFleet.KUZET_KEY);
            device.sendPositions(fixAt(T0, 43.30, 76.90, 8));
            device.sendPositions(fixAt(T0 + 60_000, 43.30, 76.90, 8));
            device.read();
            device.read();
        }
        try (KuzetTestClient device = new KuzetTestClient(port())) {
            KuzetTestClient.Reply login = device.login(TestFleet.KUZET_NUMBER, TestFleet.KUZET_KEY);
            assertEquals(2, login.value, "login reports the last stored sequence");
            device.startSequenceAt(1); // the device did not see the acks and replays its buffer
            device.sendPositions(fixAt(T0, 43.30, 76.90, 8));
            assertEquals(2, device.read().value, "a duplicate is acked with the last stored sequence");
            device.sendPositions(fixAt(T0 + 60_000, 43.30, 76.90, 8));
            assertEquals(2, device.read().value);
            device.sendPositions(fixAt(T0 + 120_000, 43.30, 76.90, 8));
            assertEquals(3, device.read().value);
        }
        assertEquals(3, running.journaledMessages().size());
        assertEquals(2.0, running.server.ingestMetrics().duplicates(Protocol.KUZET));
    }

    @Test
    void sequenceGapIsNackedAndNothingIsStoredUntilTheDeviceResends() throws Exception {
        try (KuzetTestClient device = new KuzetTestClient(port())) {
            device.login(TestFleet.KUZET_NUMBER, TestFleet.KUZET_KEY);
            device.sendPositions(fixAt(T0, 43.30, 76.90, 8));
            assertEquals(1, device.read().value);
            device.startSequenceAt(3);                        // 2 never arrived (a session's first message may resync: protocol.md §4)
            device.sendPositions(fixAt(T0 + 60_000, 43.30, 76.90, 8));
            KuzetTestClient.Reply nack = device.read();
            assertEquals(KuzetMessageType.NACK, nack.type);
            assertEquals(18, nack.status, "SEQUENCE_GAP");
            assertEquals(3, nack.value);
            device.startSequenceAt(2);
            device.sendPositions(fixAt(T0 + 30_000, 43.30, 76.90, 8));
            assertEquals(2, device.read().value);
        }
        assertEquals(2, running.journaledMessages().size());
    }

    @Test
    void invalidCoordinateIsNackedThenConsumedSoTheNextMessageIsStillStored() throws Exception {
        try (KuzetTestClient device = new KuzetTestClient(port())) {
            device.login(TestFleet.KUZET_NUMBER, TestFleet.KUZET_KEY);
            io.kuzet.protocol.DeviceMessage bad = fixAt(T0, 43.30, 76.90, 8);
            bad.fix(0).latE7 = 950_000_000;                   // 95 degrees north
            long badSeq = device.sendPositions(bad);
            KuzetTestClient.Reply nack = device.read();
            assertEquals(KuzetMessageType.NACK, nack.type);
            assertEquals(8, nack.status, "COORDINATE_OUT_OF_RANGE");
            assertEquals(badSeq, nack.value);
            KuzetTestClient.Reply ack = device.read();
            assertEquals(KuzetMessageType.ACK, ack.type, "resending would not help, so the message is consumed");
            assertEquals(badSeq, ack.value);
            long next = device.sendPositions(fixAt(T0 + 60_000, 43.30, 76.90, 8));
            assertEquals(next, device.read().value);
        }
        assertEquals(1, running.journaledMessages().size(), "only the valid message carries data");
        assertEquals(1.0, running.server.ingestMetrics().decodeErrors(Protocol.KUZET, DecodeError.COORDINATE_OUT_OF_RANGE));
    }

    @Test
    void wrongHmacIsRefusedWithLoginResultClosedAndCounted() throws Exception {
        try (KuzetTestClient device = new KuzetTestClient(port())) {
            KuzetTestClient.Reply login = device.login(TestFleet.KUZET_NUMBER, "not-the-key".getBytes(StandardCharsets.UTF_8));
            assertEquals(KuzetMessageType.LOGIN_RESULT, login.type);
            assertEquals(2, login.status, "AUTH_FAILED");
            assertTrue(device.closedByServer());
        }
        assertEquals(1.0, running.server.ingestMetrics().loginsRefused(Protocol.KUZET, IngestMetrics.LoginRefusal.BAD_HMAC));
        assertEquals(0, running.journaledMessages().size());
    }

    @Test
    void unknownDeviceIsRefusedAndNothingIsJournaled() throws Exception {
        try (KuzetTestClient device = new KuzetTestClient(port())) {
            KuzetTestClient.Reply login = device.login(999_999L, TestFleet.KUZET_KEY);
            assertEquals(2, login.status, "AUTH_FAILED, the same answer as a bad HMAC (no enumeration)");
            assertTrue(device.closedByServer());
        }
        assertEquals(1.0, running.server.ingestMetrics().loginsRefused(Protocol.KUZET, IngestMetrics.LoginRefusal.UNKNOWN_DEVICE));
    }

    @Test
    void dataBeforeLoginGetsNotLoggedInNackAndClose() throws Exception {
        try (KuzetTestClient device = new KuzetTestClient(port())) {
            device.sendPositions(fixAt(T0, 43.30, 76.90, 8));
            KuzetTestClient.Reply nack = device.read();
            assertEquals(KuzetMessageType.NACK, nack.type);
            assertEquals(16, nack.status, "NOT_LOGGED_IN");
            assertTrue(device.closedByServer());
        }
        assertEquals(0, running.journaledMessages().size());
    }

    @Test
    void garbageBetweenFramesIsCountedAndTheNextGoodFrameIsStillAcked() throws Exception {
        try (KuzetTestClient device = new KuzetTestClient(port())) {
            device.login(TestFleet.KUZET_NUMBER, TestFleet.KUZET_KEY);
            device.sendRaw("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            KuzetTestClient.Reply nack = device.read();
            assertEquals(KuzetMessageType.NACK, nack.type);
            long seq = device.sendPositions(fixAt(T0, 43.30, 76.90, 8));
            KuzetTestClient.Reply ack = device.read();
            assertEquals(KuzetMessageType.ACK, ack.type);
            assertEquals(seq, ack.value);
        }
        assertTrue(running.server.ingestMetrics().decodeErrors(Protocol.KUZET, DecodeError.BAD_FRAMING) >= 1);
        assertEquals(1, running.journaledMessages().size());
    }

    @Test
    void oversizedFrameIsRefusedAndTheConnectionClosed() throws Exception {
        try (KuzetTestClient device = new KuzetTestClient(port())) {
            device.login(TestFleet.KUZET_NUMBER, TestFleet.KUZET_KEY);
            byte[] header = {0x4B, 0x5A, 1, 0x10, (byte) 0xFF, (byte) 0xFF, 0, 0, 0, 9};
            device.sendRaw(header);
            KuzetTestClient.Reply nack = device.read();
            assertEquals(KuzetMessageType.NACK, nack.type);
            assertTrue(device.closedByServer());
        }
        assertEquals(1.0, running.server.ingestMetrics().decodeErrors(Protocol.KUZET, DecodeError.OVERSIZED));
    }
}
