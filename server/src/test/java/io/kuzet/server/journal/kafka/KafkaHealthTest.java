package io.kuzet.server.journal.kafka;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kuzet.server.config.ServerConfig;
import io.kuzet.server.journal.IngestRecord;
import io.kuzet.server.testing.SharedKafka;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The Kafka health metrics against a real broker ({@link SharedKafka}): the consumer lag shows what a held consumer has
 * not read and returns to 0 when it catches up; the under-replicated count is 0 on a healthy topic and -1 when the
 * cluster cannot be asked. The three-broker behaviour (a killed broker, a database outage) is in
 * {@code KafkaBrokerKillTest} ({@code -Dslow}).
 */
class KafkaHealthTest {
    private static final long T0 = 1_770_000_000_000L;

    @Test
    void consumerLagCountsTheRecordsTheEvaluationReaderHasNotProcessedAndReturnsToZeroWhenItCatchesUp() throws Exception {
        String topic = SharedKafka.uniqueTopic("kuzet-lag");
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (KafkaHealth health = new KafkaHealth(SharedKafka.bootstrapServers(), meters, 0);
             KafkaJournal journal = new KafkaJournal(settings(topic), e -> { }).reportingLagTo(health)) {
            appendTicksAndWait(journal, 50);   // 100 records: a tick goes to each of the 2 partitions
            try (KafkaJournalReader evaluation = journal.createReader()) {
                health.refresh();
                assertEquals(100, lag(meters, topic), "nothing read yet");

                readAll(evaluation, 100);
                health.refresh();
                assertEquals(0, lag(meters, topic), "caught up");

                appendTicksAndWait(journal, 10);   // the reader is held: it does not poll
                health.refresh();
                assertEquals(20, lag(meters, topic), "the backlog of a held consumer");
                assertTrue(meters.scrape().contains("kuzet_kafka_consumer_lag_records{consumer=\"evaluation\",topic=\"" + topic
                        + "\"} 20.0"), "exported under its documented name");

                readAll(evaluation, 20);
                assertEquals(0, lag(meters, topic), "caught up again, without waiting for the brokers' answer");
            }
            assertEquals(0, meters.get("kuzet_kafka_under_replicated_partitions").tag("topic", topic).gauge().value(),
                    "one broker, replication 1: every partition fully replicated");
        }
    }

    @Test
    void underReplicatedPartitionsIsMinusOneWhenTheClusterCannotBeAsked() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (KafkaHealth health = new KafkaHealth("127.0.0.1:" + closedPort, meters, 0)) {
            health.watchTopic("kuzet.ingest");
            health.refresh();
            assertEquals(-1, meters.get("kuzet_kafka_under_replicated_partitions").tag("topic", "kuzet.ingest").gauge().value());
        }
    }

    private static ServerConfig.Kafka settings(String topic) {
        ServerConfig.Kafka settings = new ServerConfig.Kafka();
        settings.bootstrapServers = SharedKafka.bootstrapServers();
        settings.topic = topic;
        settings.partitions = 2;
        settings.replicationFactor = 1;
        settings.minInsyncReplicas = 1;
        return settings;
    }

    private static void appendTicksAndWait(KafkaJournal journal, int ticks) {
        long last = -1;
        for (int i = 0; i < ticks; i++) {
            last = journal.appendTick(T0 + i * 1000L);
        }
        long ticket = last;
        KafkaAcks acks = (KafkaAcks) journal.durability();
        await().atMost(Duration.ofSeconds(30)).until(() -> acks.watermark() >= ticket);
    }

    /** Reads {@code count} records, then polls once more: what the reader returned is then processed. */
    private static void readAll(KafkaJournalReader reader, int count) {
        IngestRecord record = new IngestRecord();
        int[] read = {0};
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            while (reader.next(record)) {
                read[0]++;
            }
            return read[0] >= count;
        });
        assertEquals(count, read[0]);
    }

    private static double lag(PrometheusMeterRegistry meters, String topic) {
        return meters.get("kuzet_kafka_consumer_lag_records").tags("consumer", "evaluation", "topic", topic).gauge().value();
    }
}
