package io.kuzet.server.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kuzet.server.testing.RunningServer;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shift handover and reports (issue 13): the alert history filters and pages by cursor without repeating or
 * skipping an alert while new ones arrive; the period report's figures equal the ones computed by hand from the
 * inserted alerts and actions; handover notes are scoped to the agency and audited; the printable incident report
 * shows the map, track, explanation and contact log in the agency's zone and its reading is audited.
 */
class AlertHistoryAndReportsTest {
    private static final Instant T0 = Instant.ofEpochMilli(RunningServer.T0);

    @TempDir
    Path dataDir;
    ApiHarness h;

    @BeforeEach
    void start() throws Exception {
        h = new ApiHarness(dataDir);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    private record Row(long id, String type, String severity, long subject, Instant detected, String state, String explanation) {
    }

    private void insert(Row r) throws Exception {
        h.exec("insert into alerts (id, type, severity, subject_id, device_id, fix_time, detected_at, state, explanation) values ("
                + r.id + ", '" + r.type + "', '" + r.severity + "', " + r.subject + ", 1000, '" + r.detected + "', '" + r.detected
                + "', '" + r.state + "', '" + r.explanation + "')");
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static List<String> ids(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("alerts").forEach(a -> out.add(a.get("alertId").asText()));
        return out;
    }

    @Test
    void historyPagesByCursorWithoutDuplicatesOrGapsWhileNewAlertsArriveAndFiltersNarrowIt() throws Exception {
        List<Row> rows = new ArrayList<>();
        String[] types = {"EXCLUSION_VIOLATION", "BATTERY_LOW", "CURFEW_VIOLATION"};
        String[] severities = {"HIGH", "LOW", "CRITICAL"};
        String[] states = {"OPEN", "CLEARED", "RESOLVED", "ACKNOWLEDGED"};
        for (int i = 0; i < 25; i++) {
            // pairs share a detection time (to the microsecond) so the id must break the tie
            Instant detected = T0.plusSeconds(10L * (i / 2)).plusNanos(123_000);
            rows.add(new Row(2000 + i, types[i % 3], severities[i % 3], 10, detected, states[i % 4],
                    i % 5 == 0 ? "entered 100% of zone_x" : "alert number " + i));
        }
        for (Row r : rows) {
            insert(r);
        }
        insert(new Row(9001, "EXCLUSION_VIOLATION", "HIGH", 20, T0.plusSeconds(5), "OPEN", "agency B alert number 1"));
        String operator = h.login("op-alm");
        List<String> expected = rows.stream().sorted(Comparator.comparing(Row::detected).thenComparing(Row::id).reversed())
                .map(r -> Long.toString(r.id)).toList();

        List<String> seen = new ArrayList<>();
        List<Row> arrivedRows = new ArrayList<>();
        JsonNode page = h.json("GET", "/api/v1/alerts?order=recent&limit=4", operator, null, 200);
        int pages = 1;
        long newId = 3000;
        while (true) {
            assertTrue(page.get("alerts").size() <= 4);
            seen.addAll(ids(page));
            // new alerts arrive between pages: newer than everything paged so far, so they belong before page one
            Row arrived = new Row(newId++, "NO_GPS_FIX", "LOW", 10, T0.plusSeconds(3600 + pages), "OPEN", "arrived while paging");
            insert(arrived);
            arrivedRows.add(arrived);
            if (page.get("nextCursor").isNull()) {
                break;
            }
            page = h.json("GET", "/api/v1/alerts?limit=4&cursor=" + page.get("nextCursor").asText(), operator, null, 200);
            pages++;
        }
        assertEquals(expected, seen, "every alert of agency A exactly once, newest first, none that arrived while paging");
        assertEquals(7, pages);
        assertEquals(seen.size(), new HashSet<>(seen).size(), "no duplicates");

        // the filters of the history, each against the same selection made by hand from the inserted rows
        rows.addAll(arrivedRows);
        assertFilter(operator, "type=BATTERY_LOW", rows, r -> r.type.equals("BATTERY_LOW"));
        assertFilter(operator, "severity=HIGH,CRITICAL", rows, r -> !r.severity.equals("LOW"));
        assertFilter(operator, "state=OPEN,CLEARED&severity=HIGH", rows,
                r -> (r.state.equals("OPEN") || r.state.equals("CLEARED")) && r.severity.equals("HIGH"));
        assertFilter(operator, "subjectId=10&from=" + T0.plusSeconds(30) + "&to=" + T0.plusSeconds(80), rows,
                r -> !r.detected.isBefore(T0.plusSeconds(30)) && r.detected.isBefore(T0.plusSeconds(80)));
        assertFilter(operator, "q=" + enc("100%"), rows, r -> r.explanation.contains("100%"));
        assertFilter(operator, "q=" + enc("number 1"), rows, r -> r.explanation.contains("number 1"));
        assertFilter(operator, "q=" + enc("test subj"), rows, r -> true); // the subject's name, case-insensitive
        assertEquals(List.of("9001"), ids(h.json("GET", "/api/v1/alerts?order=recent&q=number", h.login("op-ast"), null, 200)),
                "agency B sees only its own alert");
        assertEquals(400, h.send("GET", "/api/v1/alerts?cursor=bm90LWEtY3Vyc29y", operator, null).statusCode());
        assertEquals(400, h.send("GET", "/api/v1/alerts?state=GONE", operator, null).statusCode());
        JsonNode queue = h.json("GET", "/api/v1/alerts?queue=true", operator, null, 200);
        List<String> order = new ArrayList<>();
        queue.get("alerts").forEach(a -> order.add(a.get("severity").asText()));
        assertEquals(order.stream().sorted(Comparator.comparing(v -> List.of("CRITICAL", "HIGH", "MEDIUM", "LOW").indexOf(v))).toList(),
                order, "the queue still sorts by severity first");
        assertFalse(queue.has("nextCursor"), "queue callers are unchanged");
    }

    private void assertFilter(String token, String query, List<Row> rows, Predicate<Row> selected) throws Exception {
        Set<String> expected = rows.stream().filter(selected).map(r -> Long.toString(r.id)).collect(Collectors.toSet());
        List<String> got = new ArrayList<>();
        JsonNode page = h.json("GET", "/api/v1/alerts?order=recent&limit=3&" + query, token, null, 200);
        while (true) {
            got.addAll(ids(page));
            if (page.get("nextCursor").isNull()) {
                break;
            }
            page = h.json("GET", "/api/v1/alerts?limit=3&" + query + "&cursor=" + page.get("nextCursor").asText(), token, null, 200);
        }
        assertEquals(expected, new HashSet<>(got), query);
        assertEquals(got.size(), expected.size(), query + ": no duplicates");
    }

    @Test
    void periodReportEqualsTheFiguresComputedByHand() throws Exception {
        h.addUser("sup-ast", "supervisor", ApiHarness.OTHER_AGENCY);
        insert(new Row(1, "EXCLUSION_VIOLATION", "HIGH", 10, T0, "RESOLVED", "a1"));
        insert(new Row(2, "EXCLUSION_VIOLATION", "HIGH", 10, T0.plusSeconds(1000), "RESOLVED", "a2"));
        insert(new Row(3, "CURFEW_VIOLATION", "CRITICAL", 10, T0.plusSeconds(2000), "ACKNOWLEDGED", "a3"));
        insert(new Row(4, "BATTERY_LOW", "LOW", 10, T0.plusSeconds(3000), "CLEARED", "a4"));
        insert(new Row(5, "NO_GPS_FIX", "MEDIUM", 10, T0.plusSeconds(4000), "OPEN", "a5"));
        insert(new Row(8, "BATTERY_LOW", "LOW", 10, T0.plusSeconds(5000), "OPEN", "a8"));
        insert(new Row(6, "EXCLUSION_VIOLATION", "HIGH", 10, T0.minusSeconds(3600), "RESOLVED", "before the period"));
        insert(new Row(7, "EXCLUSION_VIOLATION", "HIGH", 20, T0.plusSeconds(100), "OPEN", "agency B"));
        h.exec("update alerts set acknowledged_at = detected_at + interval '60 s', resolved_at = detected_at + interval '600 s'"
                + " where id = 1");
        h.exec("update alerts set acknowledged_at = detected_at + interval '400 s', resolved_at = detected_at + interval '1200 s'"
                + " where id = 2");
        h.exec("update alerts set acknowledged_at = detected_at + interval '300 s', escalated = true where id = 3");
        h.exec("update alerts set acknowledged_at = detected_at + interval '30 s', resolved_at = detected_at + interval '90 s'"
                + " where id = 6");
        long op = h.scalar("select id from users where username = 'op-alm'");
        long sup = h.scalar("select id from users where username = 'sup-alm'");
        String actions = "insert into alert_actions (alert_id, user_id, action, at, note, contact_party, contact_outcome) values "
                + "(1, " + op + ", 'ACKNOWLEDGED', '" + T0.plusSeconds(60) + "', null, null, null),"
                + "(2, " + op + ", 'ACKNOWLEDGED', '" + T0.plusSeconds(1400) + "', null, null, null),"
                + "(3, " + op + ", 'ACKNOWLEDGED', '" + T0.plusSeconds(2300) + "', null, null, null),"
                + "(3, " + op + ", 'CONTACT', '" + T0.plusSeconds(2400) + "', 'called', 'SUBJECT', 'NO_ANSWER'),"
                + "(1, " + sup + ", 'COMMENTED', '" + T0.plusSeconds(500) + "', 'seen', null, null),"
                + "(1, " + sup + ", 'RESOLVED', '" + T0.plusSeconds(600) + "', 'ok', null, null),"
                + "(2, " + sup + ", 'RESOLVED', '" + T0.plusSeconds(2200) + "', 'ok', null, null),"
                + "(6, " + sup + ", 'RESOLVED', '" + T0.minusSeconds(3000) + "', 'before the period', null, null)";
        h.exec(actions);
        h.clock.set(RunningServer.T0 + Duration.ofHours(2).toMillis());

        String query = "/api/v1/reports/alerts?from=" + T0 + "&to=" + T0.plus(Duration.ofDays(1));
        JsonNode r = h.json("GET", query, h.login("sup-alm"), null, 200);
        assertEquals(6, r.get("total").asLong());
        assertEquals("Asia/Almaty", r.get("timeZone").asText());
        assertEquals("[{\"type\":\"BATTERY_LOW\",\"alerts\":2,\"resolved\":0,\"escalated\":0},"
                + "{\"type\":\"EXCLUSION_VIOLATION\",\"alerts\":2,\"resolved\":2,\"escalated\":0},"
                + "{\"type\":\"CURFEW_VIOLATION\",\"alerts\":1,\"resolved\":0,\"escalated\":1},"
                + "{\"type\":\"NO_GPS_FIX\",\"alerts\":1,\"resolved\":0,\"escalated\":0}]", r.get("byType").toString());
        // 2026-05-28T20:26:40Z is already the 29th in Almaty
        assertEquals("[{\"day\":\"2026-05-29\",\"alerts\":6}]", r.get("byDay").toString());

        // by hand: acknowledged after 60, 400, 300 s; resolved after 600, 1200 s. percentile_cont interpolates:
        // median(60, 300, 400) = 300, p90 = 300 + 0.8 * (400 - 300) = 380; median(600, 1200) = 900, p90 = 600 + 0.9 * 600 = 1140
        JsonNode all = r.get("times").get(0);
        assertEquals("ALL", all.get("severity").asText());
        assertEquals(6, all.get("alerts").asLong());
        assertEquals(3, all.get("acknowledged").asLong());
        assertEquals(300.0, all.get("ackMedianSeconds").asDouble());
        assertEquals(380.0, all.get("ackP90Seconds").asDouble());
        assertEquals(2, all.get("resolved").asLong());
        assertEquals(900.0, all.get("resolveMedianSeconds").asDouble());
        assertEquals(1140.0, all.get("resolveP90Seconds").asDouble());
        JsonNode high = severity(r.get("times"), "HIGH");   // median(60, 400) = 230, p90 = 60 + 0.9 * 340 = 366
        assertEquals(230.0, high.get("ackMedianSeconds").asDouble());
        assertEquals(366.0, high.get("ackP90Seconds").asDouble());
        assertTrue(severity(r.get("times"), "LOW").get("ackMedianSeconds").isNull(), "no LOW alert was acknowledged");

        // ack SLAs 2/5/15/60 min: #3 CRITICAL acked after 300 s > 120 (breach); #2 HIGH after 400 s > 300 (breach), #1 after
        // 60 s (kept); #5 MEDIUM still open 3,200 s after detection > 900 (breach); #8 LOW open 2,200 s < 3,600 (kept);
        // #4 LOW ended by itself below the review severity: nobody had to acknowledge it
        assertEquals("[{\"severity\":\"CRITICAL\",\"ackSlaSeconds\":120,\"alerts\":1,\"breaches\":1,\"escalated\":1},"
                + "{\"severity\":\"HIGH\",\"ackSlaSeconds\":300,\"alerts\":2,\"breaches\":1,\"escalated\":0},"
                + "{\"severity\":\"MEDIUM\",\"ackSlaSeconds\":900,\"alerts\":1,\"breaches\":1,\"escalated\":0},"
                + "{\"severity\":\"LOW\",\"ackSlaSeconds\":3600,\"alerts\":2,\"breaches\":0,\"escalated\":0}]", r.get("sla").toString());

        assertEquals("[{\"user\":\"op-alm\",\"acknowledged\":3,\"resolved\":0,\"contacts\":1,\"comments\":0,\"alerts\":3},"
                + "{\"user\":\"sup-alm\",\"acknowledged\":0,\"resolved\":2,\"contacts\":0,\"comments\":1,\"alerts\":2}]",
                r.get("operators").toString());

        JsonNode other = h.json("GET", query, h.login("sup-ast"), null, 200);
        assertEquals(1, other.get("total").asLong(), "agency B's supervisor counts only agency B's alert");
        assertEquals("[]", other.get("operators").toString());
        assertEquals(404, h.send("GET", query + "&agencyId=1", h.login("sup-ast"), null).statusCode());
        assertEquals(403, h.send("GET", query, h.login("op-alm"), null).statusCode(), "reports are for supervisors");
        assertEquals(400, h.send("GET", "/api/v1/reports/alerts?from=" + T0 + "&to=" + T0.plus(Duration.ofDays(100)),
                h.login("sup-alm"), null).statusCode());
    }

    private static JsonNode severity(JsonNode rows, String severity) {
        for (JsonNode row : rows) {
            if (row.get("severity").asText().equals(severity)) {
                return row;
            }
        }
        throw new AssertionError("no row for " + severity + " in " + rows);
    }

    @Test
    void handoverNotesAreAuditedAndScopedToTheAgency() throws Exception {
        insert(new Row(41, "EXCLUSION_VIOLATION", "HIGH", 10, T0, "OPEN", "open one"));
        insert(new Row(42, "EXCLUSION_VIOLATION", "HIGH", 10, T0.plusSeconds(10), "CLEARED", "ended, needs review"));
        insert(new Row(43, "BATTERY_LOW", "LOW", 10, T0.plusSeconds(20), "CLEARED", "came and went"));
        insert(new Row(44, "EXCLUSION_VIOLATION", "HIGH", 10, T0.plusSeconds(30), "RESOLVED", "done"));
        insert(new Row(45, "EXCLUSION_VIOLATION", "HIGH", 20, T0.plusSeconds(40), "OPEN", "agency B"));
        String operator = h.login("op-alm");
        long audits = h.scalar("select count(*) from audit_log where action = 'HANDOVER_NOTE_CREATED'");
        JsonNode note = h.json("POST", "/api/v1/handover/notes", operator,
                "{\"note\":\"#41: subject's phone off, officer informed\",\"alertId\":\"41\"}", 201);
        assertEquals("op-alm", note.get("user").asText());
        assertEquals("41", note.get("alertId").asText());
        assertEquals("[\"41\",\"42\"]", note.get("openAlertIds").toString(), "what still waited for a person, agency A only");
        assertEquals(audits + 1, h.scalar("select count(*) from audit_log where action = 'HANDOVER_NOTE_CREATED'"
                + " and after->>'note' like '#41:%' and after->>'agency_id' = '1'"));

        assertEquals(404, h.send("POST", "/api/v1/handover/notes", h.login("op-ast"), "{\"note\":\"x\",\"alertId\":\"41\"}")
                .statusCode(), "agency B cannot attach a note to agency A's alert");
        h.json("POST", "/api/v1/handover/notes", h.login("op-ast"), "{\"note\":\"Astana: quiet night\"}", 201);
        assertEquals(400, h.send("POST", "/api/v1/handover/notes", h.login("admin"), "{\"note\":\"x\"}").statusCode(),
                "a platform admin names the agency");
        assertEquals(400, h.send("POST", "/api/v1/handover/notes", operator, "{\"note\":\"\"}").statusCode());

        JsonNode mine = h.json("GET", "/api/v1/handover/notes", operator, null, 200).get("notes");
        assertEquals(1, mine.size());
        assertEquals("#41: subject's phone off, officer informed", mine.get(0).get("note").asText());
        JsonNode theirs = h.json("GET", "/api/v1/handover/notes", h.login("op-ast"), null, 200).get("notes");
        assertEquals(1, theirs.size());
        assertEquals("Astana: quiet night", theirs.get(0).get("note").asText());
        assertEquals(2, h.json("GET", "/api/v1/handover/notes", h.login("admin"), null, 200).get("notes").size());
        assertEquals(0, h.json("GET", "/api/v1/handover/notes?since=" + T0.plusSeconds(60), operator, null, 200)
                .get("notes").size(), "since filters by creation time");
    }

    @Test
    void incidentReportPrintsMapTrackExplanationAndContactLogInTheAgencyZoneAndAuditsTheRead() throws Exception {
        h.walkIntoExclusionZone();
        await().atMost(Duration.ofSeconds(15)).until(() -> h.scalar("select count(*) from alerts where type = 'EXCLUSION_VIOLATION'") == 1);
        storeWalkedTrack();
        String id = Long.toString(h.scalar("select id from alerts where type = 'EXCLUSION_VIOLATION'"));
        String supervisor = h.login("sup-alm");
        h.json("POST", "/api/v1/alerts/" + id + "/contact", supervisor,
                "{\"party\":\"VICTIM\",\"outcome\":\"REACHED\",\"note\":\"She is safe <home>\"}", 200);
        long reads = h.scalar("select count(*) from audit_log where action = 'ALERT_REPORT_READ'");

        HttpResponse<String> r = h.send("GET", "/api/v1/alerts/" + id + "/report?purpose=court+file", supervisor, null);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        String html = r.body();
        // the explanation from the alert's details, as the English console writes it (not the server's own sentence)
        assertTrue(html.matches("(?s).*<p id=\"report-explanation\">Exclusion zone “Stay away from victim home” \\(zone “Victim home”\\):"
                + " 120 m inside \\(accuracy 6 m\\), \\d+ fixes over .*"), "the explanation from the details");
        assertTrue(html.contains("<svg id=\"incident-map\"") && html.contains("class=\"zone\"") && html.contains("class=\"track\"")
                && html.contains("class=\"trigger\""), "the map draws the zone, the track and the triggering fix");
        assertTrue(html.contains("Victim home") && html.contains("Stay away from victim home") && html.contains("KZ-2026-0001"));
        assertTrue(html.contains("Called the victim · reached") && html.contains("She is safe &lt;home&gt;"), "the contact log, escaped");
        assertEquals(16, rows(html, "report-track"), "one track row per stored fix");
        assertEquals(h.scalar("select count(*) from alert_actions where alert_id = " + id), rows(html, "report-history"),
                "the full history");
        assertTrue(html.contains(" Asia/Almaty") && !html.contains("Z</td>"), "times in the agency's zone, never raw UTC");
        assertTrue(html.contains("@media print"), "print-ready");
        assertEquals(reads + 1, h.scalar("select count(*) from audit_log where action = 'ALERT_REPORT_READ' and purpose = 'court file'"
                + " and details->>'alertId' = '" + id + "' and (details->>'fixes')::int = 16"), "reading it is audited as evidence access");

        String russian = h.send("GET", "/api/v1/alerts/" + id + "/report?lang=kk", supervisor, null).body();
        assertTrue(russian.contains("Оқиға туралы есеп") && !russian.contains("Incident report"));
        assertEquals(404, h.send("GET", "/api/v1/alerts/" + id + "/report", h.login("op-ast"), null).statusCode());
        assertEquals(400, h.send("GET", "/api/v1/alerts/" + id + "/report?lang=de", supervisor, null).statusCode());
    }

    /**
     * The printed report of a Russian or Kazakh reader explains each alert from its structured details with the
     * console's texts: not one word of the server's English explanation is left, the numbers of the details are
     * there, times are in the agency's zone, and the English report says what the English console says.
     */
    @Test
    void russianAndKazakhIncidentReportsExplainEveryKindOfAlertWithoutEnglish() throws Exception {
        // the registry's names are the agency's data, printed as given: give them in the local language
        h.exec("update zones set name = 'Жилище потерпевшей' where id = 500");
        h.exec("update rules set name = 'Запрет: жилище потерпевшей' where id = 5000");
        h.reloadRegistry();
        h.walkIntoExclusionZone();
        await().atMost(Duration.ofSeconds(15)).until(() -> h.scalar("select count(*) from alerts where type = 'EXCLUSION_VIOLATION'") == 1);
        List<String> ids = new ArrayList<>(List.of(Long.toString(h.scalar("select id from alerts where type = 'EXCLUSION_VIOLATION'"))));
        // the other kinds as the core writes them: its English sentence and the details behind it
        String[][] others = {
            {"CURFEW_VIOLATION", "HIGH", "true", "Curfew “Ночной режим” (zone “Дом”): the window began at 2026-05-01 22:00:00 Asia/Almaty"
                + " while the subject was away; last known position at 2026-05-01 21:40:00 Asia/Almaty, 1.2 km outside (accuracy 12 m);"
                + " late: older than the newest fix of the device",
                "{\"ruleName\": \"Ночной режим\", \"ruleKind\": \"CURFEW\", \"zoneName\": \"Дом\", \"basis\": \"LAST_KNOWN_POSITION\","
                + " \"signedDistanceMetres\": -1234.5, \"accuracyMetres\": 12, \"fixCount\": 1, \"durationSeconds\": 0,"
                + " \"openingFixTime\": \"2026-05-01T17:00:00Z\", \"lastFixTime\": \"2026-05-01T16:40:00Z\"}"},
            {"NO_COMMUNICATION", "HIGH", "false", "No communication for 31 min (limit 15 min); last message 2026-05-01 15:00:00 Asia/Almaty",
                "{\"silentSeconds\": 1860, \"limitSeconds\": 900, \"neverSinceMonitoringBegan\": false}"},
            {"BATTERY_LOW", "LOW", "false", "Battery low: 18 % (threshold 20 %)", "{\"batteryPercent\": 18, \"thresholdPercent\": 20}"},
            {"BATTERY_CRITICAL", "MEDIUM", "false", "Battery critical: 4 % (threshold 5 %); device will stop reporting soon",
                "{\"batteryPercent\": 4, \"thresholdPercent\": 5}"},
            {"NO_GPS_FIX", "MEDIUM", "false", "Communicating but no valid GPS fix for 32 min (limit 30 min): possible shielding or jamming;"
                + " last fix never since monitoring began", "{\"noFixSeconds\": 1920, \"limitSeconds\": 1800, \"neverSinceMonitoringBegan\": true}"},
            {"STRAP_TAMPER", "HIGH", "true", "Strap opened, reported by the device at 2026-05-01 15:00:00 Asia/Almaty; received late",
                "{\"eventTimeMs\": 1777647600000, \"delaySeconds\": 1200}"}};
        for (int i = 0; i < others.length; i++) {
            String[] o = others[i];
            h.exec("insert into alerts (id, type, severity, subject_id, device_id, fix_time, detected_at, late, state, explanation, details)"
                    + " values (" + (7000 + i) + ", '" + o[0] + "', '" + o[1] + "', 10, 1000, '" + T0 + "', '" + T0.plusSeconds(1200) + "', "
                    + o[2] + ", 'OPEN', '" + o[3] + "', '" + o[4] + "'::jsonb)");
            ids.add(Long.toString(7000 + i));
        }
        String supervisor = h.login("sup-alm");
        List<String> problems = new ArrayList<>();
        for (String id : ids) {
            String english = h.strings("select explanation from alerts where id = " + id).get(0);
            Set<String> words = new HashSet<>();
            java.util.regex.Matcher w = java.util.regex.Pattern.compile("[A-Za-z]{3,}").matcher(english);
            while (w.find()) {
                words.add(w.group().toLowerCase(java.util.Locale.ROOT));
            }
            words.removeAll(Set.of("asia", "almaty", "gps")); // the zone's IANA id and an acronym every language keeps
            for (String lang : List.of("ru", "kk")) {
                String html = h.send("GET", "/api/v1/alerts/" + id + "/report?lang=" + lang, supervisor, null).body();
                String explanation = between(html, "<p id=\"report-explanation\">", "</p>");
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("[A-Za-z]{3,}").matcher(explanation);
                List<String> left = new ArrayList<>();
                while (m.find()) {
                    if (words.contains(m.group().toLowerCase(java.util.Locale.ROOT))) {
                        left.add(m.group());
                    }
                }
                String type = h.strings("select type from alerts where id = " + id).get(0);
                if (!left.isEmpty() || html.contains(escaped(english)) || !explanation.matches(".*\\d.*") || explanation.contains("{")) {
                    problems.add(lang + " " + type + ": " + explanation + " (English left: " + left + ")");
                }
            }
        }
        assertEquals(List.of(), problems, "Russian and Kazakh reports explained from the structured details");

        String battery = h.send("GET", "/api/v1/alerts/7002/report?lang=ru", supervisor, null).body();
        assertEquals("Заряд 18 % (порог 20 %)", between(battery, "<p id=\"report-explanation\">", "</p>"));
        String curfew = between(h.send("GET", "/api/v1/alerts/7000/report?lang=kk", supervisor, null).body(),
                "<p id=\"report-explanation\">", "</p>");
        assertTrue(curfew.startsWith("Коменданттық сағат «Ночной режим» («Дом» аймағы): кезең 2026-05-01 2") && curfew.contains("Asia/Almaty")
                && curfew.contains("сыртында 1235 м (дәлдігі 12 м)"), "curfew in Kazakh, in the agency's zone: " + curfew);
        String english = between(h.send("GET", "/api/v1/alerts/7002/report?lang=en", supervisor, null).body(),
                "<p id=\"report-explanation\">", "</p>");
        assertEquals("Battery at 18 % (threshold 20 %)", english, "the English report says what the English console says");
    }

    private static String between(String html, String start, String end) {
        int from = html.indexOf(start);
        assertTrue(from >= 0, "no " + start + " in " + html);
        from += start.length();
        return html.substring(from, html.indexOf(end, from));
    }

    /** The fixes {@link ApiHarness#walkIntoExclusionZone} sent, as the storage writer (not run by the harness) stores them. */
    private void storeWalkedTrack() throws Exception {
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            Instant t = T0.plusSeconds(30L * i);
            long latE7 = Math.round(io.kuzet.server.testing.TestFleet.latNorthOfCentre(i < 4 ? 1000 : 80) * 1e7);
            values.append(i == 0 ? "" : ",").append("(1000, 10, 100, '").append(t).append("', '").append(t).append("', ")
                    .append(latE7).append(", ").append(Math.round(io.kuzet.server.testing.TestFleet.ZONE_LON * 1e7))
                    .append(", 6, 0, ").append(i + 1).append(")");
        }
        h.exec("insert into positions (device_id, subject_id, order_id, fix_time, received_at, lat_e7, lon_e7, accuracy_m, flags,"
                + " journal_index) values " + values);
    }

    /** Body rows of the table with this id. */
    private static int rows(String html, String tableId) {
        int start = html.indexOf("id=\"" + tableId + "\"");
        String table = html.substring(start, html.indexOf("</table>", start));
        return table.split("<tr", -1).length - 2; // minus the text before the first row and the header row
    }

    private static String escaped(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }
}
