package io.kuzet.server.journal.kafka;

import static io.kuzet.server.testing.Fixes.fixAt;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kuzet.server.alert.Alert;
import io.kuzet.server.alert.AlertType;
import io.kuzet.server.config.ServerConfig;
import io.kuzet.server.journal.Protocol;
import io.kuzet.server.testing.AlertsOnTopic;
import io.kuzet.server.testing.KafkaTestTopics;
import io.kuzet.server.testing.KuzetTestClient;
import io.kuzet.server.testing.RunningServer;
import io.kuzet.server.testing.SharedKafka;
import io.kuzet.server.testing.TestFleet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Kuzet nodes on one Kafka topic (real in-process broker) form the evaluation group: each evaluates some of the
 * partitions and together all of them, an exclusion-zone violation appears once on the alerts topic whichever node the
 * bracelet sends through, and when the node evaluating the bracelet stops, the other takes its partitions over (from
 * the handover snapshot) and clears the open violation without raising it again.
 */
class EvaluationSplitBetweenNodesTest {
    private static final long T0 = RunningServer.T0;
    private static final int PARTITIONS = 4;

    @TempDir
    Path dirA;
    @TempDir
    Path dirB;

    @Test
    void twoNodesSplitThePartitionsAndTheViolationIsOnTheAlertsTopicOnceEvenAcrossAHandover() throws Exception {
        String topic = SharedKafka.uniqueTopic("kuzet-evaluation-group");
        Consumer<ServerConfig> kafka = c -> {
            c.journal.kind = ServerConfig.JournalKind.KAFKA;
            c.kafka.bootstrapServers = SharedKafka.bootstrapServers();
            KafkaTestTopics.use(c.kafka, topic);
            c.kafka.partitions = PARTITIONS;
            c.kafka.replicationFactor = 1;
            c.kafka.minInsyncReplicas = 1;
        };
        int devicePartition = DevicePartitions.of(TestFleet.KUZET_DEVICE, PARTITIONS);
        RunningServer nodeA = new RunningServer(dirA, TestFleet.registry(900), kafka);
        RunningServer nodeB = new RunningServer(dirB, TestFleet.registry(900), kafka);
        RunningServer stopped = null;
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> owned(nodeA).length > 0 && owned(nodeB).length > 0
                    && owned(nodeA).length + owned(nodeB).length == PARTITIONS);
            HashSet<Integer> all = new HashSet<>();
            IntStream.of(owned(nodeA)).forEach(all::add);
            IntStream.of(owned(nodeB)).forEach(all::add);
            assertEquals(PARTITIONS, all.size(), "each partition evaluated by one node: A " + Arrays.toString(owned(nodeA))
                    + ", B " + Arrays.toString(owned(nodeB)));
            assertEquals(owned(nodeA).length, (int) ownedMetric(nodeA), "kuzet_kafka_partitions_owned on /metrics");

            long t = T0;
            try (KuzetTestClient device = new KuzetTestClient(nodeA.server.port(Protocol.KUZET))) {
                assertEquals(0, device.login(TestFleet.KUZET_NUMBER, TestFleet.KUZET_KEY).value);
                for (int i = 0; i < 12; i++, t += 30_000) {
                    double metres = i < 4 ? 1500 : 60;   // outside, then deep inside the victim's home zone
                    nodeA.clock.set(t);   // received as it is taken (a fix far ahead of its receipt is a clock fault)
                    assertEquals(device.sendPositions(fixAt(t, TestFleet.latNorthOfCentre(metres), TestFleet.ZONE_LON, 5)),
                            device.readReply().value);
                }
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> phases(topic, Alert.Phase.RAISED).size() == 1);

            // the node evaluating the bracelet stops; the other takes its partitions over
            boolean aOwned = Arrays.stream(owned(nodeA)).anyMatch(p -> p == devicePartition);
            RunningServer owner = aOwned ? nodeA : nodeB;
            RunningServer other = aOwned ? nodeB : nodeA;
            long stopping = System.nanoTime();
            owner.close();
            stopped = owner;
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> owned(other).length == PARTITIONS);
            System.out.printf("clean stop of the evaluating node -> the other owns every partition: %d ms%n",
                    java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopping));
            try (KuzetTestClient device = new KuzetTestClient(other.server.port(Protocol.KUZET))) {
                long stored = device.login(TestFleet.KUZET_NUMBER, TestFleet.KUZET_KEY).value;
                assertEquals(12, stored, "the other node knows the bracelet's stored sequence");
                device.startSequenceAt(13);
                for (int i = 0; i < 6; i++, t += 30_000) {   // the subject leaves the zone
                    other.clock.set(t);
                    assertEquals(device.sendPositions(fixAt(t, TestFleet.latNorthOfCentre(1500), TestFleet.ZONE_LON, 5)),
                            device.readReply().value);
                }
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> phases(topic, Alert.Phase.CLEARED).size() == 1);
            List<Alert> onTopic = AlertsOnTopic.read(topic + ".alerts");
            List<String> transitions = AlertsOnTopic.transitions(onTopic);
            assertEquals(transitions.size(), new HashSet<>(transitions).size(), "no transition twice: " + transitions);
            assertEquals(1, phases(topic, Alert.Phase.RAISED).size(), "raised once: " + transitions);
            Alert raised = phases(topic, Alert.Phase.RAISED).get(0);
            Alert cleared = phases(topic, Alert.Phase.CLEARED).get(0);
            assertEquals(raised.alertId(), cleared.alertId(), "the open violation raised before the handover is the one cleared");
            assertEquals(TestFleet.SUBJECT, cleared.subjectId());
            assertEquals(TestFleet.EXCLUSION_RULE, raised.ruleId());
            assertTrue(!raised.explanation().isBlank(), "an explanation an operator can read");
        } finally {
            for (RunningServer node : List.of(nodeB, nodeA)) {
                if (node != stopped) {
                    node.close();
                }
            }
        }
    }

    private static List<Alert> phases(String topic, Alert.Phase phase) {
        return AlertsOnTopic.read(topic + ".alerts").stream()
                .filter(a -> a.type() == AlertType.EXCLUSION_VIOLATION && a.phase() == phase).toList();
    }

    private static int[] owned(RunningServer node) {
        return node.server.core().ownedPartitions();
    }

    private static double ownedMetric(RunningServer node) {
        return node.server.meters().get("kuzet_kafka_partitions_owned").tag("consumer", "evaluation").gauge().value();
    }
}
