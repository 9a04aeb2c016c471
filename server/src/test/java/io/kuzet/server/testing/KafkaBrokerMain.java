package io.kuzet.server.testing;

import org.apache.kafka.common.test.KafkaClusterTestKit;

/**
 * A one-broker KRaft Kafka in its own JVM for measurements (docs/performance.md): prints {@code bootstrap=host:port}
 * and runs until killed. Run it with the server's test class path.
 */
public final class KafkaBrokerMain {
    private KafkaBrokerMain() {
    }

    public static void main(String[] args) throws Exception {
        int brokers = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        KafkaClusterTestKit cluster = SharedKafka.start(brokers);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                cluster.close();
            } catch (Exception e) {
                // exiting
            }
        }));
        System.out.println("bootstrap=" + cluster.bootstrapServers());
        System.out.flush();
        Thread.currentThread().join();
    }
}
