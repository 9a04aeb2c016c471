package io.kuzet.server.journal.kafka;

import static io.kuzet.server.testing.Fixes.fixAt;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kuzet.server.config.ServerConfig;
import io.kuzet.server.journal.IngestRecord;
import io.kuzet.server.journal.Protocol;
import io.kuzet.server.testing.KuzetTestClient;
import io.kuzet.server.testing.RunningServer;
import io.kuzet.server.testing.SharedKafka;
import io.kuzet.server.testing.TestFleet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Kuzet nodes on one Kafka topic (real in-process broker): a bracelet that sent through node A and reconnects to
 * node B is told by B what is stored, and its retransmission through B is acked without being appended again. Node B
 * learns A's appends by consuming every partition of the topic ({@code KafkaLedgerFeed}), whichever node evaluates
 * them; this test looks only at ingestion (evaluation: EvaluationSplitBetweenNodesTest).
 */
class KafkaReconnectToAnotherNodeTest {
    private static final long T0 = RunningServer.T0;

    @TempDir
    Path dirA;
    @TempDir
    Path dirB;

    @Test
    void aDeviceReconnectingToAnotherNodeKeepsItsSequenceAndItsRetransmissionIsStoredOnce() throws Exception {
        String topic = SharedKafka.uniqueTopic("kuzet-two-nodes");
        Consumer<ServerConfig> kafka = c -> {
            c.journal.kind = ServerConfig.JournalKind.KAFKA;
            c.kafka.bootstrapServers = SharedKafka.bootstrapServers();
            io.kuzet.server.testing.KafkaTestTopics.use(c.kafka, topic);
            c.kafka.partitions = 3;
            c.kafka.replicationFactor = 1;
            c.kafka.minInsyncReplicas = 1;
        };
        try (RunningServer nodeA = new RunningServer(dirA, TestFleet.registry(900), kafka);
             RunningServer nodeB = new RunningServer(dirB, TestFleet.registry(900), kafka)) {
            try (KuzetTestClient device = new KuzetTestClient(nodeA.server.port(Protocol.KUZET))) {
                assertEquals(0, device.login(TestFleet.KUZET_NUMBER, TestFleet.KUZET_KEY).value);
                for (int i = 0; i < 3; i++) {
                    assertEquals(device.sendPositions(fixAt(T0 + i * 30_000L, 43.30, 76.90, 8)), device.readReply().value);
                }
            }
            // node A is lost to the device; it reconnects through the load balancer to node B
            await().atMost(Duration.ofSeconds(30)).until(() -> loginResult(nodeB) == 3);
            try (KuzetTestClient device = new KuzetTestClient(nodeB.server.port(Protocol.KUZET))) {
                assertEquals(3, device.login(TestFleet.KUZET_NUMBER, TestFleet.KUZET_KEY).value, "node B knows what A stored");
                device.startSequenceAt(3);   // its buffer still held frame 3 (the ack from A was lost)
                assertEquals(3, device.sendPositions(fixAt(T0 + 2 * 30_000L, 43.30, 76.90, 8)));
                assertEquals(3, device.readReply().value, "re-acked as stored");
                assertEquals(4, device.sendPositions(fixAt(T0 + 3 * 30_000L, 43.30, 76.90, 8)));
                assertEquals(4, device.readReply().value);
            }
            assertEquals(4, deviceMessagesInTopic(topic), "frames 1-4 each appended once, the retransmission not again");
        }
    }

    private static long loginResult(RunningServer node) throws Exception {
        try (KuzetTestClient device = new KuzetTestClient(node.server.port(Protocol.KUZET))) {
            return device.login(TestFleet.KUZET_NUMBER, TestFleet.KUZET_KEY).value;
        }
    }

    private static long deviceMessagesInTopic(String topic) {
        ServerConfig.Kafka settings = new ServerConfig.Kafka();
        settings.bootstrapServers = SharedKafka.bootstrapServers();
        settings.topic = topic;
        long count = 0;
        try (KafkaJournalReader reader = new KafkaJournalReader(settings, "test-count")) {
            reader.markReplayEnd();
            IngestRecord record = new IngestRecord();
            while (!reader.replayDone()) {
                while (reader.next(record)) {
                    if (record.type == IngestRecord.TYPE_DEVICE_MESSAGE && record.deviceId == TestFleet.KUZET_DEVICE) {
                        count++;
                    }
                }
            }
        }
        return count;
    }
}
