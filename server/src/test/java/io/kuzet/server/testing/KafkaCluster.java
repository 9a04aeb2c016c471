package io.kuzet.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;

/**
 * A real Apache Kafka cluster of {@code n} KRaft nodes for failure tests, each node a combined broker and controller in
 * its own child JVM ({@code kafka.Kafka server.properties}, Kafka's own main class from the test class path, formatted
 * with Kafka's {@code StorageTool}), on free ports, with a static quorum of the {@code n} controllers. One node can be
 * killed with SIGKILL ({@link #kill}) and started again on the same ports and data ({@link #restart}), as a broker
 * machine that dies and comes back. Defaults as production asks: replication 3 and {@code min.insync.replicas=2} for
 * topics created without settings, no unclean leader election. Data under {@code target/kafka-cluster}.
 */
public final class KafkaCluster implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(240);

    private final int size;
    private final Path dir;
    private final int[] brokerPorts;
    private final Process[] processes;
    private final int[] starts;
    private final Admin admin;

    private KafkaCluster(int size, Path dir, int[] brokerPorts) {
        this.size = size;
        this.dir = dir;
        this.brokerPorts = brokerPorts;
        this.processes = new Process[size];
        this.starts = new int[size];
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000));
    }

    /** Formats and starts {@code n} nodes (ids 1..n) and waits until every broker is registered. */
    public static KafkaCluster start(int n) throws Exception {
        Path base = Path.of("target", "kafka-cluster").toAbsolutePath();
        Files.createDirectories(base);
        Path dir = Files.createTempDirectory(base, "cluster");
        int[] ports = freePorts(2 * n);
        int[] brokerPorts = new int[n];
        StringBuilder voters = new StringBuilder();
        for (int i = 0; i < n; i++) {
            brokerPorts[i] = ports[i];
            voters.append(i == 0 ? "" : ",").append(i + 1).append("@127.0.0.1:").append(ports[n + i]);
        }
        String clusterId = Uuid.randomUuid().toString();
        for (int i = 0; i < n; i++) {
            Path properties = dir.resolve("node-" + (i + 1) + ".properties");
            Files.writeString(properties, properties(i + 1, n, brokerPorts[i], ports[n + i], voters.toString(),
                    dir.resolve("node-" + (i + 1) + "-data")));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int status = kafka.tools.StorageTool.execute(new String[] {"format", "-t", clusterId, "-c", properties.toString()},
                    new PrintStream(out, true, StandardCharsets.UTF_8));
            if (status != 0) {
                throw new IllegalStateException("kafka-storage format of node " + (i + 1) + " failed: " + out);
            }
        }
        KafkaCluster cluster = new KafkaCluster(n, dir, brokerPorts);
        try {
            for (int node = 1; node <= n; node++) {
                cluster.launch(node);
            }
            for (int node = 1; node <= n; node++) {
                cluster.awaitBroker(node);
            }
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    private static String properties(int nodeId, int n, int brokerPort, int controllerPort, String voters, Path data) {
        return String.join("\n",
                "process.roles=broker,controller",
                "node.id=" + nodeId,
                "controller.quorum.voters=" + voters,
                "listeners=PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + brokerPort,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + data,
                "num.partitions=1",
                "default.replication.factor=" + Math.min(3, n),
                "min.insync.replicas=" + Math.min(2, n),
                "unclean.leader.election.enable=false",
                "offsets.topic.replication.factor=" + Math.min(3, n),
                "offsets.topic.num.partitions=3",
                "transaction.state.log.replication.factor=" + Math.min(3, n),
                "transaction.state.log.min.isr=" + Math.min(2, n),
                "group.initial.rebalance.delay.ms=0",
                "num.network.threads=2",
                "num.io.threads=2",
                "num.recovery.threads.per.data.dir=1",
                "");
    }

    /** Host:port of every broker, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        StringBuilder s = new StringBuilder();
        for (int port : brokerPorts) {
            s.append(s.length() == 0 ? "" : ",").append("127.0.0.1:").append(port);
        }
        return s.toString();
    }

    /** An Admin client of the cluster (closed with it). */
    public Admin admin() {
        return admin;
    }

    /** Creates {@code topic} with {@code partitions} partitions, replication 3 and {@code min.insync.replicas=2}. */
    public void createTopic(String topic, int partitions) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) Math.min(3, size))
                .configs(Map.of("min.insync.replicas", String.valueOf(Math.min(2, size)))))).all().get(60, TimeUnit.SECONDS);
    }

    /** Per partition of {@code topic}, the id of its leader (-1 when it has none). */
    public Map<Integer, Integer> leaders(String topic) throws Exception {
        TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
        Map<Integer, Integer> leaders = new HashMap<>();
        for (TopicPartitionInfo p : d.partitions()) {
            leaders.put(p.partition(), p.leader() == null ? -1 : p.leader().id());
        }
        return leaders;
    }

    /** The node leading the most partitions of {@code topic}. */
    public int leaderOfMostPartitions(String topic) throws Exception {
        return leaders(topic).values().stream().filter(id -> id > 0)
                .collect(Collectors.groupingBy(id -> id, Collectors.counting()))
                .entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }

    /** The node that is the active controller (the KRaft quorum's leader). */
    public int activeController() throws Exception {
        return admin.describeMetadataQuorum().quorumInfo().get(30, TimeUnit.SECONDS).leaderId();
    }

    /** Ids of the brokers the cluster's metadata lists as registered and not fenced now. */
    public Set<Integer> liveBrokers() throws Exception {
        return admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).stream().map(Node::id).collect(Collectors.toSet());
    }

    /** SIGKILL of node {@code id} (1..n): no shutdown, no flush, its sockets reset by the kernel. */
    public void kill(int id) throws InterruptedException {
        Process p = processes[id - 1];
        if (p != null) {
            p.destroyForcibly();   // SIGKILL on Linux
            p.waitFor();
        }
    }

    /** Starts node {@code id} again on its ports and data and waits until its broker is registered again. */
    public void restart(int id) throws Exception {
        launch(id);
        awaitBroker(id);
    }

    public boolean alive(int id) {
        return processes[id - 1] != null && processes[id - 1].isAlive();
    }

    private void launch(int id) throws IOException {
        List<String> command = ChildJvm.java();
        command.addAll(List.of("-Xmx384m", "-Xms64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), "kafka.Kafka", dir.resolve("node-" + id + ".properties").toString()));
        Path log = dir.resolve("node-" + id + "-" + (starts[id - 1]++) + ".log");
        processes[id - 1] = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private void awaitBroker(int id) throws Exception {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!alive(id)) {
                throw new IllegalStateException("Kafka node " + id + " exited (" + processes[id - 1].exitValue() + "), see " + dir);
            }
            if (answers(id)) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("Kafka node " + id + " did not register within " + READY_TIMEOUT + ", see " + dir);
    }

    /**
     * True when node {@code id}'s own broker port answers and lists it as a broker (asking the cluster alone is not
     * enough: without a controller quorum the others' metadata still lists a dead broker).
     */
    private boolean answers(int id) {
        try (Admin own = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + brokerPorts[id - 1],
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000))) {
            return own.describeCluster().nodes().get(6, TimeUnit.SECONDS).stream().anyMatch(n -> n.id() == id);
        } catch (Exception e) {
            return false;   // not started yet, or no quorum to register with
        }
    }

    private static int[] freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket s = new ServerSocket(0);
                sockets.add(s);
                ports[i] = s.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket s : sockets) {
                s.close();
            }
        }
    }

    /** Kills every node (the data stays under target/ until the next clean). */
    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
        for (Process p : processes) {
            if (p != null) {
                p.destroyForcibly();
            }
        }
        for (Process p : processes) {
            if (p != null) {
                try {
                    p.waitFor(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
