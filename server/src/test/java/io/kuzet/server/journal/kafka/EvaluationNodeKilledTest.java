package io.kuzet.server.journal.kafka;

import static io.kuzet.server.testing.Fixes.fixAt;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kuzet.server.KuzetServer;
import io.kuzet.server.alert.Alert;
import io.kuzet.server.alert.AlertType;
import io.kuzet.server.config.ServerConfig;
import io.kuzet.server.journal.Protocol;
import io.kuzet.server.testing.AlertsOnTopic;
import io.kuzet.server.testing.ChildJvm;
import io.kuzet.server.testing.KafkaNodeChildMain;
import io.kuzet.server.testing.KuzetTestClient;
import io.kuzet.server.testing.SharedKafka;
import io.kuzet.server.testing.TestFleet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Kuzet nodes on one topic: node A (a child JVM) evaluates the bracelet's partition, snapshots it, then raises an
 * exclusion-zone violation and is killed with SIGKILL. Node B (in this JVM, a standby member of the evaluation group: the
 * topic has one partition) takes the partition over from A's snapshot and replays the tail, re-deriving the violation A
 * already put on the alerts topic: the topic holds the RAISED once, and when the subject leaves the zone, the CLEARED
 * comes from B (the open alert was not lost). Prints the time from the kill to B's first alert
 * on the topic. Slow (a child JVM and a session timeout): run with {@code -Dslow}.
 */
@Tag("slow")
class EvaluationNodeKilledTest {
    @TempDir
    Path dirA;
    @TempDir
    Path dirB;
    private Process nodeA;

    @Test
    void whenTheEvaluatingNodeIsKilledTheOtherClearsItsOpenViolationWithoutRaisingItAgain() throws Exception {
        String topic = SharedKafka.uniqueTopic("kuzet-node-kill");
        nodeA = startChild(topic);
        int portA = awaitPort();
        ServerConfig configB = KafkaNodeChildMain.kafkaNode(dirB, SharedKafka.bootstrapServers(), topic, 1, 1);
        try (KuzetServer nodeB = KuzetServer.start(configB, TestFleet.registry(900),
                new KuzetServer.Options(System::currentTimeMillis, false))) {
            assertEquals(0, nodeB.core().ownedPartitions().length, "node A evaluates the one partition, B stands by");

            long t = System.currentTimeMillis() - 30 * 60_000L;
            try (KuzetTestClient device = new KuzetTestClient(portA)) {
                assertEquals(0, device.login(TestFleet.KUZET_NUMBER, TestFleet.KUZET_KEY).value);
                for (int i = 0; i < 4; i++, t += 30_000) {   // outside the victim's home zone
                    assertEquals(device.sendPositions(fix(t, 1500)), device.readReply().value);
                }
                Thread.sleep(1_500);   // a second of journal time: the next record makes A snapshot its partition
                assertEquals(device.sendPositions(fix(t, 1500)), device.readReply().value);
                t += 30_000;
                long[] sent = new long[8];
                for (int i = 0; i < sent.length; i++, t += 30_000) {   // then deep inside, sent back to back
                    sent[i] = device.sendPositions(fix(t, 60));
                }
                for (long sequence : sent) {
                    assertEquals(sequence, device.readReply().value);
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> phases(topic, Alert.Phase.RAISED).size() == 1);
            }
            KafkaCoreSnapshots.Snapshot snapshot;
            try (KafkaCoreSnapshots snapshots = new KafkaCoreSnapshots(configB.kafka)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> snapshots.latest(0) != null);
                snapshot = snapshots.latest(0);
            }
            assertNotNull(snapshot);

            long killedAt = System.nanoTime();
            nodeA.destroyForcibly().waitFor();   // SIGKILL
            try (KuzetTestClient device = new KuzetTestClient(nodeB.port(Protocol.KUZET))) {
                assertEquals(13, device.login(TestFleet.KUZET_NUMBER, TestFleet.KUZET_KEY).value,
                        "node B knows what was stored through A");
                device.startSequenceAt(14);
                for (int i = 0; i < 6; i++, t += 30_000) {   // the subject leaves the zone
                    assertEquals(device.sendPositions(fix(t, 1500)), device.readReply().value);
                }
            }
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> phases(topic, Alert.Phase.CLEARED).size() == 1);
            long killToAlertMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
            System.out.printf("node killed -> its partition's next alert on the alerts topic (from the other node): %d ms "
                    + "(session timeout %d ms; A's last snapshot at ingest offset %d, alerts offset %d: %s)%n", killToAlertMs,
                    configB.kafka.evaluationSessionTimeoutMs, snapshot.ingestOffset(), snapshot.alertsOffset(),
                    snapshot.alertsOffset() == 0 ? "B re-derived the RAISED from the tail and recognised it on the topic"
                            : "the open violation came with the snapshot");

            List<String> transitions = AlertsOnTopic.transitions(AlertsOnTopic.read(topic + ".alerts"));
            assertEquals(transitions.size(), new HashSet<>(transitions).size(), "no transition twice: " + transitions);
            List<Alert> raised = phases(topic, Alert.Phase.RAISED);
            assertEquals(1, raised.size(), "raised once, by A: " + transitions);
            assertEquals(raised.get(0).alertId(), phases(topic, Alert.Phase.CLEARED).get(0).alertId(),
                    "the violation A opened is the one B clears: the open alert was not lost");
            assertEquals(1, nodeB.core().ownedPartitions().length, "B owns the partition now");
            assertTrue(nodeB.meters().get("kuzet_kafka_rebalances").tag("consumer", "evaluation").functionCounter().count() >= 2);
        }
    }

    private static io.kuzet.protocol.DeviceMessage fix(long t, double metresNorthOfZoneCentre) {
        return fixAt(t, TestFleet.latNorthOfCentre(metresNorthOfZoneCentre), TestFleet.ZONE_LON, 5);
    }

    private static List<Alert> phases(String topic, Alert.Phase phase) {
        return AlertsOnTopic.read(topic + ".alerts").stream()
                .filter(a -> a.type() == AlertType.EXCLUSION_VIOLATION && a.phase() == phase).toList();
    }

    private Process startChild(String topic) throws Exception {
        List<String> command = ChildJvm.java();
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), KafkaNodeChildMain.class.getName(),
                dirA.toString(), SharedKafka.bootstrapServers(), topic, "1", "1"));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dirA.resolve("node-a.log").toFile()).start();
    }

    private int awaitPort() throws Exception {
        Path ports = dirA.resolve("ports");
        await().atMost(Duration.ofSeconds(240)).until(() -> Files.exists(ports) || !nodeA.isAlive());
        assertTrue(nodeA.isAlive(), "node A died at start:\n" + Files.readString(dirA.resolve("node-a.log")));
        return Integer.parseInt(Files.readString(ports).trim().split("=")[1]);
    }

    @AfterEach
    void killChild() throws Exception {
        if (nodeA != null) {
            nodeA.destroyForcibly().waitFor();
        }
    }
}
