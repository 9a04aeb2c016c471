package io.kuzet.server.ingest;

import static io.kuzet.server.testing.Fixes.fixAt;
import static io.kuzet.server.testing.RunningServer.T0;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kuzet.protocol.kuzet.KuzetMessageType;
import io.kuzet.server.journal.Protocol;
import io.kuzet.server.metrics.IngestMetrics;
import io.kuzet.server.testing.KuzetTestClient;
import io.kuzet.server.testing.RunningServer;
import io.kuzet.server.testing.TestFleet;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile traffic over real sockets: the server stays up, a real device keeps working, the metrics count it all. */
class BadInputOverSocketsTest {
    @TempDir
    Path dataDir;
    RunningServer running;

    @BeforeEach
    void start() throws InterruptedException {
        running = new RunningServer(dataDir, TestFleet.registry(900), c -> {
            c.limits.handshakeTimeoutS = 3;   // short for the slowloris test, long enough for a real login on a loaded machine
            c.limits.maxConnectionsPerAddress = 200;
        });
    }

    @AfterEach
    void stop() {
        running.close();
    }

    private int kuzetPort() {
        return running.server.port(Protocol.KUZET);
    }

    private void aGoodDeviceStillGetsItsFixStoredAndAcked(long seqStart) throws Exception {
        try (KuzetTestClient device = new KuzetTestClient(kuzetPort())) {
            assertEquals(0, device.login(TestFleet.KUZET_NUMBER, TestFleet.KUZET_KEY).status);
            device.startSequenceAt(seqStart);
            long seq = device.sendPositions(fixAt(T0, 43.3, 76.9, 5));
            KuzetTestClient.Reply ack = device.read();
            assertEquals(KuzetMessageType.ACK, ack.type);
            assertEquals(seq, ack.value);
        }
    }

    @Test
    void slowSenderThatNeverLogsInIsCutAtTheHandshakeTimeout() throws Exception {
        try (Socket slow = new Socket("127.0.0.1", kuzetPort())) {
            OutputStream out = slow.getOutputStream();
            out.write(new byte[] {0x4B, 0x5A, 1});              // three bytes of a header, then nothing
            out.flush();
            slow.setSoTimeout(15_000);
            InputStream in = slow.getInputStream();
            assertEquals(-1, in.read(), "the server closes the connection");
        }
        assertEquals(1.0, running.server.ingestMetrics().connectionsRefused(Protocol.KUZET, IngestMetrics.ConnectionRefusal.HANDSHAKE_TIMEOUT));
        aGoodDeviceStillGetsItsFixStoredAndAcked(1);
    }

    @Test
    void aThousandConnectionsFromOneAddressAreCappedAndTheServerStaysUp() throws Exception {
        List<Socket> flood = new ArrayList<>();
        try {
            for (int i = 0; i < 1000; i++) {
                flood.add(new Socket("127.0.0.1", kuzetPort()));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> running.server.ingestMetrics()
                    .connectionsRefused(Protocol.KUZET, IngestMetrics.ConnectionRefusal.PER_ADDRESS_LIMIT) >= 800);
        } finally {
            for (Socket s : flood) {
                s.close();
            }
        }
        assertEquals(800.0, running.server.ingestMetrics().connectionsRefused(Protocol.KUZET, IngestMetrics.ConnectionRefusal.PER_ADDRESS_LIMIT));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> aGoodDeviceStillGetsItsFixStoredAndAcked(1));
    }

    @Test
    void randomBytesOnEveryPortNeverStopTheServerOrTouchAnotherDevicesData() throws Exception {
        ch.qos.logback.classic.Logger badInputLog = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
                "io.kuzet.server.ingest.BadInput");
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged = new ch.qos.logback.core.read.ListAppender<>();
        logged.start();
        badInputLog.addAppender(logged);
        Random random = new Random(42);
        for (int port : new int[] {kuzetPort(), running.server.port(Protocol.GT06), running.server.port(Protocol.WATCH)}) {
            for (int c = 0; c < 20; c++) {
                try (Socket garbage = new Socket("127.0.0.1", port)) {
                    byte[] bytes = new byte[1 + random.nextInt(8192)];
                    random.nextBytes(bytes);
                    garbage.getOutputStream().write(bytes);
                    garbage.getOutputStream().flush();
                } catch (java.io.IOException resetByServer) {
                    // closing on garbage is a valid answer
                }
            }
        }
        aGoodDeviceStillGetsItsFixStoredAndAcked(1);
        List<long[]> journaled = running.journaledMessages();
        assertEquals(1, journaled.size(), "only the real device's message is in the journal");
        assertEquals(TestFleet.KUZET_DEVICE, journaled.get(0)[0]);
        double decodeErrors = running.server.meters().find("kuzet_decode_errors").counters().stream().mapToDouble(c -> c.count()).sum();
        assertTrue(decodeErrors > 0, "garbage was counted as decode errors");
        badInputLog.detachAppender(logged);
        assertTrue(logged.list.stream().anyMatch(e -> e.getFormattedMessage().contains("refused frame from /127.0.0.1")),
                "each refusal says what and where");
        assertTrue(logged.list.stream().allMatch(e -> e.getThrowableProxy() == null), "no stack trace per bad frame");
        assertTrue(logged.list.size() < decodeErrors + 60, "logging is rate-limited: " + logged.list.size() + " lines");
    }
}
