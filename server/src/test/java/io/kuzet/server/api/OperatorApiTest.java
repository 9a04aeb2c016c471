package io.kuzet.server.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kuzet.server.testing.RunningServer;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator API over real HTTP against a running server and a real PostgreSQL. */
class OperatorApiTest {
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

    private String raisedAlertId(String token) throws Exception {
        h.walkIntoExclusionZone();
        await().atMost(Duration.ofSeconds(15)).until(() -> h.json("GET", "/api/v1/alerts?state=OPEN", token, null, 200)
                .get("alerts").size() == 1);
        return h.json("GET", "/api/v1/alerts?state=OPEN", token, null, 200).get("alerts").get(0).get("alertId").asText();
    }

    @Test
    void requestsWithoutAValidTokenAnswer401AndWrongPasswordsDoNotLogIn() throws Exception {
        assertEquals(401, h.send("GET", "/api/v1/alerts", null, null).statusCode());
        assertEquals(401, h.send("GET", "/api/v1/alerts", "forged-token", null).statusCode());
        HttpResponse<String> wrong = h.send("POST", "/api/v1/auth/login", null, "{\"username\":\"op-alm\",\"password\":\"nope nope nope\"}");
        assertEquals(401, wrong.statusCode());
        assertTrue(wrong.body().contains("\"error\":\"unauthorized\""), wrong.body());
        HttpResponse<String> unknown = h.send("POST", "/api/v1/auth/login", null, "{\"username\":\"nobody\",\"password\":\"nope nope nope\"}");
        assertEquals(wrong.body(), unknown.body(), "unknown users and wrong passwords look the same");
        String token = h.login("op-alm");
        assertEquals("operator", h.json("GET", "/api/v1/auth/me", token, null, 200).get("role").asText());
        h.json("POST", "/api/v1/auth/logout", token, null, 204);
        assertEquals(401, h.send("GET", "/api/v1/auth/me", token, null).statusCode(), "a revoked token stops working");
    }

    @Test
    void tokensAreStoredOnlyAsHashesAndExpire() throws Exception {
        String token = h.login("op-alm");
        assertEquals(1, h.scalar("select count(*) from api_tokens where token_hash = sha256(convert_to('" + token + "', 'UTF8'))"),
                "the table holds the token's SHA-256");
        assertEquals(0, h.scalar("select count(*) from api_tokens where position(convert_to('" + token + "', 'UTF8') in token_hash) > 0"),
                "and never the token itself");
        h.clock.advance(Duration.ofHours(13).toMillis());
        assertEquals(401, h.send("GET", "/api/v1/auth/me", token, null).statusCode());
    }

    @Test
    void foreignAgencyIdsAnswer404AndListsShowOnlyTheOwnAgency() throws Exception {
        String alm = h.login("op-alm");
        String ast = h.login("op-ast");
        String alertId = raisedAlertId(alm);
        assertEquals(404, h.send("GET", "/api/v1/alerts/" + alertId, ast, null).statusCode());
        assertEquals(404, h.send("POST", "/api/v1/alerts/" + alertId + "/acknowledge", ast, "{}").statusCode());
        assertEquals(404, h.send("GET", "/api/v1/subjects/10", ast, null).statusCode());
        assertEquals(404, h.send("GET", "/api/v1/subjects/10/track?from=2026-05-28T00:00:00Z&to=2026-05-29T00:00:00Z", ast, null)
                .statusCode());
        assertEquals(404, h.send("GET", "/api/v1/subjects/999999/track?from=2026-05-28T00:00:00Z&to=2026-05-29T00:00:00Z", ast, null)
                .statusCode(), "a missing id answers exactly like a foreign one");
        assertEquals(404, h.send("GET", "/api/v1/zones/500", ast, null).statusCode());
        assertEquals(0, h.json("GET", "/api/v1/alerts", ast, null, 200).get("alerts").size());
        JsonNode subjects = h.json("GET", "/api/v1/subjects", ast, null, 200).get("subjects");
        assertEquals(1, subjects.size());
        assertEquals("20", subjects.get(0).get("id").asText());
        assertEquals(0, h.json("GET", "/api/v1/zones", ast, null, 200).get("features").size());
    }

