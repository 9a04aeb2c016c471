package io.kuzet.server.ingest;

import static io.kuzet.server.testing.Fixes.fixAt;
import static io.kuzet.server.testing.RunningServer.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kuzet.protocol.kuzet.KuzetEncoder;
import io.kuzet.protocol.kuzet.KuzetMessageType;
import io.kuzet.protocol.kuzet.KuzetNackReason;
import io.kuzet.server.journal.Protocol;
import io.kuzet.server.testing.KuzetTestClient;
import io.kuzet.server.testing.RunningServer;
import io.kuzet.server.testing.TestFleet;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Kuzet device whose sequence is ahead of what the server knows (journal retention, journal loss, a restored backup)
 * is resynchronised on the first message of its session instead of being refused forever (protocol.md §4).
 */
class DeviceAheadOfServerTest {
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

    private KuzetTestClient loggedIn(long expectedLastStored) throws Exception {
        KuzetTestClient device = new KuzetTestClient(running.server.port(Protocol.KUZET));
        KuzetTestClient.Reply login = device.login(TestFleet.KUZET_NUMBER, TestFleet.KUZET_KEY);
        assertEquals(0, login.status);
        assertEquals(expectedLastStored, login.value, "lastStoredSequence");
        return device;
    }

    @Test
    void deviceAheadOfTheServerIsAcceptedAndResynchronisedOnItsFirstMessage() throws Exception {
        try (KuzetTestClient device = loggedIn(0).startSequenceAt(51)) {
            device.sendPositions(fixAt(T0, 43.30, 76.90, 8));
            KuzetTestClient.Reply ack = device.read();
            assertEquals(KuzetMessageType.ACK, ack.type, ack.toString());
            assertEquals(51, ack.value);
            device.sendPositions(fixAt(T0 + 30_000, 43.30, 76.90, 8));
            assertEquals(52, device.read().value);
        }
        try (KuzetTestClient device = loggedIn(52).startSequenceAt(52)) {
            device.sendPositions(fixAt(T0 + 30_000, 43.30, 76.90, 8));   // a retransmission: acked, not stored again
            KuzetTestClient.Reply ack = device.read();
            assertEquals(KuzetMessageType.ACK, ack.type);
            assertEquals(52, ack.value);
        }
        assertEquals(2, running.journaledMessages().size());
        assertEquals(1.0, running.server.ingestMetrics().sequenceResyncs(Protocol.KUZET));
    }

    @Test
    void noResyncPastAFrameDamagedInTransit() throws Exception {
        try (KuzetTestClient device = loggedIn(0)) {
            ByteBuf damaged = Unpooled.buffer();
            KuzetEncoder.writePositionBatch(damaged, 51, fixAt(T0, 43.30, 76.90, 8));
            byte[] bytes = new byte[damaged.readableBytes()];
            damaged.readBytes(bytes);
            damaged.release();
            bytes[bytes.length - 1] ^= 1;                     // CRC broken in transit
            device.sendRaw(bytes);
            KuzetTestClient.Reply badCrc = device.read();
            assertEquals(KuzetMessageType.NACK, badCrc.type, badCrc.toString());
            assertEquals(KuzetNackReason.BAD_CRC.code(), badCrc.status);
            device.startSequenceAt(52).sendPositions(fixAt(T0 + 30_000, 43.30, 76.90, 8));
            KuzetTestClient.Reply gap = device.read();
            assertEquals(KuzetMessageType.NACK, gap.type, "52 must not be accepted while 51 is missing: " + gap);
            assertEquals(KuzetNackReason.SEQUENCE_GAP.code(), gap.status);
        }
        assertEquals(0, running.journaledMessages().size());
    }

    @Test
    void gapInsideASessionIsStillRefusedSoNoMessageIsSkipped() throws Exception {
        try (KuzetTestClient device = loggedIn(0)) {
            device.sendPositions(fixAt(T0, 43.30, 76.90, 8));
            assertEquals(1, device.read().value);
            device.startSequenceAt(3).sendPositions(fixAt(T0 + 60_000, 43.30, 76.90, 8));
            KuzetTestClient.Reply nack = device.read();
            assertEquals(KuzetMessageType.NACK, nack.type, nack.toString());
            assertEquals(KuzetNackReason.SEQUENCE_GAP.code(), nack.status);
        }
        assertEquals(1, running.journaledMessages().size());
    }
}
