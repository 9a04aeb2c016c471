package io.kuzet.server.journal.kafka;

import static io.kuzet.server.testing.Fixes.fixAt;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.kuzet.server.alert.Alert;
import io.kuzet.server.alert.AlertCodec;
import io.kuzet.server.alert.AlertType;
import io.kuzet.server.alert.Severity;
import io.kuzet.server.api.auth.Principal;
import io.kuzet.server.api.auth.Role;
import io.kuzet.server.api.http.HttpExtension;
import io.kuzet.server.config.ServerConfig;
import io.kuzet.server.journal.Protocol;
import io.kuzet.server.testing.KuzetTestClient;
import io.kuzet.server.testing.LiveAlertClient;
import io.kuzet.server.testing.RunningServer;
import io.kuzet.server.testing.SharedKafka;
import io.kuzet.server.testing.TestFleet;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Kuzet nodes on one Kafka cluster (real in-process broker), an operator's console on each: whichever node's
 * evaluation appended an alert transition to the alerts topic, and whichever partition it is on, both operators see it
 * on their live stream. The transitions are appended here as the evaluation owner appends them (key = device id,
 * partition = the device's, value = {@link AlertCodec#toBytes}).
 */
class KafkaLiveStreamAcrossNodesTest {
    private static final int PARTITIONS = 3;
    private static final String OPERATOR_TOKEN = "operator-token-of-op-alm";

    @TempDir
    Path dirA;
    @TempDir
    Path dirB;

    @Test
    void anOperatorOnEitherNodeSeesEveryAlertWhicheverNodeEvaluatedIt() throws Exception {
        String alertsTopic = SharedKafka.uniqueTopic("kuzet-alerts");
        SharedKafka.createTopic(alertsTopic, PARTITIONS);
        String ingestTopic = SharedKafka.uniqueTopic("kuzet-ingest");
        Consumer<ServerConfig> kafka = c -> {
            c.journal.kind = ServerConfig.JournalKind.KAFKA;
            c.kafka.bootstrapServers = SharedKafka.bootstrapServers();
            c.kafka.topic = ingestTopic;
            c.kafka.alertsTopic = alertsTopic;
            c.kafka.partitions = PARTITIONS;
            c.kafka.replicationFactor = 1;
            c.kafka.minInsyncReplicas = 1;
        };
        try (RunningServer nodeA = new RunningServer(dirA, TestFleet.registry(900), kafka);
             RunningServer nodeB = new RunningServer(dirB, TestFleet.registry(900), kafka);
             LiveAlertClient operatorOnA = new LiveAlertClient(nodeA.server.httpPort(), RunningServer.LIVE_TOKEN);
             LiveAlertClient operatorOnB = new LiveAlertClient(nodeB.server.httpPort(), RunningServer.LIVE_TOKEN);
             KafkaProducer<Long, byte[]> evaluationOwners = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                     new LongSerializer(), new ByteArraySerializer())) {
            await().atMost(Duration.ofSeconds(10)).until(() -> nodeA.server.live().subscribers() == 1
                    && nodeB.server.live().subscribers() == 1);

            // two bracelets on different partitions: whichever node owns the one, it does not own the other
            long braceletOne = TestFleet.KUZET_DEVICE;
            long braceletTwo = deviceOnAnotherPartition(braceletOne);
            Alert one = exclusion(braceletOne, RunningServer.T0, "Exclusion zone 'Victim home': 85 m inside (accuracy 12 m)");
            Alert two = exclusion(braceletTwo, RunningServer.T0 + 60_000, "Exclusion zone 'Victim home': 40 m inside (accuracy 8 m)");
            for (Alert a : List.of(one, two)) {
                evaluationOwners.send(new ProducerRecord<>(alertsTopic, DevicePartitions.of(a.deviceId(), PARTITIONS),
                        a.deviceId(), AlertCodec.toBytes(a))).get();
            }

            for (LiveAlertClient operator : List.of(operatorOnA, operatorOnB)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> operator.alerts("EXCLUSION_VIOLATION", "RAISED").size() == 2);
                List<JsonNode> seen = operator.alerts("EXCLUSION_VIOLATION", "RAISED");
                assertEquals(Stream.of(one, two).map(a -> Long.toString(a.alertId())).sorted().toList(),
                        seen.stream().map(a -> a.path("alertId").asText()).sorted().toList(), "both alerts, once each");
                JsonNode first = seen.stream().filter(a -> a.path("alertId").asText().equals(Long.toString(one.alertId())))
                        .findFirst().orElseThrow();
                assertEquals(one.explanation(), first.path("explanation").asText());
                assertEquals(Long.toString(TestFleet.SUBJECT), first.path("subjectId").asText());
                assertEquals(Instant.ofEpochMilli(one.fixTimeMs()).toString(), first.path("fixTime").asText());
            }
        }
    }

    @Test
    void anOperatorOnOneNodeSeesTheLatestPositionOfABraceletConnectedToTheOtherNode() throws Exception {
        String ingestTopic = SharedKafka.uniqueTopic("kuzet-ingest");
        String alertsTopic = SharedKafka.uniqueTopic("kuzet-alerts");
        SharedKafka.createTopic(alertsTopic, PARTITIONS);
        Consumer<ServerConfig> kafka = c -> {
            c.journal.kind = ServerConfig.JournalKind.KAFKA;
            c.kafka.bootstrapServers = SharedKafka.bootstrapServers();
            c.kafka.topic = ingestTopic;
            c.kafka.alertsTopic = alertsTopic;
            c.kafka.partitions = PARTITIONS;
            c.kafka.replicationFactor = 1;
            c.kafka.minInsyncReplicas = 1;
        };
        // an agency operator's token (the ops token streams alerts only)
        Principal operator = new Principal(7, "op-alm", Role.OPERATOR, TestFleet.AGENCY);
        java.util.concurrent.ExecutorService workers = java.util.concurrent.Executors.newSingleThreadExecutor();
        HttpExtension operatorTokens = new HttpExtension(List.of(), token -> OPERATOR_TOKEN.equals(token) ? operator : null,
                workers, path -> false, null, (sub, address) -> { }, 64 * 1024);
        try (RunningServer nodeA = new RunningServer(dirA, TestFleet.registry(900), kafka);
             RunningServer nodeB = new RunningServer(dirB, TestFleet.registry(900), kafka,
                     options -> options.withHttpExtension(server -> operatorTokens));
             LiveAlertClient operatorOnB = new LiveAlertClient(nodeB.server.httpPort(), OPERATOR_TOKEN, "position");
             KuzetTestClient bracelet = new KuzetTestClient(nodeA.server.port(Protocol.KUZET))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> nodeB.server.live().subscribers() == 1);
            assertEquals(0, bracelet.login(TestFleet.KUZET_NUMBER, TestFleet.KUZET_KEY).status);
            double lat = 43.2500;
            for (int i = 0; i < 100 && operatorOnB.alerts().isEmpty(); i++) {   // until node B follows the topic's end
                lat += 0.0001;
                long t = RunningServer.T0 + i * 10_000L;
                nodeA.clock.set(t);
                assertEquals(bracelet.sendPositions(fixAt(t, lat, 76.90, 8)), bracelet.readReply().value);
                Thread.sleep(100);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> !operatorOnB.alerts().isEmpty());
            JsonNode position = operatorOnB.alerts().get(operatorOnB.alerts().size() - 1);
            assertEquals("position", position.path("kind").asText());
            assertEquals(Long.toString(TestFleet.SUBJECT), position.path("subjectId").asText());
            assertEquals(Long.toString(TestFleet.AGENCY), position.path("agencyId").asText());
            assertEquals(lat, position.path("lat").asDouble(), 1e-6, "the newest fix the bracelet sent through node A");
        } finally {
            workers.shutdownNow();
        }
    }

    private static long deviceOnAnotherPartition(long device) {
        long other = TestFleet.GT06_DEVICE;
        while (DevicePartitions.of(other, PARTITIONS) == DevicePartitions.of(device, PARTITIONS)) {
            other++;
        }
        return other;
    }

    private static Alert exclusion(long deviceId, long fixTimeMs, String explanation) {
        return new Alert(Alert.identity(deviceId, AlertType.EXCLUSION_VIOLATION, TestFleet.EXCLUSION_RULE, fixTimeMs),
                Alert.Phase.RAISED, AlertType.EXCLUSION_VIOLATION, Severity.HIGH, deviceId, deviceId, TestFleet.SUBJECT,
                TestFleet.ORDER, TestFleet.EXCLUSION_RULE, fixTimeMs, fixTimeMs + 800, false, explanation,
                Map.of("zoneName", "Victim home"));
    }
}
