package io.kuzet.server.journal.kafka;

import static io.kuzet.server.testing.Fixes.fixAt;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kuzet.protocol.DeviceMessage;
import io.kuzet.protocol.gt06.Gt06Encoder;
import io.kuzet.protocol.kuzet.KuzetMessageType;
import io.kuzet.server.alert.Alert;
import io.kuzet.server.alert.AlertCodec;
import io.kuzet.server.alert.AlertType;
import io.kuzet.server.store.Database;
import io.kuzet.server.store.SharedPostgres;
import io.kuzet.server.testing.AlertsOnTopic;
import io.kuzet.server.testing.ChildJvm;
import io.kuzet.server.testing.ClusterNodeChildMain;
import io.kuzet.server.testing.Gt06Wire;
import io.kuzet.server.testing.KafkaCluster;
import io.kuzet.server.testing.KuzetTestClient;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14's headline failover: three Kafka brokers ({@link KafkaCluster}, replication 3, {@code min.insync.replicas=2}),
 * one PostgreSQL and two whole Kuzet nodes (storage included) as child JVMs; Kuzet and GT06 bracelets spread over both
 * nodes send continuously, each waiting for its ack before the next frame. Subjects walk into an exclusion zone so
 * violations are OPEN on every partition, then one node is killed with SIGKILL mid-stream. Its devices reconnect to the
 * other node (as through the load balancer) and resend what was not acked; the subjects with an open violation leave
 * the zone and others walk in. Afterwards every acked fix is in PostgreSQL exactly once, every alert transition is on
 * the alerts topic once and in the alerts table, the violations open at the kill are CLEARED by the survivor, and a
 * violation that starts after the kill on the dead node's partitions is RAISED by it. Prints the time from the kill to
 * the survivor's first alert transition on the dead node's partitions and to every device acked again.
 * Slow (three broker JVMs and two node JVMs): run with {@code -Dslow}.
 */
@Tag("slow")
class NodeFailoverOnThreeBrokersTest {
    private static final byte[] KEY = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    private static final int WALKERS = 24;          // Kuzet bracelets of subjects under an exclusion rule
    private static final int KUZET_OTHERS = 4;      // Kuzet bracelets without rules
    private static final int GT06_DEVICES = 4;
    private static final int DEVICES = WALKERS + KUZET_OTHERS + GT06_DEVICES;
    private static final long KUZET_FIRST = 400_001;
    private static final long GT06_FIRST = 868_120_145_400_001L;
    private static final int PARTITIONS = 6;
    private static final double ZONE_LAT = 43.2567;
    private static final double ZONE_LON = 76.9286;

    @TempDir
    Path dir;
    private final List<Process> nodes = new ArrayList<>();