    @Test
    void rolesLimitWhatEachUserMayDo() throws Exception {
        String operator = h.login("op-alm");
        String alertId = raisedAlertId(operator);
        assertEquals(403, h.send("POST", "/api/v1/alerts/" + alertId + "/resolve", operator,
                "{\"disposition\":\"CONFIRMED_VIOLATION\",\"note\":\"x\"}").statusCode());
        assertEquals(403, h.send("GET", "/api/v1/subjects/10/evidence?from=2026-05-28T00:00:00Z&to=2026-05-29T00:00:00Z&purpose=x",
                operator, null).statusCode());
        assertEquals(403, h.send("POST", "/api/v1/devices", h.login("sup-alm"),
                "{\"protocol\":\"gt06\",\"deviceNumber\":\"123\",\"role\":\"BRACELET\"}").statusCode());
        assertEquals(403, h.send("GET", "/api/v1/audit/verify", operator, null).statusCode());
    }

    @Test
    void alertFromADeviceOverTcpIsAcknowledgedResolvedAndAuditedWithItsHistory() throws Exception {
        String operator = h.login("op-alm");
        String supervisor = h.login("sup-alm");
        String alertId = raisedAlertId(operator);
        JsonNode listed = h.json("GET", "/api/v1/alerts?state=OPEN&type=EXCLUSION_VIOLATION&subjectId=10", operator, null, 200)
                .get("alerts").get(0);
        assertTrue(listed.get("explanation").asText().contains("inside"), listed.toString());

        JsonNode acked = h.json("POST", "/api/v1/alerts/" + alertId + "/acknowledge", operator, "{\"note\":\"calling the subject\"}", 200);
        assertEquals("ACKNOWLEDGED", acked.get("state").asText());
        assertEquals(409, h.send("POST", "/api/v1/alerts/" + alertId + "/acknowledge", operator, "{}").statusCode());
        h.json("POST", "/api/v1/alerts/" + alertId + "/comment", operator, "{\"note\":\"subject says he visited a shop\"}", 200);

        HttpResponse<String> noNote = h.send("POST", "/api/v1/alerts/" + alertId + "/resolve", supervisor,
                "{\"disposition\":\"SUBJECT_CONTACTED\"}");
        assertEquals(400, noNote.statusCode());
        assertTrue(noNote.body().contains("'note' is required"), noNote.body());
        HttpResponse<String> badDisposition = h.send("POST", "/api/v1/alerts/" + alertId + "/resolve", supervisor,
                "{\"disposition\":\"WHATEVER\",\"note\":\"x\"}");
        assertEquals(400, badDisposition.statusCode());
        assertTrue(badDisposition.body().contains("DISPUTED_BY_SUBJECT"), "the error lists the allowed dispositions");

        JsonNode resolved = h.json("POST", "/api/v1/alerts/" + alertId + "/resolve", supervisor,
                "{\"disposition\":\"disputed_by_subject\",\"note\":\"subject disputes; GPS accuracy 6 m\"}", 200);
        assertEquals("RESOLVED", resolved.get("state").asText());
        assertEquals("DISPUTED_BY_SUBJECT", resolved.get("disposition").asText());
        List<String> history = resolved.get("history").findValuesAsText("action");
        assertEquals(List.of("ACKNOWLEDGED", "COMMENTED", "RESOLVED"), history);
        assertEquals(List.of("op-alm", "op-alm", "sup-alm"), resolved.get("history").findValuesAsText("user"));

        assertEquals("RESOLVED", h.strings("select state from alerts where id = " + alertId).get(0));
        assertEquals(List.of("ALERT_ACKNOWLEDGED", "ALERT_COMMENTED", "ALERT_RESOLVED"),
                h.strings("select action from audit_log where details->>'alertId' = '" + alertId + "' order by id"));
    }

