package io.kuzet.server.testing;

import io.kuzet.server.config.ServerConfig;

/**
 * Tests share one broker: a test's alerts topic, core snapshots topic and evaluation group are named after its unique
 * ingest topic, so no test restores another test's snapshot or recognises another test's alert ids (same fleet, same
 * clock, same deterministic ids).
 */
public final class KafkaTestTopics {
    private KafkaTestTopics() {
    }

    /** Sets the ingest topic and the topics and group that go with it. */
    public static void use(ServerConfig.Kafka kafka, String topic) {
        kafka.topic = topic;
        kafka.alertsTopic = topic + ".alerts";
        kafka.snapshotsTopic = topic + ".core-snapshots";
        kafka.evaluationGroup = topic + ".evaluation";
    }
}
