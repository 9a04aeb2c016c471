package io.kuzet.server.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kuzet.server.api.auth.Role;
import io.kuzet.server.api.http.Route;
import io.kuzet.server.testing.RawHttp;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Walks the server's own route table (so a new route is covered without anyone remembering to) and calls every
 * route as an attacker would: without a token (401 unless the route is public), with trailing-slash and prefix
 * variants of its path (never a 2xx or a 101), as a user of agency B with too low a role (403), and as a user of
 * agency B with the least role allowed on ids that belong to agency A (404: B learns nothing, changes nothing).
 * Routes without an id in their path are checked for leaking A's data instead. The test fails when a route has a
 * path parameter it has no sample id for, or an id-less route it does not know how to judge.
 */
class RouteScopingSweepTest {
    /** Query parameters every call carries, so routes that require them get past their validation to the scoping. */
    private static final String QUERY = "?from=2026-05-01T00:00:00Z&to=2026-05-31T00:00:00Z&purpose=scoping-sweep";
    /** Valid bodies for routes that validate their body before they look up the id (the sweep must reach the lookup). */
    private static final Map<String, String> BODIES = Map.of(
            "POST /api/v1/subjects/{id}/orders", "{\"legalReference\":\"X-1\",\"kind\":\"HOUSE_ARREST\",\"startsAt\":"
                    + "\"2026-06-01T00:00:00Z\",\"timeZone\":\"Asia/Almaty\",\"riskLevel\":\"LOW\"}",
            "POST /api/v1/devices/{id}/assign", "{\"subjectId\":\"10\"}",
            "PUT /api/v1/zones/{id}", "{\"name\":\"Moved\",\"geojson\":{\"type\":\"Feature\",\"properties\":{\"radius_m\":50},"
                    + "\"geometry\":{\"type\":\"Point\",\"coordinates\":[76.9,43.2]}}}",
            "POST /api/v1/orders/{id}/rules", "{\"name\":\"x\",\"kind\":\"EXCLUSION\",\"zoneId\":\"500\"}",
            "POST /api/v1/alerts/{id}/comment", "{\"note\":\"x\"}",
            "POST /api/v1/alerts/{id}/contact", "{\"party\":\"SUBJECT\",\"outcome\":\"REACHED\"}",
            "POST /api/v1/alerts/{id}/resolve", "{\"note\":\"x\",\"disposition\":\"CONFIRMED_VIOLATION\"}",
            "PUT /api/v1/users/{id}/role", "{\"role\":\"operator\"}",
            "POST /api/v1/subjects/{id}/commands", "{\"kind\":\"LOCATE_NOW\",\"reason\":\"scoping sweep\"}");
    /** Routes anyone may call. */
    private static final Set<String> PUBLIC = Set.of("POST /api/v1/auth/login", "GET /metrics", "GET /health/live",
            "GET /health/ready", "GET /api/v1/console/config");
    /** Id-less routes whose answer to a user of agency B is judged by the absence of agency A's data. */
    private static final Set<String> LISTS = Set.of("GET /api/v1/agencies", "GET /api/v1/users", "GET /api/v1/audit",
            "GET /api/v1/audit/verify", "GET /api/v1/positions/latest", "GET /api/v1/zones", "GET /api/v1/subjects",
            "GET /api/v1/devices", "GET /api/v1/alerts", "GET /api/v1/auth/me", "GET /api/v1/handover/notes",
            "GET /api/v1/reports/alerts");
    /** Id-less routes that act only on the caller or create in the caller's own agency (body-validated, not scoped by id). */
    private static final Set<String> OWN = Set.of("POST /api/v1/auth/logout", "GET /api/v1/auth/live-token", "GET /api/v1/live",
            "POST /api/v1/agencies", "POST /api/v1/users", "POST /api/v1/zones", "POST /api/v1/subjects", "POST /api/v1/devices",
            "POST /api/v1/auth/password", "POST /api/v1/handover/notes");
    /**
     * Devices are platform inventory without an agency (schema): a user of agency B may address device ids, but must
     * neither see agency A's assignment nor change it.
     */
    private static final Set<String> SHARED_INVENTORY = Set.of("POST /api/v1/devices/{id}/unassign", "GET /api/v1/devices/{id}/assignments");
    /** Strings that only agency A's records contain. */
    private static final List<String> AGENCY_A_MARKERS = List.of("KZ-2026-0001", "Test Subject", "Almaty court", "Victim home",
            "Stay away from victim home", "op-alm", "sup-alm", "Aigerim Sadykova", "555 0199", "Handover for ALM");

    @TempDir
    Path dataDir;
    ApiHarness h;

