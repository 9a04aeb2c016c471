package io.kuzet.server.journal.kafka;

import static io.kuzet.server.testing.Fixes.fixAt;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kuzet.protocol.DeviceMessage;
import io.kuzet.protocol.gt06.Gt06Encoder;
import io.kuzet.protocol.kuzet.KuzetMessageType;
import io.kuzet.server.KuzetServer;
import io.kuzet.server.KuzetServerMain;
import io.kuzet.server.config.ConfigLoader;
import io.kuzet.server.config.ServerConfig;
import io.kuzet.server.journal.FsyncGroupCommit;
import io.kuzet.server.journal.Protocol;
import io.kuzet.server.store.Database;
import io.kuzet.server.store.SharedPostgres;
import io.kuzet.server.testing.CuttableTcpProxy;
import io.kuzet.server.testing.Gt06Wire;
import io.kuzet.server.testing.KafkaCluster;
import io.kuzet.server.testing.KuzetTestClient;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Kuzet node on a three-broker Kafka cluster ({@link KafkaCluster}: one JVM per broker; topic with replication 3 and
 * {@code min.insync.replicas=2}) while Kuzet and GT06 bracelets send under load:
 * <ol>
 * <li>SIGKILL of the broker leading the most partitions: the devices keep getting acks after the leader election (the
 * pause is measured and printed), and {@code kuzet_kafka_under_replicated_partitions} rises above 0;</li>
 * <li>the database unreachable: {@code kuzet_kafka_consumer_lag_records{consumer="storage"}} shows the backlog;</li>
 * <li>SIGKILL of a second broker: one broker cannot meet {@code min.insync.replicas=2}, so no ack at all is sent;
 * started again, acks resume without a node restart;</li>
 * <li>the first broker started again: the under-replicated count returns to 0;</li>
 * </ol>
 * and afterwards every acked fix is in PostgreSQL exactly once per device (rows = acked sequences), both consumer lags
 * at 0. Slow (three broker JVMs, several minutes on the shared machine): run with {@code -Dslow}.
 */
@Tag("slow")
class KafkaBrokerKillTest {
    private static final byte[] KEY = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    private static final int KUZET_DEVICES = 16;
    private static final int GT06_DEVICES = 2;
    private static final long KUZET_FIRST = 300_001;
    private static final long GT06_FIRST = 868_120_145_300_001L;
    private static final int PARTITIONS = 6;

    @TempDir
    Path dataDir;

