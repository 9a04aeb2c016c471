package io.kuzet.server.testing;

import io.kuzet.server.KuzetServer;
import io.kuzet.server.KuzetServerMain;
import io.kuzet.server.config.ConfigLoader;
import io.kuzet.server.config.ServerConfig;
import io.kuzet.server.journal.Protocol;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A whole Kuzet node ({@link KuzetServerMain}: storage, alerts consumers, cluster jobs) in Kafka mode on a
 * replicated cluster and a shared PostgreSQL, as a child JVM that a test kills with SIGKILL. Arguments: data
 * directory, provisioning file, PostgreSQL port, bootstrap servers, ingest topic (its alerts and snapshots topics and
 * groups are named after it), partitions. The wall clock. Writes {@code kuzet=<port> gt06=<port>} to
 * {@code <dataDir>/ports} once started, then runs until killed.
 */
public final class ClusterNodeChildMain {
    private ClusterNodeChildMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        ServerConfig config = ConfigLoader.load(null, Map.of());
        config.server.dataDir = dataDir.toString();
        config.server.bindAddress = "127.0.0.1";
        config.server.provisionFile = args[1];
        config.database.url = "jdbc:postgresql://127.0.0.1:" + args[2] + "/postgres";
        config.database.user = "postgres";
        config.ports.kuzet = 0;
        config.ports.kuzetTls = -1;
        config.ports.gt06 = 0;
        config.ports.watch = -1;
        config.ports.http = 0;
        config.journal.kind = ServerConfig.JournalKind.KAFKA;
        config.kafka.bootstrapServers = args[3];
        KafkaTestTopics.use(config.kafka, args[4]);
        config.kafka.storageGroup = args[4] + ".storage";
        config.kafka.partitions = Integer.parseInt(args[5]);
        config.kafka.replicationFactor = 3;
        config.kafka.minInsyncReplicas = 2;
        config.validate();
        KuzetServerMain.Running running = KuzetServerMain.start(config,
                new KuzetServer.Options(System::currentTimeMillis, false));
        KuzetServer server = running.server();
        Files.writeString(dataDir.resolve("ports.tmp"), "kuzet=" + server.port(Protocol.KUZET) + " gt06=" + server.port(Protocol.GT06));
        Files.move(dataDir.resolve("ports.tmp"), dataDir.resolve("ports"), StandardCopyOption.ATOMIC_MOVE);
        new CountDownLatch(1).await();
    }
}