    @Test
    void clearedAlertShowsBothTimesOfEachTransitionInItsHistoryAndInTheEvidenceExport() throws Exception {
        String supervisor = h.login("sup-alm");
        h.walkIntoExclusionZoneAndOut();
        await().atMost(Duration.ofSeconds(15)).until(() -> h.json("GET", "/api/v1/alerts?state=CLEARED", supervisor, null, 200)
                .get("alerts").size() == 1);
        String alertId = h.json("GET", "/api/v1/alerts?state=CLEARED", supervisor, null, 200).get("alerts").get(0)
                .get("alertId").asText();
        JsonNode alert = h.json("GET", "/api/v1/alerts/" + alertId, supervisor, null, 200);
        long clearingFixMs = RunningServer.T0 + 17 * 30_000L;   // two certainly-outside fixes over 30 s: 16th and 17th
        assertEquals(Instant.ofEpochMilli(RunningServer.T0 + 4 * 30_000L).toString(), alert.get("openedFixTime").asText());
        assertEquals(Instant.ofEpochMilli(clearingFixMs + 30_000L).toString(), alert.get("clearedFixTime").asText(),
                alert.toString());
        assertEquals(Instant.ofEpochMilli(clearingFixMs + 30_000L + 600_000).toString(), alert.get("clearedAt").asText());
        JsonNode cleared = alert.get("history").get(0);
        assertEquals("CLEARED", cleared.get("action").asText(), alert.toString());
        assertEquals(alert.get("clearedFixTime").asText(), cleared.get("fixTime").asText());
        assertEquals(alert.get("clearedAt").asText(), cleared.get("at").asText());

        Instant t = Instant.ofEpochMilli(RunningServer.T0);
        JsonNode geo = h.json("GET", "/api/v1/subjects/10/evidence?from=" + t.minusSeconds(3600) + "&to=" + t.plusSeconds(3600)
                + "&format=geojson&purpose=court", supervisor, null, 200);
        JsonNode exported = geo.get("properties").get("alerts").get(0);
        assertEquals(alert.get("clearedFixTime").asText(), exported.get("clearedFixTime").asText());
        assertEquals(alert.get("clearedAt").asText(), exported.get("clearedAt").asText());
        assertEquals(alert.get("openedFixTime").asText(), exported.get("openedFixTime").asText());
    }

    @Test
    void zoneAndRuleCreatedThroughTheApiRaiseAlertsWithoutARestart() throws Exception {
        String supervisor = h.login("sup-alm");
        HttpResponse<String> badZone = h.send("POST", "/api/v1/zones", supervisor,
                "{\"name\":\"Bad\",\"geojson\":{\"type\":\"Point\",\"coordinates\":[76.9,43.2]}}");
        assertEquals(400, badZone.statusCode());
        assertTrue(badZone.body().contains("radius_m"), badZone.body());

        h.json("POST", "/api/v1/rules/5000/deactivate", supervisor, null, 204);
        String zone = "{\"name\":\"School\",\"geojson\":{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"Polygon\","
                + "\"coordinates\":[[[76.940,43.236],[76.950,43.236],[76.950,43.241],[76.940,43.241],[76.940,43.236]]]}}}";
        String zoneId = h.json("POST", "/api/v1/zones", supervisor, zone, 201).get("id").asText();
        String ruleId = h.json("POST", "/api/v1/orders/100/rules", supervisor,
                "{\"name\":\"Stay away from school\",\"kind\":\"EXCLUSION\",\"zoneId\":\"" + zoneId + "\"}", 201).get("id").asText();
        JsonNode rules = h.json("GET", "/api/v1/orders/100/rules", supervisor, null, 200).get("rules");
        assertEquals(2, rules.size());

        h.walkIntoExclusionZone();
        await().atMost(Duration.ofSeconds(15)).until(() -> h.json("GET", "/api/v1/alerts?state=OPEN", supervisor, null, 200)
                .get("alerts").size() == 1);
        JsonNode alert = h.json("GET", "/api/v1/alerts?state=OPEN", supervisor, null, 200).get("alerts").get(0);
        assertEquals(ruleId, alert.get("ruleId").asText(), "raised by the new rule, not the deactivated one");
    }

