package io.kuzet.server.api.live;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.kuzet.server.api.http.Json;
import io.kuzet.server.store.SharedPostgres;
import io.kuzet.server.testing.LiveAlertClient;
import io.kuzet.server.testing.RunningServer;
import io.kuzet.server.testing.TestFleet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes on one database, an operator's console on each: an escalation published by the node that runs the
 * cluster-wide jobs (or an operator action on either node) reaches both consoles once, through PostgreSQL NOTIFY.
 */
class LiveBroadcastTest {
    @TempDir
    Path dirA;
    @TempDir
    Path dirB;

    @Test
    void anEscalationPublishedOnOneNodeReachesTheOperatorsOfEveryNodeOnce() throws Exception {
        try (RunningServer nodeA = new RunningServer(dirA, TestFleet.registry(900));
             RunningServer nodeB = new RunningServer(dirB, TestFleet.registry(900));
             LiveBroadcast broadcastA = new LiveBroadcast(SharedPostgres.database().dataSource(), nodeA.server.live());
             LiveBroadcast broadcastB = new LiveBroadcast(SharedPostgres.database().dataSource(), nodeB.server.live());
             LiveAlertClient operatorOnA = new LiveAlertClient(nodeA.server.httpPort(), RunningServer.LIVE_TOKEN);
             LiveAlertClient operatorOnB = new LiveAlertClient(nodeB.server.httpPort(), RunningServer.LIVE_TOKEN)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> broadcastA.listening() && broadcastB.listening()
                    && nodeA.server.live().subscribers() == 1 && nodeB.server.live().subscribers() == 1);

            nodeA.server.live().publish(Json.object().put("kind", "escalation").put("alertId", "4242")
                    .put("agencyId", Long.toString(TestFleet.AGENCY)).put("reason", "NOT_ACKNOWLEDGED").put("slaMinutes", 5));

            for (LiveAlertClient operator : List.of(operatorOnA, operatorOnB)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> !operator.alerts().isEmpty());
                Thread.sleep(300);   // a second copy would arrive within this
                List<JsonNode> events = operator.alerts();
                assertEquals(1, events.size(), "once: " + events);
                assertEquals("escalation", events.get(0).path("kind").asText());
                assertEquals("4242", events.get(0).path("alertId").asText());
                assertEquals("NOT_ACKNOWLEDGED", events.get(0).path("reason").asText());
            }
        }
    }
}
