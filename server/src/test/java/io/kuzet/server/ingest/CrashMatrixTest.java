package io.kuzet.server.ingest;

import io.kuzet.server.testing.ChildJvm;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kuzet.protocol.DeviceMessage;
import io.kuzet.protocol.gt06.Gt06Encoder;
import io.kuzet.protocol.kuzet.KuzetMessageType;
import io.kuzet.protocol.watch.WatchEncoder;
import io.kuzet.server.alert.Alert;
import io.kuzet.server.alert.AlertJournal;
import io.kuzet.server.config.ServerConfig;
import io.kuzet.server.journal.IngestJournal;
import io.kuzet.server.journal.IngestReader;
import io.kuzet.server.journal.IngestRecord;
import io.kuzet.server.journal.ProcessDurability;
import io.kuzet.server.store.Database;
import io.kuzet.server.store.SharedPostgres;
import io.kuzet.server.testing.Fixes;
import io.kuzet.server.testing.KuzetTestClient;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The crash matrix: {Kuzet, GT06, Watch} x {process, fsync} with storage on. The whole server runs in a child JVM
 * (database in this JVM, so only the server dies); a bracelet of each protocol streams fixes concurrently, keeping at
 * most {@value #WINDOW} unacknowledged as real devices do; the child is killed with SIGKILL mid-stream, started again
 * unattended on the same data directory, and the bracelets resume from their first unacknowledged fix. Then every
 * fix is in {@code positions} exactly once (so every acked one is), each zone entry raised one alert, and the alert
 * that was open at the kill was neither lost nor raised again.
 *
 * <p>Reduced sizes here; {@link #fullSizeMatrix} (tag {@code slow}) runs the sizes quoted in docs/durability.md.
 */
class CrashMatrixTest {
    private static final Logger LOG = LoggerFactory.getLogger(CrashMatrixTest.class);
    private static final int WINDOW = 32;
    private static final byte[] KUZET_KEY = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    private static final long KUZET_NUMBER = 700_000_001L;
    private static final long GT06_IMEI = 123_456_789_012_345L;
    private static final long WATCH_NUMBER = 1_234_567_890L;
    private static final double ZONE_LAT = 43.2380;
    private static final double ZONE_LON = 76.9450;

    @TempDir
    Path root;
    Process child;
    volatile boolean killed;

    @AfterEach
    void killChild() {
        if (child != null) {
            child.destroyForcibly();
        }
    }

    @Test
    void killMinusNineInProcessModeLosesNoAckedFixStoresEachOnceAndKeepsAlerts() throws Exception {
        run(ServerConfig.Durability.PROCESS, 200);
    }

    @Test
    void killMinusNineInFsyncModeLosesNoAckedFixStoresEachOnceAndKeepsAlerts() throws Exception {
        run(ServerConfig.Durability.FSYNC, 200);
    }

    @Test
    @Tag("slow")
    void fullSizeMatrix() throws Exception {
        run(ServerConfig.Durability.PROCESS, 5000);
        run(ServerConfig.Durability.FSYNC, 5000);
    }

    /**
     * One crash for all three protocols in {@code mode}. Each bracelet sends {@code 3 * period} fixes 1 s apart: outside
     * the zone for the first half of each period, deep inside for the second, so three alerts open and the last stays
     * open. The kill comes once every bracelet has {@code 1.75 * period} acks, inside the second stay.
     */
    private void run(ServerConfig.Durability mode, int period) throws Exception {
        Database database = SharedPostgres.database();
        SharedPostgres.truncateAll(database);
        Path dataDir = Files.createDirectories(root.resolve(mode.name().toLowerCase()));
        int total = 3 * period;
        int killAt = period + period * 3 / 4;
        long base = (System.currentTimeMillis() / 1000 - total - 60) * 1000;
        List<Bracelet> bracelets = List.of(new KuzetBracelet(base, period), new Gt06Bracelet(base, period),
                new WatchBracelet(base, period));

        long started = System.nanoTime();
        int[] ports = startChild(dataDir, mode, database);
        long firstStartMs = (System.nanoTime() - started) / 1_000_000;
        AtomicInteger reached = new AtomicInteger();
        CountDownLatch kill = new CountDownLatch(1);
        List<Thread> streams = new ArrayList<>();
        for (Bracelet b : bracelets) {
            streams.add(stream(b, ports, 1, total, () -> {
                // the first to reach the kill point wait there with a full window unacknowledged; the last streams on
                if (reached.incrementAndGet() < bracelets.size()) {
                    kill.await(120, java.util.concurrent.TimeUnit.SECONDS);
                }
            }, killAt));
        }
        await().atMost(Duration.ofSeconds(120)).until(() -> reached.get() == bracelets.size()
                || bracelets.stream().anyMatch(b -> b.failure.get() != null) || !child.isAlive());
        assertTrue(child.isAlive(), "child server died before the kill");
        killed = true;
        child.destroyForcibly().waitFor();   // SIGKILL: frames and acks in flight
        kill.countDown();
        long killedAtMs = (System.nanoTime() - started) / 1_000_000;
        for (Thread t : streams) {
            t.join(30_000);
        }
        DataSource db = database.dataSource();
        Map<Long, Integer> journaledAtKill = journaledMessages(dataDir);
        Map<String, Integer> recognised = new java.util.TreeMap<>();
        Map<String, Integer> ackedAtKill = new java.util.TreeMap<>();
        Map<String, Integer> sentAtKill = new java.util.TreeMap<>();
        for (Bracelet b : bracelets) {
            assertEquals(null, b.failure.get(), b.name + " stream failed before the kill");
            ackedAtKill.put(b.name, b.acked.size());
            sentAtKill.put(b.name, b.sent);
            // what the bracelet will resend although the dead server had journaled it: must be recognised, not stored again
            recognised.put(b.name, journaledAtKill.getOrDefault(deviceId(db, b.protocol, b.number), 0) - (b.firstUnacked() - 1));
        }

        killed = false;
        long restart = System.nanoTime();
        ports = startChild(dataDir, mode, database);
        long restartMs = (System.nanoTime() - restart) / 1_000_000;
        streams.clear();
        for (Bracelet b : bracelets) {
            streams.add(stream(b, ports, b.firstUnacked(), total, () -> { }, Integer.MAX_VALUE));
        }
        for (Thread t : streams) {
            t.join(120_000);
        }
        long resumedMs = (System.nanoTime() - started) / 1_000_000;
        for (Bracelet b : bracelets) {
            assertEquals(null, b.failure.get(), b.name + " stream failed after the restart");
            assertEquals(total, b.acked.size(), b.name + ": every fix acked after the restart");
            long deviceId = deviceId(db, b.protocol, b.number);
            await().atMost(Duration.ofSeconds(60)).until(() -> count(db, "select count(*) from positions where device_id = ?", deviceId) >= total
                    && count(db, "select count(*) from alerts where device_id = ? and state = 'CLEARED'", deviceId) >= 2);
            Map<Long, Integer> stored = storedFixTimes(db, deviceId);
            for (int i = 1; i <= total; i++) {
                assertEquals(1, stored.getOrDefault(b.fixTime(i), 0), b.name + ": fix " + i + " stored exactly once");
            }
            assertEquals(total, stored.values().stream().mapToInt(Integer::intValue).sum(), b.name + ": no other rows");
            assertEquals(3, count(db, "select count(*) from alerts where device_id = ? and type = 'EXCLUSION_VIOLATION'", deviceId),
                    b.name + ": one alert per stay in the zone, none raised twice");
            assertEquals(1, count(db, "select count(*) from alerts where device_id = ? and state = 'OPEN'", deviceId),
                    b.name + ": the last stay is still open; the one open at the kill was cleared when the bracelet left");
        }
        killed = true;
        child.destroyForcibly().waitFor();
        Map<Long, Integer> journaled = journaledMessages(dataDir);
        for (Bracelet b : bracelets) {
            assertEquals(total, journaled.get(deviceId(db, b.protocol, b.number)), b.name + ": journaled once each, retransmissions recognised");
        }
        int transitions = assertNoAlertTransitionTwice(dataDir);
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        LOG.info("crash matrix {}: {} fixes per bracelet; at the kill sent {} acked {}; journaled but unacked at the kill, "
                        + "resent and recognised as duplicates {}; stored {} each exactly once; "
                        + "3 exclusion alerts per bracelet (1 open); {} alert transitions, none twice; child up in {} ms, "
                        + "killed at {} ms, restarted in {} ms, all acked at {} ms, all stored at {} ms",
                mode, total, sentAtKill, ackedAtKill, recognised, total, transitions, firstStartMs, killedAtMs, restartMs, resumedMs, tookMs);
    }

    private int[] startChild(Path dataDir, ServerConfig.Durability mode, Database database) throws Exception {
        Files.deleteIfExists(dataDir.resolve("ports"));
        List<String> command = ChildJvm.java();
        // C1 only and the serial collector: the child starts twice per mode, and start-up is mostly JIT and class loading
        command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx384m"));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.kuzet.server.testing.StorageChildServerMain",
                dataDir.toString(), mode.name(), "jdbc:postgresql://127.0.0.1:" + database.embeddedPort() + "/postgres",
                Path.of("src/test/resources/provisioning/crash-matrix.yaml").toAbsolutePath().toString()));
        // kept under target/ (the data directory is deleted) so a failure can be read after the run
        Path log = Files.createDirectories(Path.of("target", "crash-matrix"))
                .resolve(mode.name().toLowerCase() + "-child-" + System.currentTimeMillis() + ".log");
        child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        await().atMost(Duration.ofSeconds(90)).until(() -> Files.exists(dataDir.resolve("ports")) || !child.isAlive());
        assertTrue(child.isAlive(), "child server died at start; see " + log.toAbsolutePath());
        String[] parts = Files.readString(dataDir.resolve("ports")).trim().split(" ");
        return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2])};
    }

    /** Streams fixes {@code from..to} with at most {@link #WINDOW} unacknowledged, until done or the server dies. */
    /** What a bracelet does once it has {@code killAt} acks. */
    private interface KillPoint {
        void reached() throws InterruptedException;
    }

    private Thread stream(Bracelet b, int[] ports, int from, int to, KillPoint atKillPoint, int killAt) {
        Thread t = new Thread(() -> {
            try (b) {
                b.connect(ports[b.portIndex]);
                int next = from;
                int inFlight = 0;
                boolean pointPassed = false;
                while (next <= to || inFlight > 0) {
                    while (inFlight < WINDOW && next <= to) {
                        b.send(next++);
                        b.sent = next - 1;
                        inFlight++;
                    }
                    b.onAck(b.readAck());
                    inFlight--;
                    if (!pointPassed && b.acked.size() >= killAt) {
                        pointPassed = true;
                        while (inFlight < WINDOW && next <= to) {
                            b.send(next++);
                            b.sent = next - 1;
                            inFlight++;
                        }
                        atKillPoint.reached();
                    }
                }
            } catch (IOException | InterruptedException | RuntimeException | AssertionError e) {
                if (!killed) {
                    b.failure.set(e);
                }
            }
        }, "bracelet-" + b.name);
        t.start();
        return t;
    }

    private static int assertNoAlertTransitionTwice(Path dataDir) {
        Set<String> transitions = new HashSet<>();
        int[] count = new int[1];
        try (AlertJournal alerts = new AlertJournal(dataDir.resolve("alerts"))) {
            alerts.readAll((Alert a, long index) -> {
                count[0]++;
                assertTrue(transitions.add(a.alertId() + "/" + a.phase()), "alert transition emitted twice: " + a);
            });
        }
        return count[0];
    }

    /** Device-message records in the journal, by registry device id. */
    private static Map<Long, Integer> journaledMessages(Path dataDir) {
        Map<Long, Integer> counts = new HashMap<>();
        try (IngestJournal journal = new IngestJournal(dataDir.resolve("journal"), ProcessDurability.FACTORY);
             IngestReader reader = journal.createReader().startAfter(-1)) {
            IngestRecord r = new IngestRecord();
            while (reader.next(r)) {
                if (r.type == IngestRecord.TYPE_DEVICE_MESSAGE) {
                    counts.merge(r.deviceId, 1, Integer::sum);
                }
            }
        }
        return counts;
    }

    private static long deviceId(DataSource db, String protocol, long number) throws SQLException {
        try (Connection c = db.getConnection();
             PreparedStatement s = c.prepareStatement("select id from devices where protocol = ? and device_number = ?")) {
            s.setString(1, protocol);
            s.setLong(2, number);
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next(), "device " + protocol + " " + number + " provisioned");
                return rs.getLong(1);
            }
        }
    }

    private static long count(DataSource db, String sql, long deviceId) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, deviceId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static Map<Long, Integer> storedFixTimes(DataSource db, long deviceId) throws SQLException {
        Map<Long, Integer> out = new HashMap<>();
        try (Connection c = db.getConnection();
             PreparedStatement s = c.prepareStatement("select fix_time, count(*) from positions where device_id = ? group by fix_time")) {
            s.setLong(1, deviceId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getTimestamp(1).getTime(), rs.getInt(2));
                }
            }
        }
        return out;
    }

    /** A device of one protocol: fix {@code i} (1-based) is sent at {@code base + i s}, inside the zone in the second half of each period. */
    private abstract static class Bracelet implements AutoCloseable {
        final String name;
        final String protocol;
        final long number;
        final int portIndex;
        final long base;
        final int period;
        final Set<Integer> acked = new ConcurrentSkipListSet<>();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        volatile int sent;
        Socket socket;

        Bracelet(String protocol, long number, int portIndex, long base, int period) {
            this.name = protocol;
            this.protocol = protocol;
            this.number = number;
            this.portIndex = portIndex;
            this.base = base;
            this.period = period;
        }

        long fixTime(int i) {
            return base + i * 1000L;
        }

        DeviceMessage fix(int i) {
            boolean inside = (i - 1) % period >= period / 2;
            return Fixes.fixAt(fixTime(i), ZONE_LAT + (inside ? 60 : 1500) / 111_000.0, ZONE_LON, 5);
        }

        /** Acks come in order, so everything before the first unacknowledged fix was acked. */
        int firstUnacked() {
            int i = 1;
            while (acked.contains(i)) {
                i++;
            }
            return i;
        }

        void onAck(int i) {
            acked.add(i);
        }

        abstract void connect(int port) throws IOException;

        abstract void send(int i) throws IOException;

        /** Blocks for the next reply; returns the number of the fix it acknowledges. */
        abstract int readAck() throws IOException;

        void write(ByteBuf buf) throws IOException {
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            buf.release();
            socket.getOutputStream().write(bytes);
        }

        @Override
        public void close() throws IOException {
            if (socket != null) {
                socket.close();
            }
        }
    }

    private static final class KuzetBracelet extends Bracelet {
        private KuzetTestClient client;

        KuzetBracelet(long base, int period) {
            super("kuzet", KUZET_NUMBER, 0, base, period);
        }

        @Override
        void connect(int port) throws IOException {
            client = new KuzetTestClient(port);
            KuzetTestClient.Reply login = client.login(KUZET_NUMBER, KUZET_KEY);
            assertEquals(0, login.status);
            int maxAcked = acked.isEmpty() ? 0 : ((ConcurrentSkipListSet<Integer>) acked).last();
            assertTrue(login.value >= maxAcked, "LOGIN_RESULT reports " + login.value + ", below the acked " + maxAcked);
        }

        /** Acks are cumulative: an ack of n (also the re-ack of a retransmission) covers every fix up to n. */
        @Override
        void onAck(int n) {
            for (int i = firstUnacked(); i <= n; i++) {
                acked.add(i);
            }
        }

        @Override
        void send(int i) throws IOException {
            client.startSequenceAt(i).sendPositions(fix(i));
        }

        @Override
        int readAck() throws IOException {
            // past commands adaptive supervision sends on its own (pursuit when the walk enters the zone)
            KuzetTestClient.Reply reply = client.readReply();
            assertEquals(KuzetMessageType.ACK, reply.type, "reply " + reply);
            return (int) reply.value;
        }

        @Override
        public void close() throws IOException {
            if (client != null) {
                client.close();
            }
        }
    }

    private static final class Gt06Bracelet extends Bracelet {
        private DataInputStream in;

        Gt06Bracelet(long base, int period) {
            super("gt06", GT06_IMEI, 1, base, period);
        }

        @Override
        void connect(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(30_000);
            socket.setTcpNoDelay(true);
            in = new DataInputStream(socket.getInputStream());
            ByteBuf login = Unpooled.buffer();
            Gt06Encoder.writeLogin(login, GT06_IMEI, 0);
            write(login);
            assertEquals(0x01, reply()[3]);
        }

        @Override
        void send(int i) throws IOException {
            ByteBuf location = Unpooled.buffer();
            Gt06Encoder.writeLocation0x12(location, fix(i).fix(0), i);
            write(location);
        }

        @Override
        int readAck() throws IOException {
            byte[] reply = reply();
            while ((reply[3] & 0xFF) == 0x80) {   // an online command (pursuit: TIMER), not an answer
                reply = reply();
            }
            assertEquals(0x12, reply[3]);
            return ((reply[4] & 0xFF) << 8) | (reply[5] & 0xFF);
        }

        private byte[] reply() throws IOException {
            byte[] head = new byte[3];
            in.readFully(head);
            byte[] all = new byte[3 + (head[2] & 0xFF) + 2];
            System.arraycopy(head, 0, all, 0, 3);
            in.readFully(all, 3, all.length - 3);
            return all;
        }
    }

    private static final class WatchBracelet extends Bracelet {
        private final ArrayDeque<Integer> awaiting = new ArrayDeque<>();
        private InputStream in;

        WatchBracelet(long base, int period) {
            super("watch", WATCH_NUMBER, 2, base, period);
        }

        @Override
        void connect(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(30_000);
            socket.setTcpNoDelay(true);
            in = new java.io.BufferedInputStream(socket.getInputStream());
            awaiting.clear();
        }

        /** AL: a location the watch wants answered, so each fix gets a reply (answers carry no number: they come in order). */
        @Override
        void send(int i) throws IOException {
            ByteBuf alarm = Unpooled.buffer();
            WatchEncoder.writeLocation(alarm, "3G", WATCH_NUMBER, "AL", fix(i).fix(0), 100, 0);
            write(alarm);
            awaiting.add(i);
        }

        @Override
        int readAck() throws IOException {
            while (true) {
                StringBuilder frame = new StringBuilder();
                int c;
                while ((c = in.read()) != ']') {
                    if (c < 0) {
                        throw new IOException("connection closed");
                    }
                    frame.append((char) c);
                }
                if (frame.toString().endsWith("*AL")) {
                    return awaiting.remove();
                }
                // a command the server sends on its own (pursuit: UPLOAD), not an answer
                assertTrue(frame.toString().contains("*UPLOAD,") || frame.toString().contains("*CR"), frame.toString());
            }
        }
    }
}