    @Test
    void evidenceExportCarriesItsDigestInTheHeaderAndTheAuditLogAndPutsTheWindowUnderLegalHold() throws Exception {
        Instant t = Instant.ofEpochMilli(RunningServer.T0);
        h.exec("insert into positions (device_id, subject_id, order_id, fix_time, received_at, lat_e7, lon_e7, accuracy_m, flags, journal_index)"
                + " values (1000, 10, 100, '" + t + "', '" + t + "', 432380000, 769450000, 7.5, 0, 1),"
                + " (1000, 10, 100, '" + t.plusSeconds(60) + "', '" + t.plusSeconds(60) + "', 432390000, 769460000, 5, 0, 2)");
        String supervisor = h.login("sup-alm");
        String range = "from=" + t.minusSeconds(3600) + "&to=" + t.plusSeconds(3600);
        assertEquals(400, h.send("GET", "/api/v1/subjects/10/evidence?" + range, supervisor, null).statusCode(), "purpose is required");

        HttpResponse<String> csv = h.send("GET", "/api/v1/subjects/10/evidence?" + range + "&format=csv&purpose=court%20case%202-123",
                supervisor, null);
        assertEquals(200, csv.statusCode(), csv.body());
        String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(csv.body().getBytes(StandardCharsets.UTF_8)));
        assertEquals(digest, csv.headers().firstValue("X-Kuzet-SHA256").orElseThrow());
        assertEquals(3, csv.body().split("\r\n").length, "header and two fixes");
        assertTrue(csv.body().contains("fix,2026-05-28T20:26:40Z,1000,43.238,76.945,7.5"), csv.body());
        assertEquals(List.of(digest), h.strings("select details->>'sha256' from audit_log where action = 'EVIDENCE_EXPORT'"));
        assertEquals(List.of("court case 2-123"), h.strings("select purpose from audit_log where action = 'EVIDENCE_EXPORT'"));
        assertEquals(1, h.scalar("select count(*) from legal_holds where subject_id = 10 and from_time = '" + t.minusSeconds(3600)
                + "' and to_time = '" + t.plusSeconds(3600) + "'"));

