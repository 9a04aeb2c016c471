package io.kuzet.server.ingest;

import io.kuzet.server.testing.Gt06Wire;
import static io.kuzet.server.testing.Fixes.fixAt;
import static io.kuzet.server.testing.RunningServer.T0;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kuzet.protocol.DeviceMessage;
import io.kuzet.protocol.gt06.Gt06Encoder;
import io.kuzet.protocol.kuzet.KuzetMessageType;
import io.kuzet.protocol.watch.WatchEncoder;
import io.kuzet.server.config.ServerConfig;
import io.kuzet.server.journal.FsyncGroupCommit;
import io.kuzet.server.journal.JournalFailStop;
import io.kuzet.server.journal.Protocol;
import io.kuzet.server.testing.KuzetTestClient;
import io.kuzet.server.testing.RunningServer;
import io.kuzet.server.testing.TestFleet;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code journal.durability=fsync}: no reply that tells a device "stored" (ack, re-ack of a duplicate, LOGIN_RESULT's
 * last sequence, GT06 and Watch replies) leaves before the journal is forced, and a failed force stops the server.
 * The force is replaced by one that blocks until the test releases it, or fails.
 */
class FsyncAckReleaseTest {
    /** How long a reply that must not come is waited for. */
    private static final int SILENCE_MS = 400;

    @TempDir
    Path dataDir;
    RunningServer running;
    final ForceGate gate = new ForceGate();
    final List<Integer> exits = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws InterruptedException {
        running = new RunningServer(dataDir, TestFleet.registry(900), c -> c.journal.durability = ServerConfig.Durability.FSYNC,
                options -> options.withJournalFaults(gate, exits::add));
    }

    @AfterEach
    void stop() {
        gate.open();
        running.close();
    }

    @Test
    void reAckOfADuplicateWaitsForTheForce() throws Exception {
        try (KuzetTestClient device = new KuzetTestClient(running.server.port(Protocol.KUZET))) {
            device.login(TestFleet.KUZET_NUMBER, TestFleet.KUZET_KEY);
            device.sendPositions(fixAt(T0, 43.30, 76.90, 8));
            assertEquals(1, device.read().value);

            gate.close();
            device.startSequenceAt(1).sendPositions(fixAt(T0, 43.30, 76.90, 8));   // retransmission of 1
            await().atMost(Duration.ofSeconds(5)).until(() -> running.server.ingestMetrics().duplicates(Protocol.KUZET) == 1);
            assertTrue(device.silentFor(SILENCE_MS), "a reply arrived before the force");

            gate.open();
            KuzetTestClient.Reply reAck = device.read();
            assertEquals(KuzetMessageType.ACK, reAck.type);
            assertEquals(1, reAck.value);
        }
    }