    @Test
    void killedBrokersLoseNoAckedFixAndTheHealthMetricsShowIt() throws Exception {
        Database backing = SharedPostgres.database();
        SharedPostgres.truncateAll(backing);
        String topic = "kuzet-3b-" + System.nanoTime();
        try (KafkaCluster cluster = KafkaCluster.start(3); CuttableTcpProxy proxy = new CuttableTcpProxy(backing.embeddedPort())) {
            AtomicInteger failStop = new AtomicInteger(-1);
            KuzetServer.Options options = new KuzetServer.Options(System::currentTimeMillis, false)
                    .withJournalFaults(FsyncGroupCommit.Forcer.FDATASYNC, failStop::set);
            try (KuzetServerMain.Running running = KuzetServerMain.start(config(cluster, proxy, topic), options)) {
                Load load = new Load(running.server());
                DataSource db = backing.dataSource();
                boolean completed = false;
                StringBuilder report = new StringBuilder();
                try {
                    load.start();
                    await().atMost(Duration.ofSeconds(120)).until(() -> load.acks.size() >= 400 || !load.errors.isEmpty());
                    load.checkNoErrors();
                    Thread.sleep(5_000);   // steady state for the baseline

                    // 1. the broker leading the most partitions dies
                    int first = cluster.leaderOfMostPartitions(topic);
                    int controller = cluster.activeController();
                    Map<Integer, Integer> leaders = cluster.leaders(topic);
                    long kill1 = System.nanoTime();
                    cluster.kill(first);
                    await().atMost(Duration.ofSeconds(120)).until(() -> load.everyDeviceAckedSentAfter(kill1) || !load.errors.isEmpty());
                    load.checkNoErrors();
                    Figures election = load.figuresAfter(kill1);
                    await().atMost(Duration.ofSeconds(90)).until(() -> underReplicated(running, topic) > 0);
                    double urpOneDown = underReplicated(running, topic);
                    double urpRoseAfter = seconds(System.nanoTime() - kill1);

                    // 2. the database unreachable: storage's consumer falls behind, evaluation does not
                    proxy.cut();
                    await().atMost(Duration.ofSeconds(90)).until(() -> lag(running, "storage", topic) > 200);
                    double storageLagDuringOutage = lag(running, "storage", topic);
                    double evaluationLagDuringOutage = lag(running, "evaluation", topic);
                    proxy.restore();
                    load.checkNoErrors();

                    // 3. a second broker dies: one broker left, min.insync.replicas=2 cannot be met, nothing is acked
                    int second = cluster.leaders(topic).values().stream().filter(id -> id > 0 && id != first).findFirst()
                            .orElseThrow();
                    long kill2 = System.nanoTime();
                    cluster.kill(second);
                    Thread.sleep(5_000);   // acks of appends replicated just before the kill may still arrive
                    int acksBefore = load.acks.size();
                    Thread.sleep(15_000);
                    assertEquals(acksBefore, load.acks.size(), "no ack while one broker of three is up");
                    long restart2 = System.nanoTime();
                    cluster.restart(second);
                    long restarted2 = System.nanoTime();
                    await().atMost(Duration.ofSeconds(150)).until(() -> load.everyDeviceAckedAfter(restart2) || !load.errors.isEmpty());
                    load.checkNoErrors();
                    double resumeAll = seconds(load.lastFirstAckAfter(restart2) - restart2);
                    double resumeFirst = seconds(load.firstAckAfter(restart2) - restart2);

                    // 4. the first broker back: fully replicated again
                    long restart1 = System.nanoTime();
                    cluster.restart(first);
                    await().atMost(Duration.ofSeconds(180)).until(() -> underReplicated(running, topic) == 0);
                    double urpZeroAfter = seconds(System.nanoTime() - restart1);
                    assertEquals(-1, failStop.get(), "the node never gave up on an append");

                    Figures baseline = load.figuresBefore(kill1);
                    report.append(String.format("""
                              ack latency before the kills: p50 %.0f ms, p99 %.0f ms, max %.0f ms
                              kill -9 of broker %d (leader of %d of %d partitions; active controller: %d)
                                longest ack wait of a frame in flight at or sent after the kill: %.1f s
                                every device acked again (a frame sent after the kill) %.1f s after the kill; %d devices waited > 1 s
                                kuzet_kafka_under_replicated_partitions: %.0f, seen %.1f s after the kill (checked every 15 s)
                              database cut: storage lag %.0f records, evaluation lag %.0f records
                              kill -9 of a second broker (%d): no ack for 15 s (one broker < min.insync.replicas 2)
                                broker %d down %.1f s (started again %.1f s after the kill, answering %.1f s later);
                                after it was started again: first ack %.1f s, every device acked %.1f s
                              first broker started again: under-replicated back to 0 seen %.1f s later
                            """, baseline.p50Ms, baseline.p99Ms, baseline.maxMs,
                            first, leaders.values().stream().filter(id -> id == first).count(), PARTITIONS, controller,
                            election.longestWaitS, election.everyDeviceAgainS, election.devicesWaitedOverOneSecond, urpOneDown, urpRoseAfter,
                            storageLagDuringOutage, evaluationLagDuringOutage, second, second, seconds(restarted2 - kill2),
                            seconds(restart2 - kill2), seconds(restarted2 - restart2), resumeFirst, resumeAll,
                            urpZeroAfter));
                    Thread.sleep(3_000);
                    completed = true;
                } finally {
                    load.stop(completed ? 300 : 10);
                }
                load.checkNoErrors();

                // every acked fix stored once per device, nothing acked missing, nothing stored that was not acked
                int acked = load.acks.size();
                await().atMost(Duration.ofSeconds(120)).until(() -> count(db, "select count(*) from positions") >= acked);
                Map<String, long[]> stored = storedPerDevice(db);
                for (int d = 0; d < load.devices(); d++) {
                    long[] rows = stored.getOrDefault(load.name(d), new long[2]);
                    assertEquals(load.ackedSequence(d), rows[0], "rows of " + load.name(d) + " = its acked fixes");
                    assertEquals(rows[0], rows[1], "each fix of " + load.name(d) + " stored once");
                }
                assertEquals(acked, count(db, "select count(*) from positions"));
                await().atMost(Duration.ofSeconds(60)).until(() -> lag(running, "storage", topic) == 0
                        && lag(running, "evaluation", topic) == 0);

                System.out.printf("KafkaBrokerKillTest: %d devices (%d Kuzet ~25 msg/s each, %d GT06 1 msg/s), %d acked fixes, "
                        + "each stored exactly once%n%s", load.devices(), KUZET_DEVICES, GT06_DEVICES, acked, report);
            }
        }
    }