        JsonNode geo = h.json("GET", "/api/v1/subjects/10/evidence?" + range + "&format=geojson&purpose=court", supervisor, null, 200);
        assertEquals(2, geo.get("features").size());
        assertEquals(7.5, geo.get("features").get(0).get("properties").get("accuracyM").asDouble());
    }

    @Test
    void everyLocationReadIsAuditedAndTheTrackIsGeoJson() throws Exception {
        Instant t = Instant.ofEpochMilli(RunningServer.T0);
        h.exec("insert into positions (device_id, subject_id, order_id, fix_time, received_at, lat_e7, lon_e7, accuracy_m, flags, journal_index)"
                + " values (1000, 10, 100, '" + t + "', '" + t + "', 432380000, 769450000, 7.5, 0, 1),"
                + " (1000, 10, 100, '" + t.plusSeconds(60) + "', '" + t.plusSeconds(60) + "', 432390000, 769460000, 5, 0, 2)");
        String operator = h.login("op-alm");
        JsonNode track = h.json("GET", "/api/v1/subjects/10/track?from=" + t.minusSeconds(60) + "&to=" + t.plusSeconds(120)
                + "&purpose=alert%20review", operator, null, 200);
        assertEquals("FeatureCollection", track.get("type").asText());
        assertEquals(3, track.get("features").size(), "two points and the line");
        assertEquals(76.945, track.get("features").get(0).get("geometry").get("coordinates").get(0).asDouble(), 1e-9);
        JsonNode latest = h.json("GET", "/api/v1/positions/latest?sinceHours=1", operator, null, 200);
        assertEquals(1, latest.get("features").size());
        assertEquals(List.of("LOCATION_TRACK_READ", "LOCATION_LATEST_READ"), h.strings(
                "select action from audit_log a join users u on u.id = a.user_id where u.username = 'op-alm' order by a.id"));
        assertEquals(List.of("alert review"), h.strings("select purpose from audit_log where action = 'LOCATION_TRACK_READ'"));
    }

    @Test
    void auditChainVerifiesAndATamperedRowIsDetected() throws Exception {
        String operator = h.login("op-alm");
        String admin = h.login("admin");
        for (int i = 0; i < 3; i++) {
            h.json("GET", "/api/v1/positions/latest", operator, null, 200);
        }
        JsonNode ok = h.json("GET", "/api/v1/audit/verify", admin, null, 200);
        assertTrue(ok.get("intact").asBoolean(), ok.toString());
        assertEquals(4, ok.get("entriesVerified").asInt(), "the bootstrap admin's creation and the three reads");

        assertThrowsSql(() -> h.exec("update audit_log set purpose = 'edited'"));
        long second = h.scalar("select id from audit_log order by id offset 1 limit 1");
        h.exec("alter table audit_log disable trigger audit_log_no_update");
        try {
            h.exec("update audit_log set purpose = 'nothing to see' where id = " + second);
        } finally {
            h.exec("alter table audit_log enable trigger audit_log_no_update");
        }
        JsonNode broken = h.json("GET", "/api/v1/audit/verify", admin, null, 200);
        assertFalse(broken.get("intact").asBoolean());
        assertEquals(Long.toString(second), broken.get("brokenAtId").asText());
        assertEquals(1, broken.get("entriesVerified").asInt());
    }

    private static void assertThrowsSql(org.junit.jupiter.api.function.Executable e) {
        org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class, e, "the trigger refuses updates");
    }

    @Test
    void unacknowledgedAlertEscalatesOnceAfterItsSlaAndIsPushedToItsAgencyOnly() throws Exception {
        String operator = h.login("op-alm");
        List<String> almMessages = new CopyOnWriteArrayList<>();
        List<String> astMessages = new CopyOnWriteArrayList<>();
        WebSocket alm = liveSocket(operator, almMessages);
        WebSocket ast = liveSocket(h.login("op-ast"), astMessages);
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> h.api.liveHub().subscribers() == 2);
            String alertId = raisedAlertId(operator);
            await().atMost(Duration.ofSeconds(5)).until(() -> almMessages.stream().anyMatch(m -> m.contains(alertId)));
            await().atMost(Duration.ofSeconds(5)).until(() -> almMessages.stream().anyMatch(m -> m.contains("\"kind\":\"position\"")));
            assertTrue(h.api.escalateNow().isEmpty(), "not due yet");
            h.clock.advance(Duration.ofMinutes(6).toMillis());
            assertEquals(1, h.api.escalateNow().size());
            assertTrue(h.api.escalateNow().isEmpty(), "escalates once");
            await().atMost(Duration.ofSeconds(5)).until(() -> almMessages.stream().anyMatch(m -> m.contains("\"kind\":\"escalation\"")));
            assertTrue(astMessages.isEmpty(), "another agency hears nothing, neither alerts nor positions: " + astMessages);
            JsonNode alert = h.json("GET", "/api/v1/alerts/" + alertId, operator, null, 200);
            assertTrue(alert.get("escalated").asBoolean());
            assertEquals(List.of("ESCALATED"), alert.get("history").findValuesAsText("action"));
            assertEquals(1, h.scalar("select count(*) from audit_log where action = 'ALERT_ESCALATED'"));
        } finally {
            alm.abort();
            ast.abort();
        }
    }

    @Test
    void liveStreamRefusesAMissingOrWrongToken() throws Exception {
        assertEquals(401, h.send("GET", "/api/v1/live?token=wrong", null, null).statusCode());
        assertEquals(401, h.send("GET", "/api/v1/live", null, null).statusCode());
    }

    @Test
    void malformedInputGetsAClearJsonError() throws Exception {
        String supervisor = h.login("sup-alm");
        HttpResponse<String> notJson = h.send("POST", "/api/v1/subjects", supervisor, "{not json");
        assertEquals(400, notJson.statusCode());
        assertTrue(notJson.body().startsWith("{\"error\":\"bad_request\""), notJson.body());
        HttpResponse<String> missing = h.send("POST", "/api/v1/subjects/10/orders", supervisor,
                "{\"legalReference\":\"X-1\",\"kind\":\"HOUSE_ARREST\",\"startsAt\":\"yesterday\",\"timeZone\":\"Asia/Almaty\",\"riskLevel\":\"LOW\"}");
        assertEquals(400, missing.statusCode());
        assertTrue(missing.body().contains("startsAt"), missing.body());
        HttpResponse<String> badZone = h.send("POST", "/api/v1/subjects/10/orders", supervisor,
                "{\"legalReference\":\"X-1\",\"kind\":\"HOUSE_ARREST\",\"startsAt\":\"2026-06-01T00:00:00Z\",\"timeZone\":\"Mars/Base\",\"riskLevel\":\"LOW\"}");
        assertTrue(badZone.body().contains("timeZone"), badZone.body());
        String big = "{\"externalCaseId\":\"" + "x".repeat(300_000) + "\"}";
        assertEquals(413, h.send("POST", "/api/v1/subjects", supervisor, big).statusCode());
        assertEquals(404, h.send("GET", "/api/v1/nothing-here", supervisor, null).statusCode());
        assertEquals(405, h.send("DELETE", "/api/v1/subjects", supervisor, null).statusCode());
        assertEquals(409, h.send("POST", "/api/v1/subjects", supervisor,
                "{\"externalCaseId\":\"KZ-2026-0001\",\"displayName\":\"Duplicate\"}").statusCode());
        assertEquals(400, h.send("GET", "/api/v1/alerts/abc", supervisor, null).statusCode());
    }

    @Test
    void subjectsOrdersDevicesAndAssignmentsAreSetUpThroughTheApiWithHistory() throws Exception {
        String admin = h.login("admin");
        String created = h.json("POST", "/api/v1/subjects", admin,
                "{\"agencyId\":\"1\",\"externalCaseId\":\"KZ-2026-0003\",\"displayName\":\"New Subject\",\"preTrial\":true}", 201)
                .get("id").asText();
        JsonNode order = h.json("POST", "/api/v1/subjects/" + created + "/orders", admin,
                "{\"legalReference\":\"Almaty court 2-555/2026\",\"kind\":\"PRE_TRIAL_RESTRICTION\",\"startsAt\":\"2026-05-01T00:00:00Z\","
                        + "\"timeZone\":\"Asia/Almaty\",\"riskLevel\":\"LOW\"}", 201);
        assertTrue(order.get("presumedInnocent").asBoolean());
        String device = h.json("POST", "/api/v1/devices", admin,
                "{\"protocol\":\"gt06\",\"deviceNumber\":\"864000000000001\",\"role\":\"BRACELET\"}", 201).get("id").asText();
        h.json("POST", "/api/v1/devices/" + device + "/assign", admin, "{\"subjectId\":\"" + created + "\"}", 200);
        assertEquals(409, h.send("POST", "/api/v1/devices/" + device + "/assign", admin, "{\"subjectId\":\"10\"}").statusCode());
        assertEquals(Long.parseLong(created), h.server.registry().snapshot().device("gt06", 864000000000001L).subjectId(),
                "the registry the devices log in against has the assignment");
        h.json("POST", "/api/v1/devices/" + device + "/unassign", admin, null, 204);
        h.json("POST", "/api/v1/devices/" + device + "/assign", admin, "{\"subjectId\":\"10\"}", 200);
        JsonNode history = h.json("GET", "/api/v1/devices/" + device + "/assignments", admin, null, 200).get("assignments");
        assertEquals(List.of(created, "10"), history.findValuesAsText("subjectId"));
        assertFalse(history.get(0).get("unassignedAt").isNull());
        assertTrue(history.get(1).get("unassignedAt").isNull());
    }

    @Test
    void consoleAndLeafletAreServedFromTheClasspathAndTheOpenApiDocumentListsTheEndpoints() throws Exception {
        HttpResponse<String> index = h.send("GET", "/", null, null);
        assertEquals(200, index.statusCode());
        assertTrue(index.body().contains("/webjars/leaflet/leaflet.js"));
        assertEquals(200, h.send("GET", "/webjars/leaflet/leaflet.js", null, null).statusCode());
        int traversal = h.send("GET", "/console/%2e%2e/db/migration/V1__registry_alerts_audit.sql", null, null).statusCode();
        assertTrue(traversal == 400 || traversal == 404, "no file outside console/ is served: " + traversal);
        JsonNode openapi = h.json("GET", "/api/openapi.json", null, null, 200);
        assertEquals("3.0.3", openapi.get("openapi").asText());
        assertTrue(openapi.get("paths").has("/api/v1/alerts/{id}/resolve"));
    }

    private WebSocket liveSocket(String token, List<String> sink) throws Exception {
        return h.http.newWebSocketBuilder().subprotocols("kuzet.v1", "kuzet.token." + token)
                .buildAsync(URI.create("ws://127.0.0.1:" + h.server.httpPort() + "/api/v1/live"),
                new WebSocket.Listener() {
                    private final StringBuilder partial = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            sink.add(partial.toString());
                            partial.setLength(0);
                        }
                        ws.request(1);
                        return null;
                    }
                }).get(5, TimeUnit.SECONDS);
    }
}
