package io.kuzet.simulator.demo;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kuzet.server.KuzetServerMain;
import io.kuzet.simulator.fleet.City;
import io.kuzet.simulator.fleet.Fleet;
import io.kuzet.simulator.fleet.FleetFactory;
import io.kuzet.simulator.target.SimClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo wiring end to end for a handful of bracelets: the full server with its database is provisioned from the
 * fleet and configured from the same {@code KUZET_*} environment as the server (a tile server here), the fleet streams
 * (a simulated weekday at 3000x, ahead of the wall clock as in a real demo run), the operator API shows the subjects
 * and an alert, and unreviewed alerts escalate on the demo's simulated clock.
 */
class DemoRunTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "demo-test-password";
    private static final String TILES = "https://tiles.example.test/{z}/{x}/{y}.png";

    @TempDir
    Path dataDir;

    @Test
    void provisionsTheFleetAlertsReachTheOperatorApiAndEscalateOnTheSimulatedClock() throws Exception {
        // the next weekday: simulated time runs ahead of the wall clock, as it does from the first minute of a demo
        LocalDate day = LocalDate.now(City.ALMATY.timeZone()).plusDays(1);
        while (day.getDayOfWeek() == DayOfWeek.SATURDAY || day.getDayOfWeek() == DayOfWeek.SUNDAY) {
            day = day.plusDays(1);
        }
        long startMs = day.atStartOfDay(City.ALMATY.timeZone()).toInstant().toEpochMilli();
        Fleet fleet = new FleetFactory(3).exclusionVisitPerDay(1.0).curfewBreachPerDay(1.0).create(6, startMs, 1);
        SimClock clock = SimClock.simulated(startMs);
        ExecutorService runner = Executors.newSingleThreadExecutor();
        Map<String, String> environment = Map.of("KUZET_API_TILE_URL", TILES, "KUZET_API_TILE_ATTRIBUTION", "Test tiles");
        try (KuzetServerMain.Running running = DemoServer.start(null, environment, dataDir, fleet, clock, "127.0.0.1", 0, 0, PASSWORD)) {
            Future<?> demo = runner.submit(() -> {
                new DemoRun(running.server(), clock, fleet, 3000).run(55, line -> { });
                return null;
            });
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + running.server().httpPort();
            JsonNode console = JSON.readTree(send(http, "GET", base + "/api/v1/console/config", null, null));
            assertEquals(TILES, console.get("tileUrl").asText(), "the demo takes the tile server from KUZET_API_TILE_URL");
            String token = JSON.readTree(send(http, "POST", base + "/api/v1/auth/login", null,
                    "{\"username\":\"admin\",\"password\":\"" + PASSWORD + "\"}")).get("token").asText();

            JsonNode subjects = JSON.readTree(send(http, "GET", base + "/api/v1/subjects", token, null)).get("subjects");
            assertEquals(6, subjects.size(), subjects.toString());

            await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(500)).until(() ->
                    JSON.readTree(send(http, "GET", base + "/api/v1/alerts", token, null)).get("alerts").size() > 0);
            // nobody reviews them: past their SLA on the simulated clock, the escalation job (every 15 s) escalates them
            await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(500)).until(() -> {
                for (JsonNode a : JSON.readTree(send(http, "GET", base + "/api/v1/alerts", token, null)).get("alerts")) {
                    if (a.get("escalated").asBoolean()) {
                        return true;
                    }
                }
                return false;
            });
            demo.cancel(true);
        } finally {
            runner.shutdownNow();
            assertTrue(runner.awaitTermination(20, TimeUnit.SECONDS), "the demo stops when interrupted");
        }
    }

    private static String send(HttpClient http, String method, String url, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), method + " " + url + ": " + r.body());
        return r.body();
    }
}
