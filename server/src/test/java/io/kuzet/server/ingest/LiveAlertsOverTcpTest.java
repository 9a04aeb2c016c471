package io.kuzet.server.ingest;

import static io.kuzet.server.testing.Fixes.addFix;
import static io.kuzet.server.testing.Fixes.fixAt;
import static io.kuzet.server.testing.RunningServer.T0;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kuzet.protocol.DeviceMessage;
import io.kuzet.protocol.Fix;
import io.kuzet.server.journal.Protocol;
import io.kuzet.server.testing.KuzetTestClient;
import io.kuzet.server.testing.LiveAlertClient;
import io.kuzet.server.testing.RunningServer;
import io.kuzet.server.testing.TestFleet;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A device over TCP, an operator on the live WebSocket: what each sees. */
class LiveAlertsOverTcpTest {
    @TempDir
    Path dataDir;
    RunningServer running;
    LiveAlertClient live;

    @BeforeEach
    void start() throws Exception {
        running = new RunningServer(dataDir, TestFleet.registry(600));
        live = new LiveAlertClient(running.server.httpPort(), RunningServer.LIVE_TOKEN);
        await().atMost(Duration.ofSeconds(5)).until(() -> running.server.live().subscribers() == 1);
    }

    @AfterEach
    void stop() {
        live.close();
        running.close();
    }

    private KuzetTestClient loggedIn() throws Exception {
        KuzetTestClient device = new KuzetTestClient(running.server.port(Protocol.KUZET));
        assertEquals(0, device.login(TestFleet.KUZET_NUMBER, TestFleet.KUZET_KEY).status);
        return device;
    }

    @Test
    void walkIntoExclusionZoneReachesTheOperatorAsExactlyOneExplainedAlert() throws Exception {
        try (KuzetTestClient device = loggedIn()) {
            for (int i = 0; i < 40; i++) {
                double north = i < 10 ? 1000 : i < 25 ? 80 : 1000;   // outside, 120 m deep inside, outside again
                running.clock.set(T0 + i * 30_000L);
                device.sendPositions(fixAt(T0 + i * 30_000L, TestFleet.latNorthOfCentre(north), TestFleet.ZONE_LON, 6));
                device.read();
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> live.alerts("EXCLUSION_VIOLATION", "CLEARED").size() == 1);
        List<JsonNode> raised = live.alerts("EXCLUSION_VIOLATION", "RAISED");
        assertEquals(1, raised.size(), live.alerts().toString());
        JsonNode alert = raised.get(0);
        assertEquals(Long.toString(TestFleet.SUBJECT), alert.get("subjectId").asText());
        assertEquals("HIGH", alert.get("severity").asText());
        assertTrue(alert.get("explanation").asText().contains("120 m inside"), alert.get("explanation").asText());
        assertEquals(java.time.Instant.ofEpochMilli(T0 + 12 * 30_000L).toString(), alert.get("fixTime").asText(),
                "dated by the fix that met the open condition");
        assertEquals("Victim home", alert.get("details").get("zoneName").asText());
    }

    @Test
    void silentDeviceRaisesNoCommunicationAfterTheLimitOnTheTestClock() throws Exception {
        try (KuzetTestClient device = loggedIn()) {
            device.sendPositions(fixAt(T0, 43.30, 76.90, 8));
            device.read();
        }
        running.server.tick(T0 + 300_000);
        running.server.tick(T0 + 599_000);
        running.server.tick(T0 + 601_000);
        await().atMost(Duration.ofSeconds(10)).until(() -> live.alerts("NO_COMMUNICATION", "RAISED").size() == 1);
        JsonNode alert = live.alerts("NO_COMMUNICATION", "RAISED").get(0);
        assertEquals(java.time.Instant.ofEpochMilli(T0).toString(), alert.get("fixTime").asText());
        assertEquals(java.time.Instant.ofEpochMilli(T0 + 601_000).toString(), alert.get("detectedAt").asText());
        assertTrue(alert.get("explanation").asText().startsWith("No communication for 10 min (limit 10 min)"),
                alert.get("explanation").asText());
    }

    @Test
    void storeAndForwardBatchInOrderRaisesAnAlertStatingTheUploadDelayWithoutCallingItLate() throws Exception {
        running.clock.set(T0 + 7_200_000);
        try (KuzetTestClient device = loggedIn()) {
            DeviceMessage batch = new DeviceMessage();
            for (int i = 0; i < 12; i++) {
                Fix f = addFix(batch, T0 + i * 30_000L, TestFleet.latNorthOfCentre(50), TestFleet.ZONE_LON, 5);
                f.flags |= Fix.FLAG_BUFFERED;
            }
            device.sendPositions(batch);
            device.read();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> live.alerts("EXCLUSION_VIOLATION", "RAISED").size() == 1);
        JsonNode alert = live.alerts("EXCLUSION_VIOLATION", "RAISED").get(0);
        assertFalse(alert.get("late").asBoolean(), "late means out of order, and nothing newer came before");
        assertEquals(java.time.Instant.ofEpochMilli(T0 + 60_000).toString(), alert.get("fixTime").asText());
        assertEquals(java.time.Instant.ofEpochMilli(T0 + 7_200_000).toString(), alert.get("detectedAt").asText());
        assertTrue(alert.get("explanation").asText().endsWith("; uploaded 119 min after the fix"),
                alert.get("explanation").asText());
        assertEquals(7_140, alert.get("details").get("uploadDelaySeconds").asLong());
    }

    @Test
    void liveStreamRefusesAWrongToken() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + running.server.httpPort() + "/api/v1/live")).header("Authorization", "Bearer wrong").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, response.statusCode());
    }

    @Test
    void metricsEndpointExportsTheContractSeriesWithCountsFromTraffic() throws Exception {
        try (KuzetTestClient device = loggedIn()) {
            device.sendPositions(fixAt(T0, 43.30, 76.90, 8));
            device.read();
            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + running.server.httpPort() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(metrics.contains("kuzet_devices_connected{protocol=\"kuzet\"} 1.0"), metrics);
            assertTrue(metrics.contains("kuzet_positions_received_total{protocol=\"kuzet\"} 1.0"), metrics);
            assertTrue(metrics.contains("kuzet_frames_received_total{protocol=\"kuzet\",type=\"position_batch\"} 1.0"), metrics);
            for (String name : List.of("kuzet_journal_append_seconds_bucket", "kuzet_ack_seconds_bucket", "kuzet_core_lag_entries",
                    "kuzet_evaluation_seconds_bucket", "kuzet_fix_to_alert_seconds_bucket", "kuzet_alerts_raised_total",
                    "kuzet_alerts_open", "kuzet_decode_errors_total", "kuzet_logins_refused_total", "jvm_memory_used_bytes",
                    "netty_allocator_memory_used", "kuzet_journal_disk_free_bytes", "kuzet_live_subscribers")) {
                assertTrue(metrics.contains(name), "missing " + name + " in " + metrics.lines().filter(l -> l.contains("netty")).toList());
            }
        }
        HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + running.server.httpPort() + "/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, ready.statusCode(), ready.body());
    }
}
