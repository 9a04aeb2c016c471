package io.kuzet.simulator.cli;

import io.kuzet.simulator.load.LoadFleet;
import io.kuzet.simulator.target.InProcessServer;
import io.kuzet.simulator.target.SimClock;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code serve}: a server in its own JVM provisioned with the load fleet, for load and storm runs that need more
 * connections than one process may hold file descriptors for (client and server each use one per device).
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run a server provisioned with the load fleet (devices " + LoadFleet.FIRST_NUMBER + "+i) until killed.")
public final class ServeCommand implements Callable<Integer> {
    @Option(names = "--devices", defaultValue = "10000")
    int devices;

    @Option(names = "--protocol", defaultValue = "kuzet", description = "Protocol of the provisioned load devices: kuzet or gt06.")
    String protocol;

    @Option(names = "--gt06-port", defaultValue = "5023")
    int gt06Port;

    @Option(names = "--kuzet-port", defaultValue = "5100")
    int kuzetPort;

    @Option(names = "--http-port", defaultValue = "8080")
    int httpPort;

    @Option(names = "--token", defaultValue = "load")
    String token;

    @Option(names = "--data-dir", defaultValue = "./kuzet-data/load")
    Path dataDir;

    @Option(names = "--kafka-bootstrap", defaultValue = "",
            description = "Put the ingest journal on Kafka (journal.kind=kafka) at these brokers instead of the embedded journal.")
    String kafkaBootstrap;

    @Option(names = "--kafka-topic", defaultValue = "kuzet.load")
    String kafkaTopic;

    @Option(names = "--kafka-partitions", defaultValue = "12")
    int kafkaPartitions;

    @Option(names = "--kafka-replication", defaultValue = "1", description = "Replication factor (and min ISR when 1) of a topic the server creates.")
    int kafkaReplication;

    @Override
    public Integer call() throws Exception {
        try (InProcessServer server = InProcessServer.start(dataDir, SimClock.wall(), kuzetPort, httpPort, token, c -> {
            c.ports.gt06 = gt06Port;
            LoadFleet.acceptCompressedFixTime(c);
            if (!kafkaBootstrap.isBlank()) {
                c.journal.kind = io.kuzet.server.config.ServerConfig.JournalKind.KAFKA;
                c.kafka.bootstrapServers = kafkaBootstrap;
                c.kafka.topic = kafkaTopic;
                // each load run on its own topics and group: no run restores another's snapshots or recognises its alerts
                c.kafka.alertsTopic = kafkaTopic + ".alerts";
                c.kafka.snapshotsTopic = kafkaTopic + ".core-snapshots";
                c.kafka.evaluationGroup = kafkaTopic + ".evaluation";
                c.kafka.partitions = kafkaPartitions;
                c.kafka.replicationFactor = kafkaReplication;
                c.kafka.minInsyncReplicas = Math.min(2, kafkaReplication);
            }
        })) {
            server.provision(LoadFleet.registry(devices, protocol));
            System.out.println("serve: " + devices + " load devices provisioned; device port " + server.kuzetPort() + ", HTTP "
                    + server.httpPort() + ", GT06 " + server.gt06Port() + ", live token " + server.liveToken());
            new CountDownLatch(1).await();
        }
        return 0;
    }
}