    @Test
    void aKilledNodesDevicesMoveToTheOtherNodeWithNoFixOrAlertLostOrDoubled() throws Exception {
        Database db = SharedPostgres.database();
        SharedPostgres.truncateAll(db);
        String topic = "kuzet-failover-" + System.nanoTime();
        String alertsTopic = topic + ".alerts";
        String evaluationGroup = topic + ".evaluation";
        try (KafkaCluster cluster = KafkaCluster.start(3)) {
            Path fleet = fleet();
            int[][] ports = new int[2][];
            for (int n = 0; n < 2; n++) {   // one after the other: both import the same provisioning file
                ports[n] = startNode(n, cluster, db, fleet, topic);
            }
            Admin admin = cluster.admin();
            await().atMost(Duration.ofSeconds(120)).until(() -> members(admin, evaluationGroup).size() == 2
                    && members(admin, evaluationGroup).values().stream().noneMatch(Set::isEmpty));

            long[] registryIds = registryIds(db);
            boolean[] holder = new boolean[DEVICES];   // walkers alternate per partition: open at the kill / enter after it
            Map<Integer, Integer> perPartition = new HashMap<>();
            for (int d = 0; d < WALKERS; d++) {
                holder[d] = perPartition.merge(DevicePartitions.of(registryIds[d], PARTITIONS), 1, Integer::sum) % 2 == 1;
            }

            Load load = new Load(ports, registryIds);
            AlertTail tail = new AlertTail(cluster.bootstrapServers(), alertsTopic);
            boolean completed = false;
            long killedAt;
            Map<Integer, Long> endsAtKill;
            Set<Integer> deadPartitions;
            String report;
            try {
                load.start();
                tail.start();
                await().atMost(Duration.ofSeconds(120)).until(() -> load.acks.size() >= 300 || !load.errors.isEmpty());
                load.checkNoErrors();
                for (int d = 0; d < WALKERS; d++) {
                    load.inside[d] = holder[d];
                }
                long holders = countTrue(holder);
                await().atMost(Duration.ofSeconds(120)).until(() -> tail.exclusions(Alert.Phase.RAISED).size() == holders
                        || !load.errors.isEmpty());
                load.checkNoErrors();
                Thread.sleep(2_000);   // in steady state again

                Map<String, Set<Integer>> assignmentBefore = members(admin, evaluationGroup);
                endsAtKill = tail.ends();
                load.down = 0;
                killedAt = System.nanoTime();
                nodes.get(0).destroyForcibly().waitFor();   // SIGKILL, frames in flight
                for (int d = 0; d < WALKERS; d++) {
                    load.inside[d] = !holder[d];   // the open violations' subjects leave, the others walk in
                }
                long[] ackedAtKill = load.ackedNow();
                StorageWatch storage = new StorageWatch(db, registryIds, ackedAtKill);
                storage.start();
                endsAtKill = merge(endsAtKill, tail.endsNow());

                await().atMost(Duration.ofSeconds(120)).until(() -> load.everyDeviceAckedSentAfter(killedAt) || !load.errors.isEmpty());
                load.checkNoErrors();
                await().atMost(Duration.ofSeconds(120)).until(() -> members(admin, evaluationGroup).size() == 1);
                Set<String> survivors = members(admin, evaluationGroup).keySet();
                deadPartitions = new HashSet<>();
                assignmentBefore.forEach((member, partitions) -> {
                    if (!survivors.contains(member)) {
                        deadPartitions.addAll(partitions);
                    }
                });
                Set<Integer> dead = deadPartitions;
                assertFalse(dead.isEmpty(), "the killed node evaluated partitions: " + assignmentBefore);
                assertTrue(java.util.stream.IntStream.range(0, WALKERS).anyMatch(d -> holder[d]
                        && dead.contains(DevicePartitions.of(registryIds[d], PARTITIONS))), "a violation open at the kill on the dead node's partitions");
                assertTrue(java.util.stream.IntStream.range(0, WALKERS).anyMatch(d -> !holder[d]
                        && dead.contains(DevicePartitions.of(registryIds[d], PARTITIONS))), "a violation after the kill on the dead node's partitions");

                await().atMost(Duration.ofSeconds(120)).until(() -> tail.exclusions(Alert.Phase.CLEARED).size() == holders
                        && tail.exclusions(Alert.Phase.RAISED).size() == WALKERS || !load.errors.isEmpty());
                load.checkNoErrors();
                Map<Integer, Long> boundary = endsAtKill;
                long firstBySurvivor = tail.records.stream()
                        .filter(r -> dead.contains(r.partition) && r.offset >= boundary.get(r.partition))
                        .mapToLong(r -> r.receivedNs).min().orElseThrow();
                await().atMost(Duration.ofSeconds(120)).until(() -> storage.doneNs != 0);
                long storedAgain = storage.doneNs;
                List<AlertTail.Record> bySurvivorOnDead = tail.records.stream()
                        .filter(r -> dead.contains(r.partition) && r.offset >= boundary.get(r.partition)).toList();
                long lastBySurvivor = bySurvivorOnDead.stream().mapToLong(r -> r.receivedNs).max().orElseThrow();
                report = String.format("""
                          node killed: it evaluated partitions %s of %d (%d violations open on them at the kill, %d walkers entering after it)
                          kill -> first alert transition from the survivor on the dead node's partitions: %.1f s (last of its %d: %.1f s)
                          kill -> every device acked again (a frame sent after the kill): %.1f s (%d devices moved to the survivor)
                          kill -> every device has a fix acked after the kill in PostgreSQL: %.1f s
                          load average at the end: %.1f
                        """, new java.util.TreeSet<>(dead), PARTITIONS,
                        java.util.stream.IntStream.range(0, WALKERS).filter(d -> holder[d] && dead.contains(DevicePartitions.of(registryIds[d], PARTITIONS))).count(),
                        java.util.stream.IntStream.range(0, WALKERS).filter(d -> !holder[d] && dead.contains(DevicePartitions.of(registryIds[d], PARTITIONS))).count(),
                        seconds(firstBySurvivor - killedAt), bySurvivorOnDead.size(), seconds(lastBySurvivor - killedAt),
                        seconds(load.lastFirstAckSentAfter(killedAt) - killedAt), load.moved(), seconds(storedAgain - killedAt),
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
                Thread.sleep(2_000);
                completed = true;
            } finally {
                load.stop(completed ? 120 : 5);
                tail.stop();
            }
            load.checkNoErrors();

            // every acked fix stored once per device
            int acked = load.totalAcked();
            await().atMost(Duration.ofSeconds(180)).until(() -> count(db, "select count(*) from positions") >= acked);
            Map<Long, long[]> stored = storedPerDevice(db);
            for (int d = 0; d < DEVICES; d++) {
                long[] rows = stored.getOrDefault(registryIds[d], new long[2]);
                assertEquals(load.acked(d), rows[0], "rows of " + load.name(d) + " = its acked fixes");
                assertEquals(rows[0], rows[1], "each fix of " + load.name(d) + " stored once");
            }
            assertEquals(acked, count(db, "select count(*) from positions"));

            // every alert transition once on the topic and in the alerts table
            List<Alert> onTopic = AlertsOnTopic.read(cluster.bootstrapServers(), alertsTopic);
            List<String> transitions = AlertsOnTopic.transitions(onTopic);
            assertEquals(transitions.size(), new HashSet<>(transitions).size(), "no transition twice: " + transitions);
            Map<Long, String> expectedState = new HashMap<>();
            for (Alert a : onTopic) {
                if (a.phase() == Alert.Phase.RAISED) {
                    expectedState.putIfAbsent(a.alertId(), "OPEN");
                } else if (a.phase() == Alert.Phase.CLEARED) {
                    expectedState.put(a.alertId(), "CLEARED");
                }
            }
            await().atMost(Duration.ofSeconds(120)).until(() -> alertStates(db).equals(expectedState));
            for (int d = 0; d < WALKERS; d++) {
                long id = registryIds[d];
                List<Alert> mine = onTopic.stream().filter(a -> a.deviceId() == id && a.type() == AlertType.EXCLUSION_VIOLATION).toList();
                List<Alert> raised = mine.stream().filter(a -> a.phase() == Alert.Phase.RAISED).toList();
                assertEquals(1, raised.size(), load.name(d) + " raised once: " + mine);
                if (holder[d]) {
                    List<Alert> cleared = mine.stream().filter(a -> a.phase() == Alert.Phase.CLEARED).toList();
                    assertEquals(1, cleared.size(), load.name(d) + ": the violation open at the kill is cleared once");
                    assertEquals(raised.get(0).alertId(), cleared.get(0).alertId(), load.name(d) + ": the open alert was not lost");
                    assertEquals("CLEARED", expectedState.get(raised.get(0).alertId()));
                }
            }
            for (AlertTail.Record r : tail.records) {   // on the dead node's partitions, after the kill: the survivor's
                if (deadPartitions.contains(r.partition) && r.offset >= endsAtKill.get(r.partition)
                        && r.alert.type() == AlertType.EXCLUSION_VIOLATION) {
                    int d = deviceIndex(registryIds, r.alert.deviceId());
                    assertEquals(holder[d] ? Alert.Phase.CLEARED : Alert.Phase.RAISED, r.alert.phase(),
                            load.name(d) + " after the kill: " + r.alert);
                }
            }
            System.out.printf("NodeFailoverOnThreeBrokersTest: 3 brokers, 2 nodes, %d devices (%d Kuzet ~6 msg/s each, %d GT06"
                    + " 1 msg/s), %d acked fixes each stored once, %d alert transitions each once on the topic and in the table%n%s",
                    DEVICES, WALKERS + KUZET_OTHERS, GT06_DEVICES, acked, transitions.size(), report);
        }
    }

    private static Map<Integer, Long> merge(Map<Integer, Long> a, Map<Integer, Long> b) {
        Map<Integer, Long> m = new HashMap<>(a);
        b.forEach((p, o) -> m.merge(p, o, Math::max));
        return m;
    }

    private static long countTrue(boolean[] flags) {
        long n = 0;
        for (boolean f : flags) {
            n += f ? 1 : 0;
        }
        return n;
    }

    private static int deviceIndex(long[] registryIds, long id) {
        for (int d = 0; d < registryIds.length; d++) {
            if (registryIds[d] == id) {
                return d;
            }
        }
        throw new AssertionError("unknown device " + id);
    }

    /** Member id to assigned partitions of the evaluation group. */
    private static Map<String, Set<Integer>> members(Admin admin, String group) throws Exception {
        ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS).get(group);
        Map<String, Set<Integer>> members = new HashMap<>();
        for (MemberDescription m : d.members()) {
            Set<Integer> partitions = new HashSet<>();
            m.assignment().topicPartitions().forEach(tp -> partitions.add(tp.partition()));
            members.put(m.consumerId(), partitions);
        }
        return members;
    }