    @Test
    void loginResultReportsTheLastSequenceOnlyOnceItIsForced() throws Exception {
        try (KuzetTestClient first = new KuzetTestClient(running.server.port(Protocol.KUZET))) {
            first.login(TestFleet.KUZET_NUMBER, TestFleet.KUZET_KEY);
            first.sendPositions(fixAt(T0, 43.30, 76.90, 8));
            assertEquals(1, first.read().value);
            gate.close();
            long appended = running.server.journal().appendsSinceOpen();
            first.sendPositions(fixAt(T0 + 60_000, 43.30, 76.90, 8));   // appended, not forced, not acked
            await().atMost(Duration.ofSeconds(5)).until(() -> running.server.journal().appendsSinceOpen() > appended);

            // the device reconnects (the old connection is replaced) and asks what is stored
            try (KuzetTestClient second = new KuzetTestClient(running.server.port(Protocol.KUZET))) {
                CompletableFuture<KuzetTestClient.Reply> login = CompletableFuture.supplyAsync(() -> {
                    try {
                        return second.login(TestFleet.KUZET_NUMBER, TestFleet.KUZET_KEY);
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                });
                assertThrows(TimeoutException.class, () -> login.get(SILENCE_MS, TimeUnit.MILLISECONDS),
                        "LOGIN_RESULT sent before the force");
                gate.open();
                KuzetTestClient.Reply result = login.get(10, TimeUnit.SECONDS);
                assertEquals(KuzetMessageType.LOGIN_RESULT, result.type);
                assertEquals(0, result.status);
                assertEquals(2, result.value, "sequence 2 is reported once it is on disk");
            }
        }
    }

    @Test
    void gt06ReplyToARetransmissionWaitsForTheForce() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", running.server.port(Protocol.GT06))) {
            socket.setSoTimeout(10_000);
            ByteBuf login = Unpooled.buffer();
            Gt06Encoder.writeLogin(login, TestFleet.GT06_IMEI, 1);
            send(socket, login);
            assertEquals(0x01, Gt06Wire.readReply(socket.getInputStream())[3]);
            DeviceMessage msg = fixAt(T0, 43.30, 76.90, 10);
            ByteBuf location = Unpooled.buffer();
            Gt06Encoder.writeLocation0x12(location, msg.fix(0), 2);
            byte[] frame = Gt06Wire.bytes(location);
            socket.getOutputStream().write(frame);
            byte[] first = Gt06Wire.readReply(socket.getInputStream());

            gate.close();
            socket.getOutputStream().write(frame);   // the device did not see the reply and resends
            await().atMost(Duration.ofSeconds(5)).until(() -> running.server.ingestMetrics().duplicates(Protocol.GT06) == 1);
            assertSilent(socket);

            gate.open();
            assertArrayEquals(first, Gt06Wire.readReply(socket.getInputStream()));
        }
    }

    @Test
    void watchAlarmReplyWaitsForTheForce() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", running.server.port(Protocol.WATCH))) {
            socket.setSoTimeout(10_000);
            ByteBuf heartbeat = Unpooled.buffer();
            WatchEncoder.writeHeartbeat(heartbeat, "3G", TestFleet.WATCH_NUMBER, 80);
            send(socket, heartbeat);
            readWatchFrame(socket.getInputStream());

            gate.close();
            long appended = running.server.journal().appendsSinceOpen();
            ByteBuf alarm = Unpooled.buffer();
            WatchEncoder.writeLocation(alarm, "3G", TestFleet.WATCH_NUMBER, "AL", fixAt(T0, 43.30, 76.90, 10).fix(0), 80, 1);
            send(socket, alarm);
            await().atMost(Duration.ofSeconds(5)).until(() -> running.server.journal().appendsSinceOpen() > appended);
            assertSilent(socket);

            gate.open();
            assertEquals("[3G*" + TestFleet.WATCH_NUMBER + "*0002*AL]", readWatchFrame(socket.getInputStream()));
        }
    }

    @Test
    void failedForceStopsEveryAckMarksNotReadyAndExitsForARestart() throws Exception {
        try (KuzetTestClient device = new KuzetTestClient(running.server.port(Protocol.KUZET))) {
            device.login(TestFleet.KUZET_NUMBER, TestFleet.KUZET_KEY);
            device.sendPositions(fixAt(T0, 43.30, 76.90, 8));
            assertEquals(1, device.read().value);
            assertEquals(200, ready().statusCode());

            gate.fail = true;
            device.sendPositions(fixAt(T0 + 60_000, 43.30, 76.90, 8));
            await().atMost(Duration.ofSeconds(5)).until(() -> exits.equals(List.of(JournalFailStop.EXIT_CODE)));
            HttpResponse<String> ready = ready();
            assertEquals(503, ready.statusCode(), ready.body());

            // a later force "succeeds" (Linux marked the failed pages clean): still nothing is acked
            gate.fail = false;
            device.sendPositions(fixAt(T0 + 120_000, 43.30, 76.90, 8));
            device.startSequenceAt(1).sendPositions(fixAt(T0, 43.30, 76.90, 8));   // duplicate of 1
            await().atMost(Duration.ofSeconds(5)).until(() -> running.server.ingestMetrics().duplicates(Protocol.KUZET) == 1);
            assertTrue(device.silentFor(SILENCE_MS), "a reply arrived before the force");
            assertEquals(List.of(JournalFailStop.EXIT_CODE), exits, "the exit is requested once");
        }
    }

    private HttpResponse<String> ready() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + running.server.httpPort() + "/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** No byte of a reply arrives on {@code socket} while the force is held back. */
    private static void assertSilent(Socket socket) throws IOException {
        int timeout = socket.getSoTimeout();
        socket.setSoTimeout(SILENCE_MS);
        try {
            assertThrows(SocketTimeoutException.class, () -> socket.getInputStream().read(), "a reply arrived before the force");
        } finally {
            socket.setSoTimeout(timeout);
        }
    }

    private static void send(Socket socket, ByteBuf buf) throws IOException {
        socket.getOutputStream().write(Gt06Wire.bytes(buf));
        socket.getOutputStream().flush();
    }

    private static String readWatchFrame(InputStream in) throws IOException {
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

    /** A force that the test can hold back (blocks until opened) or make fail. */
    static final class ForceGate implements FsyncGroupCommit.Forcer {
        private volatile CountDownLatch latch = new CountDownLatch(0);
        volatile boolean fail;

        void close() {
            latch = new CountDownLatch(1);
        }

        void open() {
            latch.countDown();
        }

        @Override
        public void force(FileChannel channel, Path path) throws IOException {
            if (fail) {
                throw new IOException("injected fdatasync failure (EIO)");
            }
            try {
                if (!latch.await(30, TimeUnit.SECONDS)) {
                    throw new IOException("test gate never opened");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            channel.force(false);
        }
    }
}
