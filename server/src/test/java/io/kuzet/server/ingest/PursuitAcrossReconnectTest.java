package io.kuzet.server.ingest;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kuzet.server.command.CommandKind;
import io.kuzet.server.command.CommandRequest;
import io.kuzet.server.journal.Protocol;
import io.kuzet.server.registry.ReportingInterval;
import io.kuzet.server.testing.Fixes;
import io.kuzet.server.testing.KuzetTestClient;
import io.kuzet.server.testing.RunningServer;
import io.kuzet.server.testing.TestFleet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Kuzet LOGIN_RESULT sets the bracelet's interval (docs/protocol.md §5): a bracelet that reconnects while the core
 * pursues it must be told the pursuit interval, and the order's again once the pursuit is over.
 */
class PursuitAcrossReconnectTest {
    @TempDir
    Path dataDir;
    final List<CommandRequest> requested = new CopyOnWriteArrayList<>();
    RunningServer running;

    @AfterEach
    void stop() {
        running.close();
    }

    private int loginInterval() throws Exception {
        try (KuzetTestClient device = new KuzetTestClient(running.server.port(Protocol.KUZET))) {
            KuzetTestClient.Reply reply = device.login(TestFleet.KUZET_NUMBER, TestFleet.KUZET_KEY);
            assertEquals(0, reply.status);
            return reply.reportingIntervalS;
        }
    }

    private void walk(int from, int to, double metresNorth) throws Exception {
        try (KuzetTestClient device = new KuzetTestClient(running.server.port(Protocol.KUZET))) {
            device.startSequenceAt(from + 1);
            assertEquals(0, device.login(TestFleet.KUZET_NUMBER, TestFleet.KUZET_KEY).status);
            for (int i = from; i < to; i++) {
                long t = RunningServer.T0 + i * 15_000L;
                running.clock.set(t);
                device.sendPositions(Fixes.fixAt(t, TestFleet.latNorthOfCentre(metresNorth), TestFleet.ZONE_LON, 6));
                device.read();
            }
        }
    }

    @Test
    void loginDuringAPursuitGetsThePursuitIntervalAndTheOrdersIntervalAfterIt() throws Exception {
        running = new RunningServer(dataDir, TestFleet.registry(3600), c -> { }, o -> o.withCommandRequests(requested::add));
        assertEquals(ReportingInterval.MEDIUM_RISK_S, loginInterval(), "no pursuit: the medium-risk order's interval");

        walk(0, 4, 1000);
        walk(4, 12, 80);                                      // 120 m inside: the violation opens
        await().atMost(Duration.ofSeconds(10)).until(() -> requested.stream().anyMatch(r -> r.kind() == CommandKind.SET_REPORTING_INTERVAL));
        assertEquals(15, loginInterval(), "reconnecting during the pursuit keeps 15 s");

        walk(12, 24, 1000);                                   // out again: the violation clears
        long end = RunningServer.T0 + 24 * 15_000L + 180_000;
        for (long t = RunningServer.T0 + 24 * 15_000L; t <= end; t += 10_000) {
            running.server.tick(t);                           // the hold of 120 s passes on the core's clock
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> requested.stream()
                .filter(r -> r.kind() == CommandKind.SET_REPORTING_INTERVAL).count() == 2);
        assertEquals(ReportingInterval.MEDIUM_RISK_S, loginInterval(), "pursuit over: the order's interval again");
    }
}