    private int[] startNode(int n, KafkaCluster cluster, Database db, Path fleet, String topic) throws Exception {
        Path data = dir.resolve("node-" + n);
        Files.createDirectories(data);
        List<String> command = ChildJvm.java();
        command.addAll(List.of("-Xmx512m", "-cp", System.getProperty("java.class.path"), ClusterNodeChildMain.class.getName(),
                data.toString(), fleet.toString(), Integer.toString(db.embeddedPort()), cluster.bootstrapServers(), topic,
                Integer.toString(PARTITIONS)));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("node-" + n + ".log").toFile()).start();
        nodes.add(child);
        Path portsFile = data.resolve("ports");
        await().atMost(Duration.ofSeconds(240)).until(() -> Files.exists(portsFile) || !child.isAlive());
        assertTrue(child.isAlive(), "node " + n + " died at start:\n" + Files.readString(dir.resolve("node-" + n + ".log")));
        Map<String, Integer> p = new HashMap<>();
        for (String entry : Files.readString(portsFile).trim().split(" ")) {
            String[] kv = entry.split("=");
            p.put(kv[0], Integer.parseInt(kv[1]));
        }
        return new int[] {p.get("kuzet"), p.get("gt06")};
    }

    @AfterEach
    void killNodes() throws Exception {
        for (Process p : nodes) {
            p.destroyForcibly().waitFor();
        }
    }

    /** Walkers (one subject each, an exclusion rule on the victim's workplace), then the others without rules. */
    private Path fleet() throws Exception {
        StringBuilder subjects = new StringBuilder();
        StringBuilder devices = new StringBuilder();
        StringBuilder orders = new StringBuilder();
        StringBuilder assignments = new StringBuilder();
        for (int d = 0; d < DEVICES; d++) {
            String caseId = "KZ-FAILOVER-" + d;
            boolean kuzet = d < WALKERS + KUZET_OTHERS;
            String protocol = kuzet ? "kuzet" : "gt06";
            long number = number(d);
            subjects.append("  - agency: ALM\n    externalCaseId: ").append(caseId).append("\n    displayName: Failover ").append(d).append('\n');
            devices.append("  - protocol: ").append(protocol).append("\n    number: ").append(number).append('\n')
                    .append(kuzet ? "    secretKey: " + HexFormat.of().formatHex(KEY) + "\n" : "").append("    role: BRACELET\n");
            orders.append("  - legalReference: \"Failover order ").append(d).append("\"\n    subject: {agency: ALM, externalCaseId: ")
                    .append(caseId).append("}\n    kind: PRE_TRIAL_RESTRICTION\n    startsAt: 2025-11-01T00:00:00Z\n    timeZone: Asia/Almaty\n")
                    .append("    riskLevel: HIGH\n");
            if (d < WALKERS) {
                orders.append("    rules:\n      - name: Keep away from victim's workplace\n        kind: EXCLUSION\n"
                        + "        zone: Victim workplace\n        graceM: 25\n        openFixes: 3\n        openDwellS: 10\n"
                        + "        closeFixes: 1\n");
            }
            assignments.append("  - device: {protocol: ").append(protocol).append(", number: ").append(number)
                    .append("}\n    subject: {agency: ALM, externalCaseId: ").append(caseId)
                    .append("}\n    assignedAt: 2025-11-01T00:00:00Z\n");
        }
        Path file = dir.resolve("failover-fleet.yaml");
        Files.writeString(file, "agencies:\n  - code: ALM\n    name: Almaty city probation service\n    region: Almaty\n"
                + "subjects:\n" + subjects
                + "zones:\n  - agency: ALM\n    name: Victim workplace\n    kind: EXCLUSION_AREA\n    geojson:\n      type: Feature\n"
                + "      properties: {radius_m: 300}\n      geometry: {type: Point, coordinates: [" + ZONE_LON + ", " + ZONE_LAT + "]}\n"
                + "devices:\n" + devices + "orders:\n" + orders + "assignments:\n" + assignments);
        return file;
    }

    private static long number(int d) {
        return d < WALKERS + KUZET_OTHERS ? KUZET_FIRST + d : GT06_FIRST + d - WALKERS - KUZET_OTHERS;
    }

    private static long[] registryIds(Database db) throws Exception {
        long[] ids = new long[DEVICES];
        for (int d = 0; d < DEVICES; d++) {
            ids[d] = count(db, "select id from devices where device_number = " + number(d));
            assertTrue(ids[d] > 0, "device " + number(d) + " provisioned");
        }
        return ids;
    }

    /** Per registry device id: rows in positions and distinct fix times among them. */
    private static Map<Long, long[]> storedPerDevice(Database db) throws Exception {
        Map<Long, long[]> rows = new HashMap<>();
        try (Connection c = db.dataSource().getConnection(); PreparedStatement s = c.prepareStatement(
                "select device_id, count(*), count(distinct fix_time) from positions group by device_id");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                rows.put(rs.getLong(1), new long[] {rs.getLong(2), rs.getLong(3)});
            }
        }
        return rows;
    }

    private static Map<Long, String> alertStates(Database db) throws Exception {
        Map<Long, String> states = new HashMap<>();
        try (Connection c = db.dataSource().getConnection(); PreparedStatement s = c.prepareStatement("select id, state from alerts");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                states.put(rs.getLong(1), rs.getString(2));
            }
        }
        return states;
    }

    private static long count(Database db, String sql) {
        try (Connection c = db.dataSource().getConnection(); PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            return rs.next() ? rs.getLong(1) : -1;
        } catch (java.sql.SQLException e) {
            return -1;
        }
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    /** Every record of the alerts topic as it arrives, with the time it was read (a consumer polling every 50 ms). */
    private static final class AlertTail {
        record Record(int partition, long offset, Alert alert, long receivedNs) {
        }

        final ConcurrentLinkedQueue<Record> records = new ConcurrentLinkedQueue<>();
        private final KafkaConsumer<Long, byte[]> consumer;
        private final List<TopicPartition> partitions;
        private final Thread thread;
        private volatile boolean stopping;
        private volatile Map<Integer, Long> positions = Map.of();

        AlertTail(String bootstrap, String topic) {
            consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                    new LongDeserializer(), new ByteArrayDeserializer());
            partitions = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                partitions.add(new TopicPartition(topic, p));
            }
            thread = new Thread(this::run, "alert-tail");
        }

        void start() {
            thread.start();
        }

        private void run() {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (!stopping) {
                for (ConsumerRecord<Long, byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                    records.add(new Record(r.partition(), r.offset(), AlertCodec.fromBytes(r.value()), System.nanoTime()));
                }
                Map<Integer, Long> now = new HashMap<>();
                for (TopicPartition tp : partitions) {
                    now.put(tp.partition(), consumer.position(tp));
                }
                positions = now;
            }
            consumer.close(Duration.ofSeconds(2));
        }

        /** Per partition, the offset after the last record read so far. */
        Map<Integer, Long> ends() {
            Map<Integer, Long> ends = new HashMap<>();
            for (int p = 0; p < PARTITIONS; p++) {
                ends.put(p, 0L);
            }
            for (Record r : records) {
                ends.merge(r.partition, r.offset + 1, Math::max);
            }
            return merge(ends, positions);
        }

        /** The same a moment later: what the dead node had appended before its death may still be arriving. */
        Map<Integer, Long> endsNow() throws InterruptedException {
            Thread.sleep(300);
            return ends();
        }

        List<Alert> exclusions(Alert.Phase phase) {
            return records.stream().map(Record::alert).filter(a -> a.type() == AlertType.EXCLUSION_VIOLATION && a.phase() == phase).toList();
        }

        void stop() throws InterruptedException {
            stopping = true;
            thread.join(10_000);
        }
    }

    /**
     * Polls {@code positions} every 250 ms from the kill on and notes when every device has more rows than it had acked
     * fixes at the kill: storage runs again for every partition, the killed node's included (its storage group's
     * session timeout).
     */
    private static final class StorageWatch extends Thread {
        private final Database db;
        private final long[] registryIds;
        private final long[] ackedAtKill;
        volatile long doneNs;

        StorageWatch(Database db, long[] registryIds, long[] ackedAtKill) {
            super("storage-watch");
            setDaemon(true);
            this.db = db;
            this.registryIds = registryIds;
            this.ackedAtKill = ackedAtKill;
        }

        @Override
        public void run() {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            try {
                while (System.nanoTime() < deadline) {
                    Map<Long, long[]> stored = storedPerDevice(db);
                    boolean all = true;
                    for (int d = 0; d < registryIds.length && all; d++) {
                        all = stored.getOrDefault(registryIds[d], new long[2])[0] > ackedAtKill[d];
                    }
                    if (all) {
                        doneNs = System.nanoTime();
                        return;
                    }
                    Thread.sleep(250);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private record Ack(int device, long sentNs, long ackNs) {
    }

    /**
     * The bracelets, one thread each: Kuzet ones send a fix, wait for its ack, sleep 150 ms; GT06 ones one a second. A
     * device connects to node {@code d % 2}; when its connection breaks because that node was killed it reconnects to the
     * other (the load balancer) and resends its unacked frame unless the login reports it stored. A walker's fixes are in
     * the exclusion zone while {@code inside[d]}.
     */
    private static final class Load {
        final ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
        final List<Throwable> errors = new CopyOnWriteArrayList<>();
        final boolean[] inside = new boolean[DEVICES];
        volatile int down = -1;
        private final int[][] ports;
        private final long[] registryIds;
        private final long[] acked = new long[DEVICES];
        private final boolean[] moved = new boolean[DEVICES];
        private final List<Thread> threads = new ArrayList<>();
        private volatile boolean stopping;

        Load(int[][] ports, long[] registryIds) {
            this.ports = ports;
            this.registryIds = registryIds;
        }

        String name(int d) {
            return (d < WALKERS + KUZET_OTHERS ? "kuzet:" : "gt06:") + number(d) + " (partition "
                    + DevicePartitions.of(registryIds[d], PARTITIONS) + ")";
        }

        synchronized long acked(int d) {
            return acked[d];
        }

        synchronized long[] ackedNow() {
            return acked.clone();
        }

        synchronized int totalAcked() {
            long n = 0;
            for (long a : acked) {
                n += a;
            }
            return (int) n;
        }

        synchronized int moved() {
            return (int) countTrue(moved);
        }

        void start() {
            long base = (System.currentTimeMillis() / 1000) * 1000 - 86_400_000L;   // fix times a day back, never ahead
            for (int d = 0; d < DEVICES; d++) {
                int device = d;
                Thread t = new Thread(() -> {
                    try {
                        if (device < WALKERS + KUZET_OTHERS) {
                            runKuzet(device, base);
                        } else {
                            runGt06(device, base);
                        }
                    } catch (Throwable e) {
                        errors.add(new AssertionError(name(device) + ": " + e, e));
                    }
                }, "device-" + d);
                threads.add(t);
                t.start();
            }
        }

        private DeviceMessage kuzetFix(int d, long base, long n) {
            double lat = d < WALKERS ? (inside[d] ? ZONE_LAT : ZONE_LAT + 0.02) : 43.30 + d * 0.001;
            return fixAt(base + n * 5_000, lat, ZONE_LON, 6);
        }

        /** The node a device talks to now: its own, or the other once its own is down. */
        private int node(int d) {
            return down == d % 2 ? 1 - d % 2 : d % 2;
        }

        private void runKuzet(int d, long base) throws Exception {
            DeviceMessage pending = null;
            long pendingSequence = 0;
            while (!stopping || pending != null) {
                int node = node(d);
                KuzetTestClient device = connect(() -> new KuzetTestClient(ports[node][0]));
                try (device) {
                    device.readTimeoutMs(120_000);
                    KuzetTestClient.Reply login = device.login(number(d), KEY);
                    assertEquals(0, login.status, "login");
                    long stored = login.value;
                    synchronized (this) {
                        assertTrue(stored == acked[d] || pending != null && stored == pendingSequence,
                                "login on node " + node + " reports " + stored + " stored, acked " + acked[d]);
                        acked[d] = stored;
                    }
                    if (pending != null && stored == pendingSequence) {
                        pending = null;   // appended before the node died: the login says so
                    }
                    device.startSequenceAt(stored + 1);
                    while (!stopping || pending != null) {
                        if (pending == null) {
                            pendingSequence = acked(d) + 1;
                            pending = kuzetFix(d, base, pendingSequence);
                        }
                        long sent = System.nanoTime();
                        assertEquals(pendingSequence, device.sendPositions(pending));
                        KuzetTestClient.Reply reply = device.readReply();
                        assertEquals(KuzetMessageType.ACK, reply.type);
                        assertEquals(pendingSequence, reply.value, "the ack names the frame");
                        acked(d, pendingSequence, sent);
                        pending = null;
                        Thread.sleep(150);
                    }
                } catch (IOException e) {
                    if (down != node) {
                        throw e;
                    }
                    movedTo(d);
                }
            }
        }

        private void runGt06(int d, long base) throws Exception {
            long imei = number(d);
            DeviceMessage pending = null;
            long n = 1;
            while (!stopping || pending != null) {
                int node = node(d);
                try (Socket socket = connect(() -> new Socket("127.0.0.1", ports[node][1]))) {
                    socket.setSoTimeout(120_000);
                    ByteBuf login = Unpooled.buffer();
                    Gt06Encoder.writeLogin(login, imei, 1);
                    socket.getOutputStream().write(Gt06Wire.bytes(login));
                    assertEquals(0x01, Gt06Wire.readAnswer(socket.getInputStream())[3], "login answered");
                    while (!stopping || pending != null) {
                        if (pending == null) {
                            n = acked(d) + 1;
                            pending = fixAt(base + n * 1000, 43.40 + d * 0.001, 76.90, 10);
                        }
                        long sent = System.nanoTime();
                        ByteBuf location = Unpooled.buffer();
                        Gt06Encoder.writeLocation0x12(location, pending.fix(0), (int) (1 + n) & 0xFFFF);
                        socket.getOutputStream().write(Gt06Wire.bytes(location));   // a resend is the same fix again
                        assertEquals(0x12, Gt06Wire.readAnswer(socket.getInputStream())[3], "location answered");
                        acked(d, n, sent);
                        pending = null;
                        Thread.sleep(1_000);
                    }
                } catch (IOException e) {
                    if (down != node) {
                        throw e;
                    }
                    movedTo(d);
                }
            }
        }

        interface Connect<T> {
            T open() throws IOException;
        }

        private static <T> T connect(Connect<T> connect) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                try {
                    return connect.open();
                } catch (IOException e) {
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                    Thread.sleep(200);
                }
            }
        }

        private synchronized void movedTo(int d) {
            moved[d] = true;
        }

        private void acked(int d, long sequence, long sentNs) {
            synchronized (this) {
                acked[d] = sequence;
            }
            acks.add(new Ack(d, sentNs, System.nanoTime()));
        }

        boolean everyDeviceAckedSentAfter(long ns) {
            return lastFirstAckSentAfter(ns) != Long.MAX_VALUE;
        }

        /** The latest of the devices' first acks of a frame sent after {@code ns} (MAX_VALUE while one has none). */
        long lastFirstAckSentAfter(long ns) {
            long[] first = new long[DEVICES];
            java.util.Arrays.fill(first, Long.MAX_VALUE);
            for (Ack a : acks) {
                if (a.sentNs >= ns) {
                    first[a.device] = Math.min(first[a.device], a.ackNs);
                }
            }
            return java.util.Arrays.stream(first).max().orElse(Long.MAX_VALUE);
        }

        void checkNoErrors() {
            if (!errors.isEmpty()) {
                AssertionError e = new AssertionError(errors.size() + " device(s) failed; first: " + errors.get(0));
                errors.forEach(e::addSuppressed);
                throw e;
            }
        }

        /** Stops sending: each device finishes its unacked frame first, for at most {@code seconds} in all. */
        void stop(int seconds) throws InterruptedException {
            stopping = true;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            for (Thread t : threads) {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
        }
    }
}
