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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo wiring end to end for a handful of bracelets: the full server with its database is provisioned from the
 * fleet, the fleet streams (a simulated weekday at 3000x), and the operator API shows the subjects and an alert.
 */
class DemoRunTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "demo-test-password";

    @TempDir
    Path dataDir;

    @Test
    void provisionsTheFleetIntoTheDatabaseAndAlertsReachTheOperatorApi() throws Exception {
        LocalDate day = LocalDate.now(City.ALMATY.timeZone());
        while (day.getDayOfWeek() == DayOfWeek.SATURDAY || day.getDayOfWeek() == DayOfWeek.SUNDAY) {
            day = day.minusDays(1);
        }
        long startMs = day.atStartOfDay(City.ALMATY.timeZone()).toInstant().toEpochMilli();
        Fleet fleet = new FleetFactory(3).exclusionVisitPerDay(1.0).curfewBreachPerDay(1.0).create(6, startMs, 1);
        SimClock clock = SimClock.simulated(startMs);
        ExecutorService runner = Executors.newSingleThreadExecutor();
        try (KuzetServerMain.Running running = DemoServer.start(dataDir, fleet, clock, "127.0.0.1", 0, 0, PASSWORD)) {
            Future<?> demo = runner.submit(() -> {
                new DemoRun(running.server(), clock, fleet, 3000).run(55, line -> { });
                return null;
            });
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + running.server().httpPort();
            String token = JSON.readTree(send(http, "POST", base + "/api/v1/auth/login", null,
                    "{\"username\":\"admin\",\"password\":\"" + PASSWORD + "\"}")).get("token").asText();

            JsonNode subjects = JSON.readTree(send(http, "GET", base + "/api/v1/subjects", token, null)).get("subjects");
            assertEquals(6, subjects.size(), subjects.toString());

            await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(500)).until(() ->
                    JSON.readTree(send(http, "GET", base + "/api/v1/alerts", token, null)).get("alerts").size() > 0);
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