    private ServerConfig config(KafkaCluster cluster, CuttableTcpProxy proxy, String topic) throws Exception {
        ServerConfig config = ConfigLoader.load(null, Map.of());
        config.server.dataDir = dataDir.toString();
        config.server.bindAddress = "127.0.0.1";
        config.server.provisionFile = fleet().toString();
        config.database.url = "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/postgres";
        config.database.user = "postgres";
        config.database.password = "postgres";
        config.ports.kuzet = 0;
        config.ports.kuzetTls = -1;
        config.ports.gt06 = 0;
        config.ports.watch = -1;
        config.ports.http = -1;
        config.journal.kind = ServerConfig.JournalKind.KAFKA;
        config.kafka.bootstrapServers = cluster.bootstrapServers();
        config.kafka.topic = topic;
        config.kafka.partitions = PARTITIONS;
        config.kafka.replicationFactor = 3;
        config.kafka.minInsyncReplicas = 2;
        // the second kill holds appends for its outage plus a broker start on a loaded machine; the default 120 s
        // would end the node (fail-stop) if that took longer, which is not what this test is about
        config.kafka.deliveryTimeoutMs = 240_000;
        return config.validate();
    }

    /** A provisioning file with one subject, order and assignment per load device. */
    private Path fleet() throws Exception {
        StringBuilder subjects = new StringBuilder();
        StringBuilder devices = new StringBuilder();
        StringBuilder orders = new StringBuilder();
        StringBuilder assignments = new StringBuilder();
        for (int d = 0; d < KUZET_DEVICES + GT06_DEVICES; d++) {
            String caseId = "KZ-LOAD-" + d;
            boolean kuzet = d < KUZET_DEVICES;
            String protocol = kuzet ? "kuzet" : "gt06";
            long number = kuzet ? KUZET_FIRST + d : GT06_FIRST + d - KUZET_DEVICES;
            subjects.append("  - agency: ALM\n    externalCaseId: ").append(caseId).append("\n    displayName: Load ").append(d).append('\n');
            devices.append("  - protocol: ").append(protocol).append("\n    number: ").append(number).append('\n')
                    .append(kuzet ? "    secretKey: " + HexFormat.of().formatHex(KEY) + "\n" : "").append("    role: BRACELET\n");
            orders.append("  - legalReference: \"Load order ").append(d).append("\"\n    subject: {agency: ALM, externalCaseId: ")
                    .append(caseId).append("}\n    kind: PAROLE\n    startsAt: 2025-11-01T00:00:00Z\n    timeZone: Asia/Almaty\n")
                    .append("    riskLevel: LOW\n");
            assignments.append("  - device: {protocol: ").append(protocol).append(", number: ").append(number)
                    .append("}\n    subject: {agency: ALM, externalCaseId: ").append(caseId)
                    .append("}\n    assignedAt: 2025-11-01T00:00:00Z\n");
        }
        Path file = dataDir.resolve("load-fleet.yaml");
        Files.writeString(file, "agencies:\n  - code: ALM\n    name: Almaty city probation service\n    region: Almaty\n"
                + "subjects:\n" + subjects + "devices:\n" + devices + "orders:\n" + orders + "assignments:\n" + assignments);
        return file;
    }

    private static double underReplicated(KuzetServerMain.Running running, String topic) {
        return running.server().meters().get("kuzet_kafka_under_replicated_partitions").tag("topic", topic).gauge().value();
    }

    private static double lag(KuzetServerMain.Running running, String consumer, String topic) {
        return running.server().meters().get("kuzet_kafka_consumer_lag_records").tags("consumer", consumer, "topic", topic)
                .gauge().value();
    }