    @BeforeEach
    void start() throws Exception {
        h = new ApiHarness(dataDir);
        h.addUser("sup-ast", "supervisor", ApiHarness.OTHER_AGENCY);
        h.addUser("adm-ast", "admin", ApiHarness.OTHER_AGENCY);
        // agency A's officer and numbers (subject profile): no list or foreign-id answer may show them to agency B
        h.exec("update subjects set officer_name = 'Aigerim Sadykova', officer_phone = '+7 727 555 0199' where id = 10");
    }

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void everyRouteRefusesAnonymousCallersAndHidesAgencyAFromAgencyB() throws Exception {
        h.walkIntoExclusionZone();
        h.exec("insert into handover_notes (agency_id, user_id, created_at, note) select 1, id, now(), 'Handover for ALM'"
                + " from users where username = 'op-alm'");
        await().atMost(Duration.ofSeconds(15)).until(() -> h.scalar("select count(*) from alerts") > 0);
        Map<String, String> sampleIds = Map.of("subjects", "10", "orders", "100", "zones", "500", "rules", "5000",
                "devices", "1000", "alerts", Long.toString(h.scalar("select min(id) from alerts")),
                "users", Long.toString(h.scalar("select id from users where username = 'op-alm'")));
        Map<Role, String> agencyB = new HashMap<>();
        agencyB.put(Role.OPERATOR, "op-ast");
        agencyB.put(Role.SUPERVISOR, "sup-ast");
        agencyB.put(Role.ADMIN, "adm-ast");

        List<String> problems = new ArrayList<>();
        List<Route> routes = h.server.httpRouter().routes();
        assertTrue(routes.size() > 30, "the table holds the operator API too: " + routes.size());
        for (Route route : routes) {
            String key = route.method() + " " + route.template();
            String path = concretePath(route.template(), sampleIds, problems, key);
            if (path == null) {
                continue;
            }
            boolean isPublic = PUBLIC.contains(key);
            if (route.minimumRole() == null != isPublic) {
                problems.add(key + ": public in the table but not in this test's PUBLIC list, or the reverse");
            }
            String body = route.method().equals("GET") ? null : BODIES.getOrDefault(key, "{}");
            if (!isPublic) {
                expect(problems, key + " anonymous", h.send(route.method(), path + QUERY, null, body), 401);
            }
            for (String variant : List.of(path + "/", path + "/x", path + "//")) {
                int status = h.send(route.method(), variant + QUERY, null, body).statusCode();
                if (status < 400) {
                    problems.add(key + ": variant " + variant + " answered " + status + " without a token");
                }
            }
            if (route.method().equals("GET")) {
                int upgrade = RawHttp.status(h.server.httpPort(), RawHttp.upgrade(path + "/", ""));
                if (upgrade != 401 && upgrade != 404) {
                    problems.add(key + ": WebSocket upgrade of " + path + "/ without a token answered " + upgrade);
                }
            }
            if (isPublic) {
                continue;
            }
            for (Role lower : Role.values()) {
                if (!lower.atLeast(route.minimumRole())) {
                    expect(problems, key + " as " + agencyB.get(lower), h.send(route.method(), path + QUERY,
                            h.login(agencyB.get(lower)), body), 403);
                }
            }
            String caller = agencyB.get(route.minimumRole());
            boolean hasId = route.template().contains("{");
            if (SHARED_INVENTORY.contains(key)) {
                HttpResponse<String> r = h.send(route.method(), path + QUERY, h.login(caller), body);
                if ((r.statusCode() < 300 && !route.method().equals("GET")) || r.body().contains("\"subjectId\":\"10\"")) {
                    problems.add(key + " as " + caller + " acted on or showed agency A's assignment: " + r.statusCode() + " " + abbreviate(r.body()));
                }
            } else if (hasId) {
                expect(problems, key + " as " + caller + " on agency A's ids", h.send(route.method(), path + QUERY, h.login(caller), body), 404);
            } else if (LISTS.contains(key)) {
                HttpResponse<String> r = h.send(route.method(), path + QUERY, h.login(caller), body);
                expect(problems, key + " as " + caller, r, 200);
                for (String marker : AGENCY_A_MARKERS) {
                    if (r.body().contains(marker)) {
                        problems.add(key + " as " + caller + " shows agency A's '" + marker + "'");
                    }
                }
            } else if (!OWN.contains(key)) {
                problems.add(key + ": an id-less route this sweep does not know how to judge; add it to LISTS or OWN");
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertTrue(h.scalar("select count(*) from device_assignments where device_id = 1000 and subject_id = 10 and unassigned_at is null") == 1,
                "agency A's bracelet is still on its subject");
        assertTrue(h.scalar("select count(*) from alerts where state = 'OPEN'") >= 1, "agency A's alert is still open");
        assertTrue(h.strings("select name from zones where id = 500").equals(List.of("Victim home")), "agency A's zone is unchanged");
        assertTrue(h.scalar("select count(*) from rules where order_id = 100") == 1, "no rule was added to agency A's order");
    }

    /** The template with each {param} replaced by agency A's sample id for the collection before it. */
    private static String concretePath(String template, Map<String, String> sampleIds, List<String> problems, String key) {
        String[] parts = template.split("/");
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].startsWith("{")) {
                String id = i > 0 ? sampleIds.get(parts[i - 1]) : null;
                if (id == null) {
                    problems.add(key + ": no sample id of agency A for " + parts[i] + " after /" + parts[i - 1]);
                    return null;
                }
                parts[i] = id;
            }
        }
        return String.join("/", parts);
    }

    private static void expect(List<String> problems, String what, HttpResponse<String> r, int status) {
        if (r.statusCode() != status) {
            problems.add(what + ": expected " + status + ", got " + r.statusCode() + " " + abbreviate(r.body()));
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 160 ? s.substring(0, 160) + "..." : s;
    }
}
