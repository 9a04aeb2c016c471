package io.kuzet.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The subject profile an operator reads beside an alert (issue 13, "Found": the detail showed only "Subject 10000 #1"):
 * case, order kind and terms, risk level, curfew windows in the agency's time zone, rules with their zones, the victim
 * unit only within the agency's rights, officer and contact numbers, device battery and last contact.
 */
class SubjectProfileTest {
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

    /** Officer and numbers, a curfew at home, a proximity rule on the agency's own victim unit and one on another agency's. */
    static void seedProfile(ApiHarness h) throws Exception {
        h.exec("update subjects set phone = '+7 701 555 0101', officer_name = 'Aigerim Sadykova', officer_phone = '+7 727 555 0199' where id = 10");
        h.exec("insert into zones (id, agency_id, name, geojson) values (501, 1, 'Home', '{\"type\":\"Feature\",\"properties\":"
                + "{\"radius_m\":60},\"geometry\":{\"type\":\"Point\",\"coordinates\":[76.95,43.25]}}')");
        h.exec("insert into rules (id, order_id, name, kind, zone_id) values (5001, 100, 'Night curfew', 'CURFEW', 501)");
        h.exec("insert into schedules (rule_id, weekday, start_time, end_time) values (5001, 1, '22:00', '06:00'), (5001, 2, '02:00', '05:00')");
        h.exec("insert into devices (id, protocol, device_number, role) values (1100, 'watch', 880001, 'VICTIM_UNIT'),"
                + " (1200, 'watch', 880002, 'VICTIM_UNIT')");
        h.exec("insert into rules (id, order_id, name, kind, victim_device_id, distance_m, warn_distance_m) values"
                + " (5002, 100, 'Keep away from the victim', 'PROXIMITY', 1100, 500, 1000),"
                + " (6000, 200, 'Astana victim', 'PROXIMITY', 1200, 300, 600),"
                + " (5003, 100, 'Foreign victim unit', 'PROXIMITY', 1200, 300, 600)");
        h.exec("insert into positions (device_id, subject_id, order_id, fix_time, received_at, lat_e7, lon_e7, flags, journal_index)"
                + " values (1000, 10, 100, '2026-05-01T09:59:00Z', '2026-05-01T10:00:05Z', 432500000, 769500000, 1, 1)");
        h.exec("insert into device_events (device_id, subject_id, order_id, event_time, received_at, event_type, value, journal_index)"
                + " values (1000, 10, 100, '2026-05-01T09:30:00Z', '2026-05-01T09:30:02Z', 4, 17, 2)");
        h.reloadRegistry();
    }

    @Test
    void profileShowsCaseOrderRiskScheduleInTheAgencyZoneOfficerNumbersAndDeviceVitals() throws Exception {
        seedProfile(h);
        // the order is written in Tokyo time, the agency works in Moscow time: windows are shown as they fall in Moscow
        h.exec("update orders set time_zone = 'Asia/Tokyo' where id = 100");
        h.exec("update agencies set time_zone = 'Europe/Moscow' where id = 1");
        h.reloadRegistry();

        JsonNode p = h.json("GET", "/api/v1/subjects/10/profile", h.login("op-alm"), null, 200);
        assertEquals("KZ-2026-0001", p.get("externalCaseId").asText());
        assertEquals("Europe/Moscow", p.get("timeZone").asText());
        assertEquals("Aigerim Sadykova", p.path("officer").path("name").asText());
        assertEquals("+7 727 555 0199", p.path("officer").path("phone").asText());
        assertEquals("+7 701 555 0101", p.get("phone").asText());
        JsonNode order = p.get("order");
        assertEquals("HOUSE_ARREST", order.get("kind").asText());
        assertEquals("Almaty court 2-123/2026", order.get("legalReference").asText());
        assertEquals("MEDIUM", order.get("riskLevel").asText());
        assertTrue(order.get("endsAt").isNull(), "open-ended order");

        JsonNode curfew = rule(p, "Night curfew");
        assertEquals("Home", curfew.path("zone").path("name").asText());
        // Tokyo Mon 22:00-06:00 is Moscow Mon 16:00-00:00; Tokyo Tue 02:00-05:00 is Moscow Mon 20:00-23:00
        assertEquals(List.of("MONDAY 16:00-00:00", "MONDAY 20:00-23:00"), windows(curfew));
        assertEquals("Victim home", rule(p, "Stay away from victim home").path("zone").path("name").asText());

        JsonNode own = rule(p, "Keep away from the victim").get("victimUnit");
        assertTrue(own.get("visible").asBoolean());
        assertEquals("880001", own.get("deviceNumber").asText());
        JsonNode foreign = rule(p, "Foreign victim unit").get("victimUnit");
        assertFalse(foreign.get("visible").asBoolean(), "another agency's victim unit is not described: " + foreign);
        assertFalse(foreign.has("deviceNumber"), foreign.toString());

        JsonNode bracelet = p.get("devices").get(0);
        assertEquals(Long.toString(io.kuzet.server.testing.TestFleet.KUZET_NUMBER), bracelet.get("deviceNumber").asText());
        assertEquals(17, bracelet.get("batteryPercent").asInt());
        assertEquals("2026-05-01T09:30:00Z", bracelet.get("batteryAt").asText());
        assertEquals("2026-05-01T10:00:05Z", bracelet.get("lastContactAt").asText());
    }

    @Test
    void anotherAgencySeesNoProfile() throws Exception {
        seedProfile(h);
        assertEquals(404, h.send("GET", "/api/v1/subjects/10/profile", h.login("op-ast"), null).statusCode());
        assertEquals(200, h.send("GET", "/api/v1/subjects/10/profile", h.login("admin"), null).statusCode(), "a platform admin sees it");
    }

    @Test
    void subjectCreatedThroughTheApiCarriesOfficerAndNumbers() throws Exception {
        JsonNode created = h.json("POST", "/api/v1/subjects", h.login("sup-alm"), "{\"externalCaseId\":\"KZ-2026-0077\","
                + "\"displayName\":\"New Subject\",\"phone\":\"+7 700 000 0077\",\"officerName\":\"Daniyar Nurlanov\","
                + "\"officerPhone\":\"+7 727 000 0001\"}", 201);
        JsonNode p = h.json("GET", "/api/v1/subjects/" + created.get("id").asText() + "/profile", h.login("op-alm"), null, 200);
        assertEquals("Daniyar Nurlanov", p.path("officer").path("name").asText());
        assertEquals("+7 700 000 0077", p.get("phone").asText());
        assertTrue(p.get("order").isNull(), "no order yet");
    }

    private static JsonNode rule(JsonNode profile, String name) {
        for (JsonNode r : profile.get("rules")) {
            if (name.equals(r.get("name").asText())) {
                return r;
            }
        }
        throw new AssertionError("no rule '" + name + "' in " + profile.get("rules"));
    }

    private static List<String> windows(JsonNode rule) {
        List<String> out = new ArrayList<>();
        rule.get("windows").forEach(w -> out.add(w.get("day").asText() + " " + w.get("start").asText() + "-" + w.get("end").asText()));
        return out;
    }
}
