package io.kuzet.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kuzet.server.testing.RunningServer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every route that changes data writes an audit entry: the test calls each non-GET route of the router's table (and
 * the evidence export, a GET that creates a legal hold) and fails when a route is missing from its list, so a new
 * route is covered without anyone remembering to.
 */
class MutatingRoutesAuditTest {
    /** Session routes, not data: login throttling and logout are the HTTP stack's concern. */
    private static final Set<String> NOT_DATA = Set.of("POST /api/v1/auth/login", "POST /api/v1/auth/logout");
    private static final String NEW_PASSWORD = "another long password";

    @TempDir
    Path dataDir;
    ApiHarness h;
    private final Set<String> called = new TreeSet<>();

    @BeforeEach
    void start() throws Exception {
        h = new ApiHarness(dataDir);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    /** Calls the route and asserts it wrote exactly one new entry {@code action} with a value before or after. */
    private JsonNode call(String method, String template, String path, String token, String body, int status, String action)
            throws Exception {
        long before = h.scalar("select count(*) from audit_log where action = '" + action + "'");
        JsonNode answer = h.json(method, path, token, body, status);
        assertEquals(before + 1, h.scalar("select count(*) from audit_log where action = '" + action + "'"),
                method + " " + path + " writes one " + action + " entry");
        assertEquals(1, h.scalar("select count(*) from audit_log where id = (select max(id) from audit_log where action = '"
                + action + "') and (before is not null or after is not null)"), action + " carries the values");
        called.add(method + " " + template);
        return answer;
    }

    @Test
    void everyMutatingRouteWritesAnAuditEntryWithBeforeOrAfterValues() throws Exception {
        String admin = h.login("admin");
        String supervisor = h.login("sup-alm");
        String operator = h.login("op-alm");

        call("POST", "/api/v1/agencies", "/api/v1/agencies", admin,
                "{\"code\":\"KRG\",\"name\":\"Karaganda probation\",\"region\":\"Karaganda\"}", 201, "AGENCY_CREATED");
        String user = call("POST", "/api/v1/users", "/api/v1/users", admin, "{\"username\":\"sweep-op\",\"password\":\""
                + NEW_PASSWORD + "\",\"role\":\"OPERATOR\",\"agencyId\":\"1\"}", 201, "USER_CREATED").get("id").asText();
        call("POST", "/api/v1/users/{id}/reset-password", "/api/v1/users/" + user + "/reset-password", admin, null, 200,
                "USER_PASSWORD_RESET");
        call("POST", "/api/v1/users/{id}/disable", "/api/v1/users/" + user + "/disable", admin, null, 200, "USER_DISABLED");
        call("POST", "/api/v1/users/{id}/enable", "/api/v1/users/" + user + "/enable", admin, null, 200, "USER_ENABLED");
        call("PUT", "/api/v1/users/{id}/role", "/api/v1/users/" + user + "/role", admin, "{\"role\":\"SUPERVISOR\"}", 200,
                "USER_ROLE_CHANGED");
        call("POST", "/api/v1/auth/password", "/api/v1/auth/password", operator,
                "{\"currentPassword\":\"" + ApiHarness.PASSWORD + "\",\"newPassword\":\"" + NEW_PASSWORD + "\"}", 204,
                "USER_PASSWORD_CHANGED");

        call("POST", "/api/v1/subjects", "/api/v1/subjects", supervisor,
                "{\"externalCaseId\":\"KZ-2026-0099\",\"displayName\":\"Sweep Subject\"}", 201, "SUBJECT_CREATED");
        String order = call("POST", "/api/v1/subjects/{id}/orders", "/api/v1/subjects/10/orders", supervisor,
                "{\"legalReference\":\"Almaty court 2-999/2026\",\"kind\":\"PAROLE\",\"startsAt\":\"2026-05-01T00:00:00Z\","
                        + "\"timeZone\":\"Asia/Almaty\",\"riskLevel\":\"LOW\"}", 201, "ORDER_CREATED").get("id").asText();
        call("POST", "/api/v1/orders/{id}/end", "/api/v1/orders/" + order + "/end", supervisor, null, 200, "ORDER_ENDED");

        call("POST", "/api/v1/devices", "/api/v1/devices", admin,
                "{\"protocol\":\"gt06\",\"deviceNumber\":\"864000000000077\",\"role\":\"BRACELET\"}", 201, "DEVICE_CREATED");
        call("POST", "/api/v1/devices/{id}/unassign", "/api/v1/devices/1000/unassign", admin, null, 204, "DEVICE_UNASSIGNED");
        call("POST", "/api/v1/devices/{id}/assign", "/api/v1/devices/1000/assign", admin, "{\"subjectId\":\"10\"}", 200,
                "DEVICE_ASSIGNED");

        String zone = "{\"name\":\"Sweep zone\",\"geojson\":{\"type\":\"Feature\",\"properties\":{\"radius_m\":50},"
                + "\"geometry\":{\"type\":\"Point\",\"coordinates\":[76.95,43.24]}}}";
        call("POST", "/api/v1/zones", "/api/v1/zones", supervisor, zone, 201, "ZONE_CREATED");
        call("PUT", "/api/v1/zones/{id}", "/api/v1/zones/500", supervisor, zone.replace("Sweep zone", "Victim home, moved"), 200,
                "ZONE_UPDATED");
        call("POST", "/api/v1/orders/{id}/rules", "/api/v1/orders/100/rules", supervisor,
                "{\"name\":\"Sweep rule\",\"kind\":\"EXCLUSION\",\"zoneId\":\"500\"}", 201, "RULE_CREATED");
        call("POST", "/api/v1/rules/{id}/exceptions", "/api/v1/rules/5000/exceptions", supervisor,
                "{\"date\":\"2026-06-01\",\"start\":\"09:00\",\"end\":\"13:00\",\"action\":\"remove\",\"reason\":\"court\"}", 201,
                "RULE_EXCEPTION_ADDED");
        call("POST", "/api/v1/rules/{id}/deactivate", "/api/v1/rules/5000/deactivate", supervisor, null, 204, "RULE_DEACTIVATED");

        Instant t = Instant.ofEpochMilli(RunningServer.T0);
        h.exec("insert into alerts (id, type, severity, subject_id, device_id, order_id, rule_id, fix_time, detected_at, state,"
                + " explanation) values (77, 'EXCLUSION', 'HIGH', 10, 1000, 100, 5000, '" + t + "', '" + t + "', 'OPEN', 'inside')");
        call("POST", "/api/v1/alerts/{id}/acknowledge", "/api/v1/alerts/77/acknowledge", operator, "{}", 200, "ALERT_ACKNOWLEDGED");
        call("POST", "/api/v1/alerts/{id}/comment", "/api/v1/alerts/77/comment", operator, "{\"note\":\"called\"}", 200,
                "ALERT_COMMENTED");
        call("POST", "/api/v1/alerts/{id}/contact", "/api/v1/alerts/77/contact", operator,
                "{\"party\":\"POLICE\",\"outcome\":\"REACHED\",\"note\":\"patrol sent\"}", 200, "ALERT_CONTACT");
        call("POST", "/api/v1/alerts/{id}/resolve", "/api/v1/alerts/77/resolve", supervisor,
                "{\"disposition\":\"CONFIRMED_VIOLATION\",\"note\":\"seen\"}", 200, "ALERT_RESOLVED");

        JsonNode command = call("POST", "/api/v1/subjects/{id}/commands", "/api/v1/subjects/10/commands", operator,
                "{\"kind\":\"LOCATE_NOW\",\"reason\":\"subject not answering the phone\",\"alertId\":\"77\"}", 201,
                "COMMAND_REQUESTED");
        assertEquals("QUEUED", command.get("state").asText(), "the bracelet is not connected: the command waits in the outbox");
        h.json("POST", "/api/v1/subjects/10/commands", operator,
                "{\"kind\":\"SET_REPORTING_INTERVAL\",\"argument\":15,\"reason\":\"pursuit\"}", 403);
        call("POST", "/api/v1/handover/notes", "/api/v1/handover/notes", operator,
                "{\"note\":\"#77 resolved; watch subject 10 tonight\",\"alertId\":\"77\"}", 201, "HANDOVER_NOTE_CREATED");

        long holds = h.scalar("select count(*) from audit_log where action = 'LEGAL_HOLD_CREATED'");
        h.json("GET", "/api/v1/subjects/10/evidence?from=" + t.minusSeconds(60) + "&to=" + t + "&purpose=court", supervisor, null, 200);
        assertEquals(holds + 1, h.scalar("select count(*) from audit_log where action = 'LEGAL_HOLD_CREATED'"));

        Set<String> mutating = h.api.routes().stream().filter(r -> !r.method().equals("GET"))
                .map(r -> r.method() + " " + r.template()).filter(r -> !NOT_DATA.contains(r))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(mutating, called, "every mutating route of the router's table is called above");
        assertTrue(h.json("GET", "/api/v1/audit/verify", admin, null, 200).get("intact").asBoolean());
    }

    @Test
    void everyApiRouteOfTheTableIsDescribedInTheOpenApiDocument() throws Exception {
        JsonNode paths = h.json("GET", "/api/openapi.json", null, null, 200).get("paths");
        Set<String> missing = h.api.routes().stream().filter(r -> r.template().startsWith("/api/v1/"))
                .filter(r -> !paths.path(r.template()).has(r.method().toLowerCase(java.util.Locale.ROOT)))
                .map(r -> r.method() + " " + r.template()).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of(), missing);
    }
}
