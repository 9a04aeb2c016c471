package io.kuzet.server.api;

import static io.kuzet.server.testing.Fixes.addFix;
import static io.kuzet.server.testing.RunningServer.T0;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kuzet.protocol.DeviceMessage;
import io.kuzet.server.journal.Protocol;
import io.kuzet.server.testing.KuzetTestClient;
import io.kuzet.server.testing.LiveAlertClient;
import io.kuzet.server.testing.RunningServer;
import io.kuzet.server.testing.TestFleet;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live-stream subscriber that falls behind (a console busy for a moment, a slow link) during a burst of alerts keeps
 * its stream and gets every alert, up to a bounded backlog per subscriber ({@code http.liveBacklogBytes}); one that
 * stops reading for good is disconnected once that backlog is full, so a dead console cannot hold the server's memory.
 * Found on main: the hub disconnected a subscriber as soon as Netty held 64 KiB for it, so the load test's alert stream
 * (and an operator's console during a mass event) was cut after its first second.
 */
class LiveStreamBacklogTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The walk of one cycle: 4 fixes 80 m inside the exclusion zone, 8 outside, 15 s apart; each cycle opens and clears. */
    private static final int CYCLE = 12;
    private static final int INSIDE = 4;
    private static final int CYCLES_PER_MESSAGE = 5;

    @TempDir
    Path dataDir;
    RunningServer running;
    final List<AutoCloseable> clients = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : clients) {
            c.close();
        }
        running.close();
    }

    private void start(Consumer<io.kuzet.server.config.ServerConfig> customise) throws Exception {
        running = new RunningServer(dataDir, TestFleet.registry(86_400), customise);
    }

    @Test
    void anOperatorWhoFallsBehindDuringABurstOfAlertsStillGetsEveryAlertInOrder() throws Exception {
        start(c -> { });
        LiveAlertClient keepingUp = new LiveAlertClient(running.server.httpPort(), RunningServer.LIVE_TOKEN);
        clients.add(keepingUp);
        RawLiveSubscriber busy = RawLiveSubscriber.open(running.server.httpPort(), RunningServer.LIVE_TOKEN);
        clients.add(busy);
        await().atMost(Duration.ofSeconds(5)).until(() -> running.server.live().subscribers() == 2);

        int cycles = 1_000;
        walkInAndOut(cycles);
        await().atMost(Duration.ofSeconds(30)).until(() -> keepingUp.alerts("EXCLUSION_VIOLATION", "CLEARED").size() == cycles);
        assertEquals(cycles, keepingUp.alerts("EXCLUSION_VIOLATION", "RAISED").size());

        // the busy console comes back to its stream only now: everything sent meanwhile waited for it
        List<JsonNode> caughtUp = busy.readUntil(keepingUp.alerts().size(), Duration.ofSeconds(30));
        assertEquals(ids(keepingUp.alerts()), ids(caughtUp), "the busy console got every alert transition, in order");
        assertTrue(busy.bytesRead() > 1024 * 1024, "the burst was larger than what sockets buffer: " + busy.bytesRead());
        assertEquals(2, running.server.live().subscribers(), "both streams are still open");
        assertEquals(0.0, slowDisconnects());
    }

    @Test
    void aSubscriberThatStopsReadingIsDisconnectedOnceItsBacklogIsFullAndOthersKeepTheirAlerts() throws Exception {
        start(c -> c.http.liveBacklogBytes = 1024 * 1024);
        LiveAlertClient keepingUp = new LiveAlertClient(running.server.httpPort(), RunningServer.LIVE_TOKEN);
        clients.add(keepingUp);
        RawLiveSubscriber dead = RawLiveSubscriber.open(running.server.httpPort(), RunningServer.LIVE_TOKEN);
        clients.add(dead);
        await().atMost(Duration.ofSeconds(5)).until(() -> running.server.live().subscribers() == 2);

        int cycles = 2_000;   // about 3 MB: more than the backlog allowed plus what the kernel buffers
        // the other operator reads at its own pace: each message waits until it has what came before, so only the
        // client that stopped reading falls behind (a burst faster than any client reads would cut both, correctly)
        walkInAndOut(cycles, sent -> await().atMost(Duration.ofSeconds(10))
                .until(() -> keepingUp.alerts("EXCLUSION_VIOLATION", "CLEARED").size() >= sent));
        await().atMost(Duration.ofSeconds(30)).until(() -> keepingUp.alerts("EXCLUSION_VIOLATION", "CLEARED").size() == cycles);

        await().atMost(Duration.ofSeconds(10)).until(() -> running.server.live().subscribers() == 1);
        assertEquals(1.0, slowDisconnects(), "counted on /metrics");
        assertTrue(dead.readToEnd(Duration.ofSeconds(10)), "the server closed the stream that stopped reading");
        assertEquals(cycles, keepingUp.alerts("EXCLUSION_VIOLATION", "RAISED").size(), "the other operator missed nothing");
    }

    private double slowDisconnects() {
        var counter = running.server.meters().find("kuzet_live_slow_subscribers_disconnected_total").counter();
        return counter == null ? -1 : counter.count();
    }

    /**
     * One bracelet walks into the exclusion zone and out again {@code cycles} times (a multiple of
     * {@value #CYCLES_PER_MESSAGE}), {@value #CYCLES_PER_MESSAGE} cycles per message: about 1.5 KB of live stream a cycle.
     */
    private void walkInAndOut(int cycles) throws Exception {
        walkInAndOut(cycles, sent -> { });
    }

    /** As {@link #walkInAndOut(int)}, calling {@code afterEach} with the cycles sent so far after each acked message. */
    private void walkInAndOut(int cycles, java.util.function.IntConsumer afterEach) throws Exception {
        long end = T0 + (long) cycles * CYCLE * 15_000L;
        running.clock.set(end);
        try (KuzetTestClient device = new KuzetTestClient(running.server.port(Protocol.KUZET))) {
            assertEquals(0, device.login(TestFleet.KUZET_NUMBER, TestFleet.KUZET_KEY).status);
            DeviceMessage batch = new DeviceMessage();
            long k = 0;
            for (int c = 0; c < cycles; c += CYCLES_PER_MESSAGE) {
                batch.clear();
                for (int i = 0; i < CYCLE * CYCLES_PER_MESSAGE; i++, k++) {
                    double north = i % CYCLE < INSIDE ? 80 : 1000;
                    addFix(batch, T0 + k * 15_000L, TestFleet.latNorthOfCentre(north), TestFleet.ZONE_LON, 6);
                }
                device.sendPositions(batch);
                device.read();
                afterEach.accept(c + CYCLES_PER_MESSAGE);
            }
        }
    }

    private static List<String> ids(List<JsonNode> messages) {
        return messages.stream().map(m -> m.path("alertId").asText() + "/" + m.path("phase").asText()).toList();
    }

    /**
     * A WebSocket subscriber on a plain socket with a small receive buffer that reads only when told to: a console
     * that is busy, or gone without closing.
     */
    private static final class RawLiveSubscriber implements AutoCloseable {
        private final Socket socket;
        private final DataInputStream in;
        private long bytesRead;

        private RawLiveSubscriber(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new DataInputStream(socket.getInputStream());
        }

        static RawLiveSubscriber open(int port, String token) throws IOException {
            Socket socket = new Socket();
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /api/v1/live?kinds=alert HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Protocol: kuzet.v1, kuzet.token." + token + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new EOFException("closed during the handshake: " + head);
                }
                head.append((char) b);
            }
            if (!head.toString().startsWith("HTTP/1.1 101")) {
                throw new IOException("handshake refused: " + head);
            }
            return new RawLiveSubscriber(socket);
        }

        long bytesRead() {
            return bytesRead;
        }

        /** Reads text messages until {@code count} were read (pings and other frames skipped). */
        List<JsonNode> readUntil(int count, Duration timeout) throws IOException {
            socket.setSoTimeout((int) timeout.toMillis());
            List<JsonNode> messages = new ArrayList<>();
            ByteArrayOutputStream text = new ByteArrayOutputStream();
            while (messages.size() < count) {
                int b0 = in.readUnsignedByte();
                int opcode = b0 & 0x0F;
                byte[] payload = payload();
                if (opcode == 0x8) {
                    throw new EOFException("closed by the server after " + messages.size() + " messages");
                }
                if (opcode == 0x1 || opcode == 0x0) {
                    text.write(payload);
                    if ((b0 & 0x80) != 0) {
                        messages.add(JSON.readTree(text.toString(StandardCharsets.UTF_8)));
                        text.reset();
                    }
                }
            }
            return messages;
        }

        /** Reads until the server closes the stream (a close frame or the end of the connection); false on timeout. */
        boolean readToEnd(Duration timeout) throws IOException {
            socket.setSoTimeout((int) timeout.toMillis());
            try {
                while (true) {
                    int b0 = in.readUnsignedByte();
                    payload();
                    if ((b0 & 0x0F) == 0x8) {
                        return true;
                    }
                }
            } catch (EOFException | java.net.SocketException closed) {
                return true;
            } catch (SocketTimeoutException stillOpen) {
                return false;
            }
        }

        private byte[] payload() throws IOException {
            int b1 = in.readUnsignedByte();
            long length = b1 & 0x7F;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] payload = new byte[(int) length];
            in.readFully(payload);
            bytesRead += 2 + length;
            return payload;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
