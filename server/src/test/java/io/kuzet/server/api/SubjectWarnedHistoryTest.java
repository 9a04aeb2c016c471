package io.kuzet.server.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kuzet.server.command.CommandKind;
import io.kuzet.server.command.CommandRequest;
import io.kuzet.server.journal.Protocol;
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
 * A subject walking towards an exclusion zone with a 300 m warning distance, over the real ingest path: the core asks
 * for a vibration naming the warning alert, and the operator sees that alert with "subject warned" in its history.
 */
class SubjectWarnedHistoryTest {
    @TempDir
    Path dataDir;
    final List<CommandRequest> requested = new CopyOnWriteArrayList<>();
    ApiHarness h;

    @AfterEach
    void close() {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void approachWarningAlertCarriesASubjectWarnedHistoryEntryAndTheVibrationWasRequestedForIt() throws Exception {
        h = new ApiHarness(dataDir, requested::add);
        h.exec("update rules set warn_distance_m = 300 where id = 5000");
        h.reloadRegistry();
        try (KuzetTestClient device = new KuzetTestClient(h.server.port(Protocol.KUZET))) {
            assertEquals(0, device.login(TestFleet.KUZET_NUMBER, TestFleet.KUZET_KEY).status);
            for (int i = 0; i < 14; i++) {
                double north = Math.max(350, 1000 - i * 50);   // stops 150 m outside the 200 m zone
                long t = RunningServer.T0 + i * 30_000L;
                h.clock.set(t);
                device.sendPositions(Fixes.fixAt(t, TestFleet.latNorthOfCentre(north), TestFleet.ZONE_LON, 6));
                device.read();
            }
        }
        await().atMost(Duration.ofSeconds(20)).until(() ->
                h.scalar("select count(*) from alerts where type = 'ZONE_APPROACH_WARNING'") == 1);
        long alertId = h.scalar("select id from alerts where type = 'ZONE_APPROACH_WARNING'");
        assertEquals(0, h.scalar("select count(*) from alerts where type = 'EXCLUSION_VIOLATION'"));

        JsonNode history = h.json("GET", "/api/v1/alerts/" + alertId + "/history", h.login("op-alm"), null, 200).get("history");
        assertEquals(1, history.size(), history.toString());
        JsonNode warned = history.get(0);
        assertEquals("SUBJECT_WARNED", warned.get("action").asText());
        assertEquals("Subject warned: VIBRATE 3000 ms", warned.get("note").asText());
        assertTrue(warned.get("user").isNull(), "written by the system, not an operator");
        assertTrue(h.strings("select explanation from alerts where id = " + alertId).get(0)
                .endsWith("warning distance 300 m; subject warned by vibration"));

        List<CommandRequest> vibrations = requested.stream().filter(r -> r.kind() == CommandKind.VIBRATE).toList();
        assertEquals(1, vibrations.size(), requested.toString());
        assertEquals(alertId, vibrations.get(0).alertId());
        assertEquals(TestFleet.KUZET_DEVICE, vibrations.get(0).deviceId());
    }
}
