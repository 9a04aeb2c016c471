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
 * The whole server as {@code kuzet} runs it (embedded PostgreSQL, provisioning file, storage writer, HTTP) in a
 * child JVM, for tests that kill it. Arguments: data directory, provisioning file, clock in epoch ms, and optionally
 * Kafka bootstrap servers and topic ({@code journal.kind=kafka}). Once started
 * it writes {@code kuzet=<port> http=<port> db=<port>} to {@code <dataDir>/ports}, and runs until killed.
 */
public final class FullServerChildMain {
    private FullServerChildMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        ServerConfig config = ConfigLoader.load(null, Map.of());
        config.server.dataDir = dataDir.toString();
        config.server.bindAddress = "127.0.0.1";
        config.server.provisionFile = args[1];
        config.ports.kuzet = 0;
        config.ports.kuzetTls = -1;
        config.ports.gt06 = -1;
        config.ports.watch = -1;
        config.ports.http = 0;
        if (args.length > 4) {
            // journal.kind=kafka on the given brokers and topic (one-broker test cluster: replication 1)
            config.journal.kind = ServerConfig.JournalKind.KAFKA;
            config.kafka.bootstrapServers = args[3];
            KafkaTestTopics.use(config.kafka, args[4]);
            config.kafka.partitions = 3;
            config.kafka.replicationFactor = 1;
            config.kafka.minInsyncReplicas = 1;
        }
        config.validate();
        KuzetServerMain.Running running = KuzetServerMain.start(config,
                new KuzetServer.Options(new TestClock(Long.parseLong(args[2])), false));
        Runtime.getRuntime().addShutdownHook(new Thread(running::close));
        KuzetServer server = running.server();
        Files.writeString(dataDir.resolve("ports.tmp"), "kuzet=" + server.port(Protocol.KUZET) + " http=" + server.httpPort()
                + " db=" + running.database().embeddedPort());
        Files.move(dataDir.resolve("ports.tmp"), dataDir.resolve("ports"), StandardCopyOption.ATOMIC_MOVE);
        new CountDownLatch(1).await();
    }
}
