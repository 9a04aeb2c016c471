package io.kuzet.server.testing;

import io.kuzet.server.KuzetServer;
import io.kuzet.server.config.ConfigLoader;
import io.kuzet.server.config.ServerConfig;
import io.kuzet.server.journal.FsyncGroupCommit;
import io.kuzet.server.journal.JournalFailStop;
import io.kuzet.server.journal.Protocol;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A server for tests that must kill it: runs in a child JVM on the given data directory with the test fleet, writes
 * its Kuzet port to {@code <dataDir>/kuzet.port} once listening, and runs until killed. In {@code FSYNC} mode every
 * journal force fails once the file {@code <dataDir>/fail-fsync} exists (the production fail-stop exit follows).
 */
public final class ChildServerMain {
    private ChildServerMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        ServerConfig config = ConfigLoader.load(null, Map.of());
        config.server.dataDir = dataDir.toString();
        config.server.bindAddress = "127.0.0.1";
        config.ports.kuzet = 0;
        config.ports.kuzetTls = -1;
        config.ports.gt06 = -1;
        config.ports.watch = -1;
        config.ports.http = -1;
        config.journal.durability = ServerConfig.Durability.valueOf(args.length > 1 ? args[1] : "PROCESS");
        config.validate();
        // fsync mode: once <dataDir>/fail-fsync exists every force fails, as fdatasync does on a failing disk
        Path failTrigger = dataDir.resolve("fail-fsync");
        FsyncGroupCommit.Forcer forcer = (channel, path) -> {
            if (Files.exists(failTrigger)) {
                throw new IOException("injected fdatasync failure (EIO) on " + path);
            }
            channel.force(false);
        };
        KuzetServer server = KuzetServer.start(config, TestFleet.registry(3600),
                KuzetServer.Options.defaults().withJournalFaults(forcer, JournalFailStop.EXIT_PROCESS));
        Path portFile = dataDir.resolve("kuzet.port");
        Files.writeString(dataDir.resolve("kuzet.port.tmp"), Integer.toString(server.port(Protocol.KUZET)));
        Files.move(dataDir.resolve("kuzet.port.tmp"), portFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        new CountDownLatch(1).await();
    }
}
