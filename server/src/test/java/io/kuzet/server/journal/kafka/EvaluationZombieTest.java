package io.kuzet.server.journal.kafka;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kuzet.server.config.ServerConfig;
import io.kuzet.server.journal.IngestRecord;
import io.kuzet.server.testing.KafkaTestTopics;
import io.kuzet.server.testing.SharedKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.junit.jupiter.api.Test;

/**
 * A zombie evaluator: the node's evaluation thread stalls (a long GC pause) with records already fetched, and the
 * group expels it meanwhile (here: an administrator removes it, as the coordinator does after the session timeout).
 * When the thread resumes it must not evaluate those records of a partition now owned by another node: it hears the
 * loss first and evaluates nothing more of that partition.
 */
class EvaluationZombieTest {

    @Test
    void aNodeExpelledWhileItsEvaluationStalledEvaluatesNothingMoreOfItsLostPartition() throws Exception {
        ServerConfig.Kafka settings = new ServerConfig.Kafka();
        settings.bootstrapServers = SharedKafka.bootstrapServers();
        KafkaTestTopics.use(settings, SharedKafka.uniqueTopic("kuzet-zombie"));
        settings.partitions = 1;
        settings.replicationFactor = 1;
        settings.minInsyncReplicas = 1;
        List<String> events = new ArrayList<>();
        try (KafkaJournal journal = new KafkaJournal(settings, e -> { });
             KafkaEvaluationReader reader = new KafkaEvaluationReader(settings, "kuzet-zombie-test");
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers))) {
            reader.join(new KafkaEvaluationReader.Ownership() {
                @Override
                public void assigned(int[] partitions) {
                    events.add("assigned " + Arrays.toString(partitions));
                }

                @Override
                public void revoked(int[] partitions) {
                    events.add("revoked " + Arrays.toString(partitions));
                }

                @Override
                public void lost(int[] partitions) {
                    events.add("lost " + Arrays.toString(partitions));
                }
            });
            reader.markReplayEnd();
            assertEquals(List.of("assigned [0]"), events);
            for (int i = 0; i < 5; i++) {
                journal.appendTick(1_000L * (i + 1));
            }
            Thread.sleep(1_000);   // all five on the broker: the first poll fetches them together
            IngestRecord record = new IngestRecord();
            await().atMost(Duration.ofSeconds(30)).until(() -> reader.next(record));   // 1 evaluated, the rest fetched
            events.add("evaluated " + record.timeMs);

            // the evaluation thread stalls; meanwhile the group expels this member and may give partition 0 to another node
            admin.removeMembersFromConsumerGroup(settings.evaluationGroup, new RemoveMembersFromConsumerGroupOptions()).all().get();
            Thread.sleep(settings.evaluationSessionTimeoutMs + 1_000L);

            // it resumes: the loss comes before any further record of partition 0
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while ((!events.contains("lost [0]") || reader.ownedCount() == 0) && System.nanoTime() < deadline) {
                if (reader.next(record)) {
                    events.add("evaluated " + record.timeMs);
                }
            }
            int lost = events.indexOf("lost [0]");
            assertTrue(lost > 0, "the loss was heard: " + events);
            assertEquals("evaluated 1000", events.get(lost - 1), "nothing evaluated between the stall and the loss: " + events);
            assertTrue(reader.heldForMembership() > 0, "the stall was noticed");
        }
    }
}
