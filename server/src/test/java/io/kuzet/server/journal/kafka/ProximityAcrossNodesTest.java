package io.kuzet.server.journal.kafka;

import static io.kuzet.server.testing.Fixes.fixAt;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kuzet.server.alert.Alert;
import io.kuzet.server.alert.AlertType;
import io.kuzet.server.config.ServerConfig;
import io.kuzet.server.journal.Protocol;
import io.kuzet.server.registry.DeviceRecord;
import io.kuzet.server.registry.DeviceRole;
import io.kuzet.server.testing.AlertsOnTopic;
import io.kuzet.server.testing.KafkaTestTopics;
import io.kuzet.server.testing.KuzetTestClient;
import io.kuzet.server.testing.RunningServer;
import io.kuzet.server.testing.SharedKafka;
import io.kuzet.server.testing.TestFleet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A proximity rule when the victim's unit and the offender's bracelet are evaluated by different nodes (their records
 * fall in partitions owned by different members of the evaluation group): the offender's owner must still know where
 * the victim is, and raise the violation when the offender comes within the limit distance.
 */
class ProximityAcrossNodesTest {
    private static final long T0 = RunningServer.T0;
    private static final int PARTITIONS = 2;
    private static final long VICTIM_NUMBER = 700_000_777L;

    @TempDir
    Path dirA;
    @TempDir
    Path dirB;

    @Test
    void theOffendersOwnerRaisesTheProximityViolationWhenTheVictimsUnitIsEvaluatedByTheOtherNode() throws Exception {
        int offenderPartition = DevicePartitions.of(TestFleet.KUZET_DEVICE, PARTITIONS);
        long victimId = 2000;
        while (DevicePartitions.of(victimId, PARTITIONS) == offenderPartition) {
            victimId++;
        }
        int victimPartition = DevicePartitions.of(victimId, PARTITIONS);
        DeviceRecord victimUnit = new DeviceRecord(victimId, "kuzet", VICTIM_NUMBER, TestFleet.KUZET_KEY, DeviceRole.VICTIM_UNIT, 0);
        String topic = SharedKafka.uniqueTopic("kuzet-proximity-across-nodes");
        Consumer<ServerConfig> kafka = c -> {
            c.journal.kind = ServerConfig.JournalKind.KAFKA;
            c.kafka.bootstrapServers = SharedKafka.bootstrapServers();
            KafkaTestTopics.use(c.kafka, topic);
            c.kafka.partitions = PARTITIONS;
            c.kafka.replicationFactor = 1;
            c.kafka.minInsyncReplicas = 1;
        };
        RunningServer nodeA = new RunningServer(dirA, TestFleet.registryWithProximity(500, 0, victimUnit), kafka);
        RunningServer nodeB = new RunningServer(dirB, TestFleet.registryWithProximity(500, 0, victimUnit), kafka);
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> owned(nodeA).length == 1 && owned(nodeB).length == 1);
            RunningServer offenderOwner = owned(nodeA)[0] == offenderPartition ? nodeA : nodeB;
            RunningServer victimOwner = offenderOwner == nodeA ? nodeB : nodeA;
            assertEquals(victimPartition, owned(victimOwner)[0], "the victim's unit is evaluated by the other node: A "
                    + Arrays.toString(owned(nodeA)) + ", B " + Arrays.toString(owned(nodeB)));
            assertNotEquals(offenderOwner, victimOwner);

            long t = T0;
            try (KuzetTestClient victim = new KuzetTestClient(victimOwner.server.port(Protocol.KUZET));
                 KuzetTestClient offender = new KuzetTestClient(offenderOwner.server.port(Protocol.KUZET))) {
                assertEquals(0, victim.login(VICTIM_NUMBER, TestFleet.KUZET_KEY).value);
                assertEquals(0, offender.login(TestFleet.KUZET_NUMBER, TestFleet.KUZET_KEY).value);
                for (int i = 0; i < 12; i++, t += 30_000) {
                    double offenderMetres = i < 4 ? 3000 : 100;   // far away, then 100 m from the victim (limit 500 m)
                    nodeA.clock.set(t);
                    nodeB.clock.set(t);
                    assertEquals(victim.sendPositions(fixAt(t, TestFleet.latNorthOfCentre(0), TestFleet.ZONE_LON, 5)),
                            victim.readReply().value);
                    Thread.sleep(100);   // the victim's fix reaches the other node through Kafka (any lag within 30 s of journal time)
                    assertEquals(offender.sendPositions(fixAt(t + 1000, TestFleet.latNorthOfCentre(offenderMetres),
                            TestFleet.ZONE_LON, 5)), offender.readReply().value);
                }
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> !raised(topic).isEmpty());
            List<Alert> raised = raised(topic);
            assertEquals(1, raised.size(), "raised once: " + raised);
            Alert violation = raised.get(0);
            assertEquals(TestFleet.SUBJECT, violation.subjectId());
            assertEquals(TestFleet.PROXIMITY_RULE, violation.ruleId());
            assertEquals(TestFleet.KUZET_DEVICE, violation.deviceId());
            assertTrue(!violation.explanation().isBlank(), "an explanation an operator can read: " + violation);
        } finally {
            nodeB.close();
            nodeA.close();
        }
    }

    private static List<Alert> raised(String topic) {
        return AlertsOnTopic.read(topic + ".alerts").stream()
                .filter(a -> a.type() == AlertType.PROXIMITY_VIOLATION && a.phase() == Alert.Phase.RAISED).toList();
    }

    private static int[] owned(RunningServer node) {
        return node.server.core().ownedPartitions();
    }
}
