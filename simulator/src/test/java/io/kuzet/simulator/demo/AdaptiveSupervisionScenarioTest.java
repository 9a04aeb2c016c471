package io.kuzet.simulator.demo;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.kuzet.server.KuzetServer;
import io.kuzet.server.KuzetServerMain;
import io.kuzet.server.config.ServerConfig;
import io.kuzet.simulator.device.DeviceClientGroup;
import io.kuzet.simulator.device.FleetDriver;
import io.kuzet.simulator.device.SentFix;
import io.kuzet.simulator.fleet.Fleet;
import io.kuzet.simulator.fleet.FleetFactory;
import io.kuzet.simulator.fleet.SimSubject;
import io.kuzet.simulator.fleet.ZoneSpec;
import io.kuzet.simulator.target.SimClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15's "done when", end to end over real sockets with the full server (embedded PostgreSQL, operator API, the
 * real command service and its {@code device_commands} outbox) and the simulator's Kuzet bracelets, which report at
 * the order's interval unless commanded (no on-board geofence). Over one simulated weekday two subjects visit their
 * victim's home (an exclusion zone):
 * <ul>
 *   <li>the pursued subject's rule has no warning distance: the violation opens, the bracelet is commanded to report
 *   every 15 s and does, and after the violation closes plus the hold it is commanded back to the order's interval
 *   and does;</li>
 *   <li>the warned subject's rule has a 300 m warning distance: on each approach the bracelet vibrates once (one
 *   VIBRATE row per warning alert) and the warning alert's history shows SUBJECT_WARNED through the API.</li>
 * </ul>
 * Every supervision command row ends DONE with the bracelet's answer. Simulated time waits after each step until the
 * core and the command service are idle, as real time would (hundreds of simulated seconds pass per wall second).
 */
class AdaptiveSupervisionScenarioTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "scenario-test-password";
    private static final long START_MS = LocalDate.of(2026, 6, 1).atStartOfDay(ZoneId.of("Asia/Almaty")).toInstant().toEpochMilli();
    private static final long STEP_MS = 15_000;
    private static final int PURSUIT_S = 15;
    private static final int HOLD_S = 120;

    @TempDir
    Path dataDir;

    @Test
    void violationPursuesAtFifteenSecondsThenBackAndApproachVibratesOnceAllCommandsDoneInTheOutbox() throws Exception {
        Fleet fleet = new FleetFactory(7).exclusionVisitPerDay(1.0).curfewBreachPerDay(0).create(2, START_MS, 1);
        SimSubject pursued = fleet.subjects().get(0);
        SimSubject warned = fleet.subjects().get(1);
        Path provisioning = dataDir.resolve("scenario-fleet.yaml");
        writeProvisioning(fleet, warned, provisioning);
        ServerConfig config = DemoServer.config(null, Map.of(), dataDir, "127.0.0.1", 0, 0, PASSWORD);
        config.server.provisionFile = provisioning.toString();
        assertEquals(PURSUIT_S, config.core.pursuitIntervalS);
        assertEquals(HOLD_S, config.core.pursuitHoldS);
        config.validate();

        SimClock clock = SimClock.simulated(START_MS);
        List<SentFix> sent = new CopyOnWriteArrayList<>();
        try (KuzetServerMain.Running running = KuzetServerMain.start(config, new KuzetServer.Options(clock, false));
             DeviceClientGroup group = new DeviceClientGroup("127.0.0.1", running.server().port(io.kuzet.server.journal.Protocol.KUZET), 1, 0);
             FleetDriver driver = new FleetDriver(fleet, group, sent::add).withoutOnBoardZones()) {
            assertNotNull(running.server().commands(), "the full server runs the command service");
            DataSource db = running.database().dataSource();
            driver.connectAll();
            for (long t = START_MS; t < fleet.endMs(); t += STEP_MS) {
                clock.advanceTo(t);
                driver.step(t);
                driver.awaitAcked();
                if ((t - START_MS) % 60_000 == 0) {
                    running.server().tick(t);
                }
                settle(running.server());
            }
            long pursuedId = subjectId(db, pursued);
            long warnedId = subjectId(db, warned);
            // the storage writer and the command thread catch up with the last steps
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
                    count(db, "select count(*) from device_commands where state in ('QUEUED', 'SENT')") == 0
                            && count(db, "select count(*) from alerts where type = 'ZONE_APPROACH_WARNING' and subject_id = " + warnedId) > 0
                            && count(db, "select count(*) from alerts where type = 'EXCLUSION_VIOLATION' and cleared_at is not null "
                                    + "and subject_id = " + pursuedId) > 0);

            // every supervision command reached its bracelet and was answered
            List<Map<String, Object>> commands = rows(db, "select subject_id, kind, argument, alert_id, dedup_key, state, result, "
                    + "created_at, finished_at from device_commands where origin = 'SUPERVISION' order by id");
            assertFalse(commands.isEmpty());
            for (Map<String, Object> c : commands) {
                assertEquals("DONE", c.get("state"), "answered by the bracelet: " + c);
                assertFalse(String.valueOf(c.get("result")).isBlank(), "the bracelet's result is kept: " + c);
            }

            // pursued: the violation opened, 15 s reporting was commanded and the bracelet reported every 15 s
            long violation = count(db, "select min(id) from alerts where type = 'EXCLUSION_VIOLATION' and subject_id = " + pursuedId);
            assertTrue(violation > 0, "the pursued subject's exclusion violation opened");
            Map<String, Object> on = only(commands, "pursuit-on:" + violation);
            assertEquals("SET_REPORTING_INTERVAL", on.get("kind"));
            assertEquals(15L, ((Number) on.get("argument")).longValue());
            Map<String, Object> off = only(commands, "pursuit-off:" + violation);
            assertEquals("SET_REPORTING_INTERVAL", off.get("kind"));
            assertEquals((long) pursued.reportingIntervalS(), ((Number) off.get("argument")).longValue(),
                    "back to the order's interval");
            long onRequestedMs = ((java.sql.Timestamp) on.get("created_at")).getTime();
            long onDoneMs = ((java.sql.Timestamp) on.get("finished_at")).getTime();
            long offDoneMs = ((java.sql.Timestamp) off.get("finished_at")).getTime();
            long clearedMs = count(db, "select (extract(epoch from max(cleared_at)) * 1000)::bigint from alerts where id = " + violation);
            assertTrue(offDoneMs >= clearedMs + HOLD_S * 1000L, "back only after the violation closed plus the hold");

            List<Long> before = gapsS(sent, pursued.subjectId(), START_MS, onRequestedMs);
            long offRequestedMs = ((java.sql.Timestamp) off.get("created_at")).getTime();
            List<Long> during = gapsS(sent, pursued.subjectId(), onDoneMs, offRequestedMs);
            long nextCommandMs = commands.stream().filter(c -> ((Number) c.get("subject_id")).longValue() == pursuedId)
                    .mapToLong(c -> ((java.sql.Timestamp) c.get("created_at")).getTime()).filter(ms -> ms > offRequestedMs)
                    .min().orElse(fleet.endMs());   // a later episode of the day pursues again
            // a longer interval applies from the next report, which may still be one pursuit interval after the answer
            List<Long> after = gapsS(sent, pursued.subjectId(), offDoneMs + PURSUIT_S * 1000L, nextCommandMs);
            int normalS = pursued.reportingIntervalS();
            assertTrue(normalS > PURSUIT_S, "the order reports slower than pursuit: " + normalS);
            assertTrue(before.stream().allMatch(g -> g >= normalS), "the order's interval before: " + new java.util.TreeSet<>(before));
            assertTrue(during.size() >= HOLD_S / PURSUIT_S - 1 && during.stream().allMatch(g -> g == PURSUIT_S),
                    "every 15 s while pursued: " + during + " on " + on + " off " + off + " fixes "
                            + fixTimes(sent, pursued.subjectId(), onRequestedMs - 300_000, offDoneMs + 300_000));
            assertTrue(!after.isEmpty() && after.stream().allMatch(g -> g >= normalS), "the order's interval again: " + new java.util.TreeSet<>(after) + " fixes "
                    + fixTimes(sent, pursued.subjectId(), offRequestedMs, offDoneMs + 600_000) + " off " + off);

            // warned: one vibration for the approach warning, answered, and the warning's history says so
            // one vibration per approach episode (this subject passes the warning band more than once a day)
            List<Long> warnings = rows(db, "select id from alerts where type = 'ZONE_APPROACH_WARNING' and subject_id = "
                    + warnedId + " order by id").stream().map(r -> ((Number) r.get("id")).longValue()).toList();
            List<Map<String, Object>> vibrations = commands.stream().filter(c -> "VIBRATE".equals(c.get("kind"))
                    && ((Number) c.get("subject_id")).longValue() == warnedId
                    && String.valueOf(c.get("dedup_key")).startsWith("warn:")).toList();
            assertEquals(warnings, vibrations.stream().map(c -> ((Number) c.get("alert_id")).longValue()).sorted().toList(),
                    "exactly one vibration for each warning alert: " + vibrations);
            assertTrue(vibrations.stream().allMatch(c -> ((Number) c.get("argument")).longValue() == 3000L), vibrations.toString());
            assertTrue(driver.warningsFelt() >= 1, "the bracelet vibrated near the zone");
            assertTrue(commands.stream().noneMatch(c -> String.valueOf(c.get("dedup_key")).startsWith("warn:")
                    && ((Number) c.get("subject_id")).longValue() == pursuedId), "no warning distance, no warning");

            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + running.server().httpPort();
            String token = JSON.readTree(send(http, "POST", base + "/api/v1/auth/login", null,
                    "{\"username\":\"admin\",\"password\":\"" + PASSWORD + "\"}")).get("token").asText();
            for (long warning : warnings) {
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).until(() ->
                        JSON.readTree(send(http, "GET", base + "/api/v1/alerts/" + warning + "/history", token, null))
                                .get("history").toString().contains("SUBJECT_WARNED"));
                JsonNode history = JSON.readTree(send(http, "GET", base + "/api/v1/alerts/" + warning + "/history", token, null))
                        .get("history");
                JsonNode entry = null;
                for (JsonNode h : history) {
                    if ("SUBJECT_WARNED".equals(h.get("action").asText())) {
                        assertEquals(null, entry, "one SUBJECT_WARNED entry: " + history);
                        entry = h;
                    }
                }
                assertEquals("Subject warned: VIBRATE 3000 ms", entry.get("note").asText());
            }

            // the operator API lists the same commands for the subject
            JsonNode listed = JSON.readTree(send(http, "GET", base + "/api/v1/subjects/" + pursuedId + "/commands", token, null));
            assertTrue(listed.toString().contains("\"state\":\"DONE\""), listed.toString());
        }
    }

    /**
     * Simulated time runs hundreds of times faster than the wall clock: before it moves on, the core has processed
     * every fix and the command service has stored and written every command it asked for, as in real time.
     */
    private static void settle(KuzetServer server) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (server.core().lagEntries() > 0 && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(50_000);
        }
        server.commands().awaitIdle(Duration.ofSeconds(60));
    }

    /** The fleet's provisioning file with a 300 m warning distance on the warned subject's exclusion rule. */
    @SuppressWarnings("unchecked")
    private static void writeProvisioning(Fleet fleet, SimSubject warned, Path file) throws Exception {
        Map<String, Object> document = DemoProvisioning.document(fleet);
        for (Object o : (List<Object>) document.get("orders")) {
            Map<String, Object> order = (Map<String, Object>) o;
            if (!((Map<String, Object>) order.get("subject")).get("externalCaseId").equals(warned.externalCaseId())) {
                continue;
            }
            for (Object r : (List<Object>) order.get("rules")) {
                Map<String, Object> rule = (Map<String, Object>) r;
                if (ZoneSpec.RuleKind.EXCLUSION.name().equals(rule.get("kind"))) {
                    rule.put("warnDistanceM", 300.0);
                }
            }
        }
        new YAMLMapper().writeValue(file.toFile(), document);
    }

    /** Gaps between a subject's sent fixes in [fromMs, toMs), seconds. */
    private static List<Long> gapsS(List<SentFix> sent, long simSubjectId, long fromMs, long toMs) {
        List<Long> gaps = new ArrayList<>();
        long previous = -1;
        for (SentFix f : sent) {
            if (f.subjectId() == simSubjectId && f.timeMs() >= fromMs && f.timeMs() < toMs) {
                if (previous >= 0) {
                    gaps.add((f.timeMs() - previous) / 1000);
                }
                previous = f.timeMs();
            }
        }
        return gaps;
    }

    /** A subject's fix times in [fromMs, toMs) as instants, for failure messages. */
    private static List<String> fixTimes(List<SentFix> sent, long simSubjectId, long fromMs, long toMs) {
        return sent.stream().filter(f -> f.subjectId() == simSubjectId && f.timeMs() >= fromMs && f.timeMs() < toMs)
                .map(f -> java.time.Instant.ofEpochMilli(f.timeMs()).toString().substring(11, 19)).toList();
    }

    private static Map<String, Object> only(List<Map<String, Object>> commands, String dedupKey) {
        List<Map<String, Object>> found = commands.stream().filter(c -> dedupKey.equals(c.get("dedup_key"))).toList();
        assertEquals(1, found.size(), dedupKey + " in " + commands);
        return found.get(0);
    }

    private static long subjectId(DataSource db, SimSubject s) throws SQLException {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("select id from subjects where external_case_id = ?")) {
            ps.setString(1, s.externalCaseId());
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "subject " + s.externalCaseId() + " imported");
                return rs.getLong(1);
            }
        }
    }

    private static long count(DataSource db, String sql) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<Map<String, Object>> rows(DataSource db, String sql) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            List<Map<String, Object>> out = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                }
                out.add(row);
            }
            return out;
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