    /** Per device ("protocol:number"): rows in positions and distinct fix times among them. */
    private static Map<String, long[]> storedPerDevice(DataSource db) throws Exception {
        Map<String, long[]> rows = new HashMap<>();
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("""
                select d.protocol, d.device_number, count(*), count(distinct p.fix_time)
                from positions p join devices d on d.id = p.device_id group by d.protocol, d.device_number""");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                rows.put(rs.getString(1) + ":" + rs.getLong(2), new long[] {rs.getLong(3), rs.getLong(4)});
            }
        }
        return rows;
    }

    private static long count(DataSource db, String sql) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            return -1;
        }
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private record Ack(int device, long sequence, long sentNs, long ackNs) {
    }

    private record Figures(double p50Ms, double p99Ms, double maxMs, double longestWaitS, double everyDeviceAgainS,
                           long devicesWaitedOverOneSecond) {
    }

    /**
     * The bracelets: each in its own thread sends one fix, waits for its ack (as long as it takes: a real device keeps
     * its buffer until acked), and sends the next; Kuzet ones ~25 a second, GT06 ones one a second (their fix time has
     * whole seconds). Every ack is recorded with the times its frame was sent and answered.
     */
    private static final class Load {
        final ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
        final List<Throwable> errors = new CopyOnWriteArrayList<>();
        private final KuzetServer server;
        private final List<Thread> threads = new ArrayList<>();
        private final long[] ackedSequence = new long[KUZET_DEVICES + GT06_DEVICES];
        private final long[] lastAckNs = new long[KUZET_DEVICES + GT06_DEVICES];
        private volatile boolean stopping;

        Load(KuzetServer server) {
            this.server = server;
        }

        int devices() {
            return ackedSequence.length;
        }

        String name(int d) {
            return d < KUZET_DEVICES ? "kuzet:" + (KUZET_FIRST + d) : "gt06:" + (GT06_FIRST + d - KUZET_DEVICES);
        }

        synchronized long ackedSequence(int d) {
            return ackedSequence[d];
        }

        void start() {
            long base = (System.currentTimeMillis() / 1000) * 1000 - 86_400_000L;   // fix times a day back, never ahead
            for (int d = 0; d < devices(); d++) {
                int device = d;
                Thread t = new Thread(() -> {
                    try {
                        if (device < KUZET_DEVICES) {
                            runKuzet(device, base);
                        } else {
                            runGt06(device, base);
                        }
                    } catch (Throwable e) {
                        errors.add(new AssertionError(name(device) + ": " + e, e));
                    }
                }, "load-" + d);
                threads.add(t);
                t.start();
            }
        }

        private void runKuzet(int d, long base) throws Exception {
            try (KuzetTestClient device = new KuzetTestClient(server.port(Protocol.KUZET))) {
                assertEquals(0, device.login(KUZET_FIRST + d, KEY).status, "login");
                device.readTimeoutMs(300_000);
                for (long n = 1; !stopping; n++) {
                    long sent = System.nanoTime();
                    long sequence = device.sendPositions(fixAt(base + n * 10, 43.25 + d * 0.001, 76.92, 8));
                    KuzetTestClient.Reply reply = device.readReply();
                    assertEquals(KuzetMessageType.ACK, reply.type);
                    assertEquals(sequence, reply.value, "the ack names the frame");
                    acked(d, sequence, sent);
                    Thread.sleep(40);
                }
            }
        }

        private void runGt06(int d, long base) throws Exception {
            long imei = GT06_FIRST + d - KUZET_DEVICES;
            try (Socket socket = new Socket("127.0.0.1", server.port(Protocol.GT06))) {
                socket.setSoTimeout(300_000);
                ByteBuf login = Unpooled.buffer();
                Gt06Encoder.writeLogin(login, imei, 1);
                socket.getOutputStream().write(Gt06Wire.bytes(login));
                assertEquals(0x01, Gt06Wire.readAnswer(socket.getInputStream())[3], "login answered");
                for (long n = 1; !stopping; n++) {
                    long sent = System.nanoTime();
                    DeviceMessage msg = fixAt(base + n * 1000, 43.30 + d * 0.001, 76.90, 10);
                    ByteBuf location = Unpooled.buffer();
                    Gt06Encoder.writeLocation0x12(location, msg.fix(0), (int) (1 + n) & 0xFFFF);
                    socket.getOutputStream().write(Gt06Wire.bytes(location));
                    assertEquals(0x12, Gt06Wire.readAnswer(socket.getInputStream())[3], "location answered");
                    acked(d, n, sent);
                    Thread.sleep(1_000);
                }
            }
        }

        private void acked(int d, long sequence, long sentNs) {
            long now = System.nanoTime();
            synchronized (this) {
                ackedSequence[d] = sequence;
                lastAckNs[d] = now;
            }
            acks.add(new Ack(d, sequence, sentNs, now));
        }

        /** Every device has an ack of a frame it sent after {@code ns}. */
        boolean everyDeviceAckedSentAfter(long ns) {
            boolean[] seen = new boolean[devices()];
            for (Ack a : acks) {
                if (a.sentNs >= ns) {
                    seen[a.device] = true;
                }
            }
            for (boolean s : seen) {
                if (!s) {
                    return false;
                }
            }
            return true;
        }

        /** Every device got an ack after {@code ns}. */
        synchronized boolean everyDeviceAckedAfter(long ns) {
            for (long at : lastAckNs) {
                if (at < ns) {
                    return false;
                }
            }
            return true;
        }

        /** The first ack after {@code ns}. */
        long firstAckAfter(long ns) {
            return acks.stream().filter(a -> a.ackNs >= ns).mapToLong(Ack::ackNs).min().orElse(Long.MAX_VALUE);
        }

        /** The latest of the devices' first acks after {@code ns}. */
        long lastFirstAckAfter(long ns) {
            long[] first = new long[devices()];
            java.util.Arrays.fill(first, Long.MAX_VALUE);
            for (Ack a : acks) {
                if (a.ackNs >= ns) {
                    first[a.device] = Math.min(first[a.device], a.ackNs);
                }
            }
            return java.util.Arrays.stream(first).max().orElse(Long.MAX_VALUE);
        }

        /** Ack latencies of the frames answered before {@code ns}. */
        Figures figuresBefore(long ns) {
            long[] waits = acks.stream().filter(a -> a.ackNs < ns).mapToLong(a -> a.ackNs - a.sentNs).sorted().toArray();
            return new Figures(waits[waits.length / 2] / 1e6, waits[(int) (waits.length * 0.99)] / 1e6,
                    waits[waits.length - 1] / 1e6, 0, 0, 0);
        }

        /** The pause around a kill at {@code ns}: frames in flight then or sent in the next 30 s. */
        Figures figuresAfter(long ns) {
            long window = TimeUnit.SECONDS.toNanos(30);
            double longest = acks.stream().filter(a -> a.ackNs >= ns && a.sentNs < ns + window)
                    .mapToLong(a -> a.ackNs - a.sentNs).max().orElse(0) / 1e9;
            long[] again = new long[devices()];
            java.util.Arrays.fill(again, Long.MAX_VALUE);
            boolean[] waited = new boolean[devices()];
            for (Ack a : acks) {
                if (a.sentNs >= ns) {
                    again[a.device] = Math.min(again[a.device], a.ackNs);
                }
                if (a.ackNs >= ns && a.sentNs < ns + window && a.ackNs - a.sentNs > TimeUnit.SECONDS.toNanos(1)) {
                    waited[a.device] = true;
                }
            }
            long waitedCount = 0;
            for (boolean w : waited) {
                waitedCount += w ? 1 : 0;
            }
            return new Figures(0, 0, 0, longest, (java.util.Arrays.stream(again).max().orElse(ns) - ns) / 1e9, waitedCount);
        }

        void checkNoErrors() {
            if (!errors.isEmpty()) {
                AssertionError e = new AssertionError(errors.size() + " device(s) failed; first: " + errors.get(0));
                errors.forEach(e::addSuppressed);
                throw e;
            }
        }

        /**
         * Stops sending: each device finishes waiting for the ack of its last frame (so nothing is left unacked), for at
         * most {@code seconds} in all.
         */
        void stop(int seconds) throws InterruptedException {
            stopping = true;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            for (Thread t : threads) {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
        }
    }
}
