package io.kuzet.server.testing;

import io.kuzet.server.KuzetServer;
import io.kuzet.server.config.ConfigLoader;
import io.kuzet.server.config.ServerConfig;
import io.kuzet.server.journal.Protocol;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * One Kuzet node in Kafka mode as a child JVM, for tests that kill a node with SIGKILL: the {@link TestFleet} registry,
 * no database, the wall clock. Arguments: data directory, bootstrap servers, ingest topic, partitions, core snapshot
 * interval in seconds. Writes {@code ports} ("kuzet=PORT") into the data directory once it evaluates, then runs until killed.
 */
public final class KafkaNodeChildMain {
    private KafkaNodeChildMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        ServerConfig config = kafkaNode(dataDir, args[1], args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]));
        KuzetServer server = KuzetServer.start(config, TestFleet.registry(900),
                new KuzetServer.Options(System::currentTimeMillis, false));
        Files.writeString(dataDir.resolve("ports.tmp"), "kuzet=" + server.port(Protocol.KUZET));
        Files.move(dataDir.resolve("ports.tmp"), dataDir.resolve("ports"), StandardCopyOption.ATOMIC_MOVE);
        new CountDownLatch(1).await();
    }

    /** The configuration of a test node on the shared broker (replication 1), in-process or as a child. */
    public static ServerConfig kafkaNode(Path dataDir, String bootstrap, String topic, int partitions, int snapshotIntervalS) {
        ServerConfig config = ConfigLoader.load(null, Map.of());
        config.server.dataDir = dataDir.toString();
        config.server.bindAddress = "127.0.0.1";
        config.ports.kuzet = 0;
        config.ports.kuzetTls = -1;
        config.ports.gt06 = -1;
        config.ports.watch = -1;
        config.ports.http = -1;
        config.live.token = RunningServer.LIVE_TOKEN;
        config.journal.kind = ServerConfig.JournalKind.KAFKA;
        config.kafka.bootstrapServers = bootstrap;
        KafkaTestTopics.use(config.kafka, topic);
        config.kafka.partitions = partitions;
        config.kafka.replicationFactor = 1;
        config.kafka.minInsyncReplicas = 1;
        config.core.snapshotIntervalS = snapshotIntervalS;
        config.validate();
        return config;
    }
}
