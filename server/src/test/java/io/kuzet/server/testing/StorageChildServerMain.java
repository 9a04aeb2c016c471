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
 * The whole server with storage ({@link KuzetServerMain#start}) in a child JVM, for tests that kill it: on the given
 * data directory, durability, external database (the test JVM's PostgreSQL, so only this JVM dies) and provisioning
 * file; Kuzet, GT06 and Watch on free ports, written as {@code "kuzet gt06 watch"} to {@code <dataDir>/ports} once
 * listening. Runs until killed.
 *
 * <p>Arguments: dataDir durability(PROCESS|FSYNC) jdbcUrl provisionFile.
 */
public final class StorageChildServerMain {
    private StorageChildServerMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        ServerConfig config = ConfigLoader.load(null, Map.of());
        config.server.dataDir = dataDir.toString();
        config.server.bindAddress = "127.0.0.1";
        config.server.provisionFile = args[3];
        config.database.url = args[2];
        config.database.user = "postgres";
        config.database.password = "postgres";
        config.database.poolSize = 4;
        config.ports.kuzet = 0;
        config.ports.kuzetTls = -1;
        config.ports.gt06 = 0;
        config.ports.watch = 0;
        config.ports.http = -1;
        config.journal.durability = ServerConfig.Durability.valueOf(args[1]);
        config.validate();
        KuzetServer server = KuzetServerMain.start(config, KuzetServer.Options.defaults()).server();
        Files.writeString(dataDir.resolve("ports.tmp"), server.port(Protocol.KUZET) + " " + server.port(Protocol.GT06) + " "
                + server.port(Protocol.WATCH));
        Files.move(dataDir.resolve("ports.tmp"), dataDir.resolve("ports"), StandardCopyOption.ATOMIC_MOVE);
        new CountDownLatch(1).await();
    }
}
