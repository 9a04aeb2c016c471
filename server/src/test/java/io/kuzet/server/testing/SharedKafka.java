package io.kuzet.server.testing;

import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * One real Apache Kafka broker (KRaft, combined broker + controller, in this JVM, from Kafka's own Maven artifacts)
 * for every Kafka test class, started on first use on free ports with its data under {@code target/kafka-test}, and
 * ended with the test JVM. Tests use their own topic names ({@link #uniqueTopic}) instead of cleaning the broker.
 */
public final class SharedKafka {
    private static KafkaClusterTestKit cluster;
    private static int topics;

    private SharedKafka() {
    }

    /** The broker's bootstrap address (host:port). */
    public static synchronized String bootstrapServers() {
        if (cluster == null) {
            // not closed: it ends with the test JVM (closing it from a shutdown hook raced the JVM's exit), and its data
            // directory is under target/, removed by the next clean
            cluster = start(1);
        }
        return cluster.bootstrapServers();
    }

    /** Starts a KRaft cluster of {@code brokers} combined broker/controller nodes; the caller closes it. */
    public static KafkaClusterTestKit start(int brokers) {
        try {
            java.nio.file.Path base = java.nio.file.Path.of("target", "kafka-test").toAbsolutePath();
            java.nio.file.Files.createDirectories(base);
            TestKitNodes nodes = new TestKitNodes.Builder()
                    .setBaseDirectory(java.nio.file.Files.createTempDirectory(base, "cluster"))
                    .setCombined(true)
                    .setNumBrokerNodes(brokers)
                    .setNumControllerNodes(brokers)
                    .build();
            KafkaClusterTestKit kit = new KafkaClusterTestKit.Builder(nodes)
                    .setConfigProp("offsets.topic.replication.factor", String.valueOf(brokers))
                    .setConfigProp("transaction.state.log.replication.factor", String.valueOf(brokers))
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("num.partitions", "1")
                    .build();
            kit.format();
            kit.startup();
            kit.waitForReadyBrokers();
            return kit;
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the in-process Kafka broker: " + e, e);
        }
    }

    /** A topic name no other test in this JVM uses. */
    public static synchronized String uniqueTopic(String prefix) {
        return prefix + "-" + (++topics) + "-" + System.nanoTime();
    }

    /** Creates {@code topic} with {@code partitions} partitions (replication factor 1). */
    public static void createTopic(String topic, int partitions) {
        try (Admin admin = Admin.create(java.util.Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            admin.createTopics(java.util.List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topic " + topic + ": " + e, e);
        }
    }
}
