package io.kuzet.simulator.load;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kuzet.simulator.target.InProcessServer;
import io.kuzet.simulator.target.SimClock;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storm of docs/performance.md at half the size one process can hold (client and server share its descriptors);
 * the handshake timeout is raised because the test JVM runs with Netty's paranoid leak detector.
 */
@Tag("slow")
class StormRunSlowTest {
    @TempDir
    Path dataDir;

    @Test
    void fiveThousandDevicesReplayingAnHourEachLoseAndDuplicateNothing() throws Exception {
        try (InProcessServer server = InProcessServer.start(dataDir, SimClock.wall(), 0, -1, "",
                c -> c.limits.handshakeTimeoutS = 60)) {
            server.provision(LoadFleet.registry(5000));
            StormResult r = new StormRun(5000, 60, 10, 1, 0, 1).run(new Target("127.0.0.1", server.kuzetPort(), -1, ""),
                    server::journaledMessages, line -> { });
            assertTrue(r.everyFixAckedOnce(), r.toString());
        }
    }
}
