package io.kuzet.server.ingest;

import io.kuzet.server.testing.ChildJvm;
import static io.kuzet.server.testing.Fixes.fixAt;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kuzet.protocol.kuzet.KuzetMessageType;
import io.kuzet.server.journal.JournalFailStop;
import io.kuzet.server.testing.KuzetTestClient;
import io.kuzet.server.testing.TestFleet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real process, not a test hook: a failed journal force in fsync mode ends the server with exit status 74. */
class FsyncFailStopProcessTest {
    private static final long T0 = 1_780_000_000_000L;

    @TempDir
    Path dataDir;
    Process child;

    @AfterEach
    void killChild() {
        if (child != null) {
            child.destroyForcibly();
        }
    }

    @Test
    void aFailedForceEndsTheServerWithExitStatus74AndNoAckForTheUnforcedFix() throws Exception {
        List<String> command = ChildJvm.java();
        command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.kuzet.server.testing.ChildServerMain",
                dataDir.toString(), "FSYNC"));
        child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dataDir.resolve("child.log").toFile()).start();
        await().atMost(Duration.ofSeconds(90)).until(() -> Files.exists(dataDir.resolve("kuzet.port")) || !child.isAlive());
        assertTrue(child.isAlive(), "child server died at start");
        int port = Integer.parseInt(Files.readString(dataDir.resolve("kuzet.port")).trim());

        try (KuzetTestClient device = new KuzetTestClient(port)) {
            assertEquals(0, device.login(TestFleet.KUZET_NUMBER, TestFleet.KUZET_KEY).status);
            device.sendPositions(fixAt(T0, 43.30, 76.90, 8));
            KuzetTestClient.Reply ack = device.read();
            assertEquals(KuzetMessageType.ACK, ack.type);
            assertEquals(1, ack.value);

            Files.createFile(dataDir.resolve("fail-fsync"));
            device.sendPositions(fixAt(T0 + 60_000, 43.30, 76.90, 8));
            await().atMost(Duration.ofSeconds(60)).until(() -> !child.isAlive());
            assertEquals(JournalFailStop.EXIT_CODE, child.exitValue());
            assertTrue(device.closedByServer(), "the connection ends with the process, without an ack for fix 2");
        }
        assertTrue(Files.readString(dataDir.resolve("child.log")).contains("could not be forced to disk"));
    }
}
