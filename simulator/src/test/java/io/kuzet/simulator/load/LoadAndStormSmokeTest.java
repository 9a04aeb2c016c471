package io.kuzet.simulator.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kuzet.simulator.target.InProcessServer;
import io.kuzet.simulator.target.SimClock;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Short load and storm runs against an in-process server: the machinery works end to end, not how fast it is. */
class LoadAndStormSmokeTest {
    @TempDir
    Path dataDir;

    @Test
    void aShortLoadRunAcksPositionsAndTimesAlertsFromTheLiveStream() throws Exception {
        try (InProcessServer server = InProcessServer.start(dataDir, SimClock.wall(), 0, 0, "", LoadFleet::acceptCompressedFixTime)) {
            server.provision(LoadFleet.registry(50));
            LoadResult r = new LoadRun(new LoadOptions("kuzet", 50, 2, 1, 0, 10, 4, 0.2, 1, 0, 1),
                    new Target("127.0.0.1", server.kuzetPort(), server.httpPort(), server.liveToken())).run(line -> { }, null);
            // how many depends on the machine and its neighbours; that any are acked and timed is what this test checks
            assertTrue(r.positionsAcked() > 0, "positions acked: " + r.positionsAcked());
            assertTrue(r.ackLatency().count() > 0);
            assertTrue(r.fixToAlert().count() > 0, "violators' alerts arrived on the live stream: " + r);
            assertEquals(3, r.series().size());
        }
    }

    @Test
    void aShortGt06LoadRunGetsEveryLocationFrameAcked() throws Exception {
        try (InProcessServer server = InProcessServer.start(dataDir, SimClock.wall(), 0, 0, "", c -> {
            c.ports.gt06 = 0;
            LoadFleet.acceptCompressedFixTime(c);
        })) {
            server.provision(LoadFleet.registry(50, "gt06"));
            LoadResult r = new LoadRun(new LoadOptions("gt06", 50, 2, 1, 0, 1, 4, 0.2, 1, 0, 1),
                    new Target("127.0.0.1", server.gt06Port(), server.httpPort(), server.liveToken())).run(line -> { }, null);
            assertTrue(r.positionsAcked() > 0, "positions acked: " + r.positionsAcked());
            assertTrue(r.ackLatency().count() > 0, "GT06 frames acked one by one: " + r.ackLatency());
        }
    }

    @Test
    void aSmallStormIsAbsorbedWithEveryFixJournaledOnce() throws Exception {
        try (InProcessServer server = InProcessServer.start(dataDir, SimClock.wall(), 0, -1, "", c -> { })) {
            server.provision(LoadFleet.registry(200));
            StormResult r = new StormRun(200, 20, 1, 1, 0, 1).run(new Target("127.0.0.1", server.kuzetPort(), -1, ""),
                    server::journaledMessages, line -> { });
            assertTrue(r.everyFixAckedOnce(), r.toString());
            assertEquals(4000, r.journaledMessages());
        }
    }
}
